// Calls of functions that neither bpfql nor DuckDB has, found without loading DuckDB: from the
// generated list of DuckDB's names (functions/duckdb-functions.ts). The answer is certain only
// while nothing else can have defined a function (a fresh in-memory database, before any of the
// user's own SQL has run: a macro they made is not in the list), and the engine asks only then.
import { DECODERS } from '../catalog/decoders.js';
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import { editDistance } from '../diag/messages.js';
import { span } from '../diag/span.js';
import { DUCKDB_FUNCTIONS } from '../functions/duckdb-functions.js';
import { AGGREGATE_FUNCTIONS } from '../functions/names.js';
import type { Expr, SelectQuery } from '../query/ast.js';
import { children, queryExprs } from './expr-walk.js';

/** Every name a query may call: DuckDB's, bpfql's aggregates and its decoder macros. */
const KNOWN: readonly string[] = [...new Set([...DUCKDB_FUNCTIONS, ...AGGREGATE_FUNCTIONS, ...Object.values(DECODERS).map((d) => d.macro)])];
const KNOWN_SET: ReadonlySet<string> = new Set(KNOWN);

function firstUnknown(e: Expr): Extract<Expr, { kind: 'call' }> | undefined {
  if (e.kind === 'call' && !KNOWN_SET.has(e.name.toLowerCase())) return e;
  for (const c of children(e)) {
    const found = firstUnknown(c);
    if (found) return found;
  }
  return undefined;
}

/**
 * The known names nearest to `name` by edit distance (those at the least distance, within half its
 * length, at most 3); when aggregates are among them, only those, since a misspelt aggregate is the
 * likelier mistake (cont → count, not cot). Not messages.closest, whose substring matches would
 * put array_contains before count here.
 */
function nearest(name: string): string[] {
  const lower = name.toLowerCase();
  const limit = Math.max(2, Math.floor(lower.length / 2));
  const scored = KNOWN.map((n) => ({ n, d: editDistance(lower, n) })).filter((x) => x.d <= limit);
  const best = scored.filter((x) => x.d === Math.min(...scored.map((y) => y.d))).map((x) => x.n).sort();
  const aggregates = best.filter((n) => AGGREGATE_FUNCTIONS.has(n));
  return (aggregates.length > 0 ? aggregates : best).slice(0, 3);
}

/** Throws unknown-function at the name of the first call no one defines (a call starts with its name), with the closest known names. */
export function checkFunctionNames(q: SelectQuery): void {
  for (const e of queryExprs(q)) {
    const call = firstUnknown(e);
    if (call) throw new QueryError([diagnostic('unknown-function', { name: call.name, suggestions: nearest(call.name) }, span(call.span.start, call.span.start + call.name.length))]);
  }
}
