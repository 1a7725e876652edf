// Kernel tables named by a call in FROM: `profile(hz)` and `uprobe('<binary>', '<symbol>')`.
// Arguments are constants; each problem is reported at the argument it concerns.
import type { Catalog } from '../catalog/catalog.js';
import { MAX_PROFILE_HZ, PROFILE_TABLE, UPROBE_TABLE } from '../catalog/probe-tables.js';
import type { KernelTable } from '../catalog/table.js';
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import { closest } from '../diag/messages.js';
import type { Expr, TableRef } from '../query/ast.js';

type TableFunction = Extract<TableRef, { kind: 'table-function' }>;

const TABLE_FUNCTIONS = [PROFILE_TABLE, UPROBE_TABLE];

function fail(d: ReturnType<typeof diagnostic>): never {
  throw new QueryError([d]);
}

function stringArg(fn: string, e: Expr, what: string): string {
  if (e.kind === 'literal' && e.value.type === 'string') return e.value.value;
  return fail(diagnostic('bad-argument', { name: fn, reason: `${what} must be a string constant` }, e.span));
}

function didYouMean(suggestions: readonly string[]): string {
  return suggestions.length === 0 ? '' : `; did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?`;
}

export function resolveTableFunction(from: TableFunction, catalog: Catalog): KernelTable {
  const name = from.name.toLowerCase();
  switch (name) {
    case PROFILE_TABLE: return profile(from, catalog);
    case UPROBE_TABLE: return uprobe(from, catalog);
    default:
      return fail(diagnostic('unknown-function', { name: from.name, suggestions: closest(name, TABLE_FUNCTIONS) }, from.span));
  }
}

function profile(from: TableFunction, catalog: Catalog): KernelTable {
  if (from.args.length !== 1) fail(diagnostic('wrong-arity', { name: PROFILE_TABLE, expected: '1 (samples per second; FROM profile samples at 99 Hz)', found: from.args.length }, from.span));
  const arg = from.args[0]!;
  const hz = arg.kind === 'literal' && arg.value.type === 'int' ? arg.value.value : undefined;
  if (hz === undefined || hz < 1n || hz > BigInt(MAX_PROFILE_HZ)) {
    fail(diagnostic('bad-argument', { name: PROFILE_TABLE, reason: `the sampling rate must be a whole number of Hz from 1 to ${MAX_PROFILE_HZ}` }, arg.span));
  }
  return catalog.profile(Number(hz));
}

function uprobe(from: TableFunction, catalog: Catalog): KernelTable {
  if (from.args.length !== 2) fail(diagnostic('wrong-arity', { name: UPROBE_TABLE, expected: "2 ('<binary>', '<function>')", found: from.args.length }, from.span));
  const [binaryArg, symbolArg] = [from.args[0]!, from.args[1]!];
  const binary = stringArg(UPROBE_TABLE, binaryArg, 'the binary');
  const symbol = stringArg(UPROBE_TABLE, symbolArg, 'the function name');
  const r = catalog.uprobe(binary, symbol);
  switch (r.kind) {
    case 'table': return r.table;
    case 'no-binary': {
      const where = binary.includes('/') ? '' : ' in PATH';
      return fail(diagnostic('bad-argument', { name: UPROBE_TABLE, reason: `no file '${binary}'${where}` }, binaryArg.span));
    }
    case 'not-elf':
      return fail(diagnostic('bad-argument', { name: UPROBE_TABLE, reason: `'${r.path}' is not a binary bpfql can probe: ${r.reason}` }, binaryArg.span));
    case 'no-symbol':
      return fail(diagnostic('bad-argument', { name: UPROBE_TABLE, reason: `'${r.path}' has no function '${r.symbol}'${didYouMean(r.suggestions)}` }, symbolArg.span));
    case 'unavailable':
      return fail(diagnostic('table-unavailable', { name: UPROBE_TABLE, reason: r.reason }, from.span));
  }
}
