// `syscall('<name>')`: one row per completed call of one system call, pairing its
// syscalls:sys_enter_<name> tracepoint (the typed arguments) with sys_exit_<name> (the result) on
// the same thread. Every argument is saved at entry; a path argument (see format.ts) is read as
// text at exit, while the caller's memory still holds it. A call with an `fd` argument also has the
// fd's file (`filename`, `inode`), looked up at exit, unless the call closes the fd.
import type { Column } from './column.js';
import { COMMON_COLUMN_NAMES, COMMON_COLUMNS } from './common-columns.js';
import { fieldRef, intColumn, MissingFieldError } from './curated.js';
import type { TracepointFormat } from './format.js';
import { withStackColumns } from './stack-columns.js';
import type { KernelTable } from './table.js';
import { entryColumn, fdFileColumns, latencyColumn } from './tables/columns.js';
import { STRING, U64 } from './types.js';

export const SYSCALL_TABLE = 'syscall';
export const SYSCALL_CATEGORY = 'syscalls';
export const SYSCALL_ENTER_PREFIX = 'sys_enter_';
export const SYSCALL_EXIT_PREFIX = 'sys_exit_';

/** Calls that never return: their sys_exit tracepoint never fires, so a pair would never close. */
export const NEVER_RETURNING_SYSCALLS: ReadonlySet<string> = new Set(['exit', 'exit_group']);

/** The record's own number field, the same in every row: not an argument. */
const SYSCALL_NR_FIELD = '__syscall_nr';

/** Calls whose fd is gone by the time they return: their file cannot be looked up then. */
const CLOSING_SYSCALLS: ReadonlySet<string> = new Set(['close', 'close_range']);

/** The argument whose file the table shows. */
const FD_ARGUMENT = 'fd';

/** Names the table gives itself: an argument of one of these names is offered as `tp_<name>`. */
const TAKEN = new Set([...COMMON_COLUMN_NAMES, 'ret', 'latency_ns']);

export function syscallTable(name: string, enter: TracepointFormat, exit: TracepointFormat): KernelTable {
  const args = enter.fields.filter((f) => f.name !== SYSCALL_NR_FIELD);
  const saved = args.map((f) => fieldRef(enter, f.name));
  const columns: Column[] = args.map((f, i) => {
    const column = TAKEN.has(f.name) ? `tp_${f.name}` : f.name;
    const description = `argument ${f.name} (${f.cType})`;
    if (f.layout.kind === 'pointer' && f.layout.userString) return { name: column, type: STRING, source: { kind: 'entry-user-string', index: i }, description: `${description}, read as text at return` };
    if (f.layout.kind === 'pointer') return entryColumn(saved, i, column, `${description}, the address`, U64);
    if (f.layout.kind === 'int') return entryColumn(saved, i, column, description);
    throw new MissingFieldError(`${f.name} (as an integer or pointer)`, enter.name);
  });
  const fdIndex = args.findIndex((f) => f.name === FD_ARGUMENT && f.layout.kind === 'int');
  const fileColumns = fdIndex < 0 || CLOSING_SYSCALLS.has(name) ? [] : fdFileColumns(fdIndex).filter((c) => !columns.some((a) => a.name === c.name));
  return {
    name: SYSCALL_TABLE,
    description: `calls of ${name}(2) with their arguments, result and latency`,
    source: { kind: 'tracepoint', category: SYSCALL_CATEGORY, event: `${SYSCALL_EXIT_PREFIX}${name}` },
    columns: withStackColumns([
      ...COMMON_COLUMNS,
      ...columns,
      ...fileColumns,
      intColumn(exit, 'ret', 'ret', 'return value, or -errno'),
      latencyColumn(`nanoseconds from the call of ${name} to its return`),
    ]),
    pairing: { entries: [{ source: { kind: 'tracepoint', category: SYSCALL_CATEGORY, event: `${SYSCALL_ENTER_PREFIX}${name}` } }], key: { kind: 'thread' }, saved },
  };
}

export type SyscallResolution =
  | { readonly kind: 'table'; readonly table: KernelTable }
  | { readonly kind: 'unknown'; readonly suggestions: readonly string[] }
  | { readonly kind: 'unavailable'; readonly reason: string };
