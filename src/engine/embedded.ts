// Kernel queries inside larger statements: `WITH e AS (SELECT … FROM exec … FOR 5s) SELECT … FROM e
// JOIN read_parquet(…)`, `SELECT … FROM exec UNION ALL SELECT … FROM exit`, `SELECT … FROM
// tracepoint.block.block_rq_issue i JOIN tracepoint.block.block_rq_complete c ON …`. Each simple
// SELECT over one kernel table (a parenthesised subquery, or a member of a set operation) runs as
// a kernel query; so does each kernel table a join names, as `SELECT *` of it. Each goes into a
// table of its own; the statement, with those parts replaced by the tables, then goes to DuckDB.
import type { Catalog } from '../catalog/catalog.js';
import { codeTokens, isWord, type SqlToken } from '../query/scan.js';
import { quoteIdent } from '../query/quote.js';
import { classify, dottedName, namesKernelTable } from './classify.js';

export interface Subquery {
  /** Offsets of the part of the statement the kernel query takes the place of. */
  readonly start: number;
  readonly end: number;
  /** The kernel query. */
  readonly text: string;
  /** Where offset 0 of `text` falls in the statement (its diagnostics move by this much). */
  readonly shift: number;
  /** `query`: a SELECT, replaced by `SELECT * FROM <table>`; `table`: a table a join names, replaced by the table. */
  readonly kind: 'query' | 'table';
  /** For `table`: the name the statement refers to it by, when it gives no alias. */
  readonly alias?: string;
}

const SET_OPERATIONS = ['union', 'intersect', 'except'];
/** Words that end a FROM list: a comma before them is no further table. */
const AFTER_FROM = ['where', 'group', 'having', 'order', 'limit', 'offset', 'qualify', 'window'];
/** What may follow a table reference that has no alias. */
const NO_ALIAS = ['on', 'using', 'join', 'inner', 'left', 'right', 'full', 'cross', 'natural', 'positional', 'asof', 'anti', 'semi', ...AFTER_FROM, ...SET_OPERATIONS];
/** The hidden columns (stack-columns.ts) a `SELECT *` of a joined table adds when the statement names them. */
const HIDDEN = ['kstack', 'ustack'];

const isSymbol = (t: SqlToken | undefined, text: string): boolean => t !== undefined && t.kind === 'symbol' && t.text === text;
const isOneOf = (t: SqlToken | undefined, words: readonly string[]): boolean => words.some((w) => isWord(t, w));

/** A SELECT's tokens [from, to) at paren depth `depth`. */
interface Segment { readonly from: number; readonly to: number; readonly depth: number }

/** The kernel queries of a statement, in order of their place in it. */
export function kernelSubqueries(sql: string, catalog: Catalog): Subquery[] {
  const tokens = codeTokens(sql);
  const depth: number[] = [];
  let d = 0;
  for (const t of tokens) {
    if (isSymbol(t, ')')) d = Math.max(0, d - 1);
    depth.push(d);
    if (isSymbol(t, '(')) d++;
  }
  const found: Subquery[] = [];
  for (const seg of segments(tokens, depth)) {
    const own = (i: number): boolean => depth[i] === seg.depth;
    const inner = !tokens.slice(seg.from + 1, seg.to).some((t, k) => isWord(t, 'select') && depth[seg.from + 1 + k]! > seg.depth);
    const text = sql.slice(tokens[seg.from]!.start, tokens[seg.to - 1]!.end);
    const joins = tablesOf(tokens, seg, own);
    if (inner && joins.length === 1 && classify(text, catalog) === 'kernel') {
      found.push({ start: tokens[seg.from]!.start, end: tokens[seg.to - 1]!.end, text, shift: tokens[seg.from]!.start, kind: 'query' });
      continue;
    }
    if (joins.length < 2) continue;
    const named = HIDDEN.filter((h) => tokens.slice(seg.from, seg.to).some((t) => isWord(t, h)));
    for (const at of joins) {
      if (!namesKernelTable(tokens, at, catalog)) continue;
      const ref = dottedName(tokens, at)!;
      const last = isSymbol(tokens[ref.next], '(') ? closing(tokens, ref.next) : ref.next - 1;
      const start = tokens[at]!.start;
      const end = tokens[last]!.end;
      const prefix = `SELECT *${named.map((h) => `, ${h}`).join('')} FROM `;
      const after = tokens[last + 1];
      const aliased = after !== undefined && last + 1 < seg.to && (isWord(after, 'as') || (after.kind !== 'symbol' && !isOneOf(after, NO_ALIAS)));
      found.push({
        start, end, text: `${prefix}${sql.slice(start, end)}`, shift: start - prefix.length, kind: 'table',
        ...(aliased ? {} : { alias: ref.name.split('.').pop()! }),
      });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Every SELECT of the statement: from its SELECT to the ')' around it, a set operation at its depth, ';' or the end. */
function segments(tokens: readonly SqlToken[], depth: readonly number[]): Segment[] {
  const out: Segment[] = [];
  tokens.forEach((t, i) => {
    if (!isWord(t, 'select')) return;
    const d = depth[i]!;
    let j = i + 1;
    while (j < tokens.length && depth[j]! >= d && !(depth[j] === d && (isSymbol(tokens[j], ';') || isOneOf(tokens[j], SET_OPERATIONS)))) j++;
    // The last member of a set operation: ORDER BY and LIMIT after it order and cut the whole.
    const before = isOneOf(tokens[i - 1], ['all', 'distinct']) ? tokens[i - 2] : tokens[i - 1];
    if (isOneOf(before, SET_OPERATIONS)) {
      for (let k = i + 1; k < j; k++) {
        if (depth[k] === d && isOneOf(tokens[k], ['order', 'limit', 'offset'])) {
          j = k;
          break;
        }
      }
    }
    out.push({ from: i, to: j, depth: d });
  });
  return out;
}

/** The token indexes where the tables of a SELECT's FROM clause start (after FROM, JOIN, or a comma of the FROM list). */
function tablesOf(tokens: readonly SqlToken[], seg: Segment, own: (i: number) => boolean): number[] {
  const out: number[] = [];
  let inFrom = false;
  for (let i = seg.from; i < seg.to; i++) {
    if (!own(i)) continue;
    const t = tokens[i]!;
    if (isWord(t, 'from') || isWord(t, 'join')) {
      inFrom = true;
      out.push(i + 1);
    } else if (isOneOf(t, AFTER_FROM)) {
      inFrom = false;
    } else if (inFrom && isSymbol(t, ',')) {
      out.push(i + 1);
    }
  }
  return out.filter((i) => i < seg.to);
}

/** The index of the ')' that closes the '(' at `open`. */
function closing(tokens: readonly SqlToken[], open: number): number {
  let d = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isSymbol(tokens[i], '(')) d++;
    else if (isSymbol(tokens[i], ')') && --d === 0) return i;
  }
  return tokens.length - 1;
}

/** The statement with each kernel query's part replaced by its table. */
export function replaceSubqueries(sql: string, subs: readonly Subquery[], tables: readonly string[]): string {
  let out = '';
  let at = 0;
  subs.forEach((s, i) => {
    const table = tables[i]!;
    const replacement = s.kind === 'query' ? `SELECT * FROM ${table}` : s.alias === undefined ? table : `${table} AS ${quoteIdent(s.alias)}`;
    out += `${sql.slice(at, s.start)}${replacement}`;
    at = s.end;
  });
  return out + sql.slice(at);
}
