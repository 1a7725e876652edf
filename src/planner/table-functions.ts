// Kernel tables named by a call in FROM: `profile(hz)`, `uprobe('<binary>', '<symbol>')`,
// `uretprobe('<binary>', '<symbol>')` and `syscall('<name>')`.
// Arguments are constants; each problem is reported at the argument it concerns.
import type { Catalog } from '../catalog/catalog.js';
import { MAX_PROFILE_HZ, PROFILE_TABLE, TABLE_FUNCTIONS, UPROBE_TABLE, URETPROBE_TABLE } from '../catalog/probe-tables.js';
import { SYSCALL_TABLE } from '../catalog/syscall-table.js';
import type { KernelTable } from '../catalog/table.js';
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import { closest } from '../diag/messages.js';
import type { Expr, TableRef } from '../query/ast.js';

type TableFunction = Extract<TableRef, { kind: 'table-function' }>;

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
    case UPROBE_TABLE: return uprobe(from, catalog, false);
    case URETPROBE_TABLE: return uprobe(from, catalog, true);
    case SYSCALL_TABLE: return syscall(from, catalog);
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

function uprobe(from: TableFunction, catalog: Catalog, retprobe: boolean): KernelTable {
  const fn = retprobe ? URETPROBE_TABLE : UPROBE_TABLE;
  if (from.args.length !== 2) fail(diagnostic('wrong-arity', { name: fn, expected: "2 ('<binary>', '<function>')", found: from.args.length }, from.span));
  const [binaryArg, symbolArg] = [from.args[0]!, from.args[1]!];
  const binary = stringArg(fn, binaryArg, 'the binary');
  const symbol = stringArg(fn, symbolArg, 'the function name');
  const r = catalog.uprobe(binary, symbol, retprobe);
  switch (r.kind) {
    case 'table': return r.table;
    case 'no-binary': {
      const where = binary.includes('/') ? '' : ' in PATH';
      return fail(diagnostic('bad-argument', { name: fn, reason: `no file '${binary}'${where}` }, binaryArg.span));
    }
    case 'not-elf':
      return fail(diagnostic('bad-argument', { name: fn, reason: `'${r.path}' is not a binary bpfql can probe: ${r.reason}` }, binaryArg.span));
    case 'no-symbol':
      return fail(diagnostic('bad-argument', { name: fn, reason: `'${r.path}' has no function '${r.symbol}'${didYouMean(r.suggestions)}` }, symbolArg.span));
    case 'unavailable':
      return fail(diagnostic('table-unavailable', { name: fn, reason: r.reason }, from.span));
  }
}

function syscall(from: TableFunction, catalog: Catalog): KernelTable {
  if (from.args.length !== 1) fail(diagnostic('wrong-arity', { name: SYSCALL_TABLE, expected: "1 ('<system call>', as in syscall('newfstatat'))", found: from.args.length }, from.span));
  const arg = from.args[0]!;
  const name = stringArg(SYSCALL_TABLE, arg, 'the system call name');
  const r = catalog.syscall(name);
  switch (r.kind) {
    case 'table': return r.table;
    case 'unknown': return fail(diagnostic('unknown-syscall', { name, suggestions: r.suggestions }, arg.span));
    case 'unavailable': return fail(diagnostic('table-unavailable', { name: `${SYSCALL_TABLE}('${name}')`, reason: r.reason }, arg.span));
  }
}
