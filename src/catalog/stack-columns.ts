// The call-stack columns, `kstack` and `ustack`. Every table has them: `profile` shows them in
// `SELECT *` (stacks are what samples are for); elsewhere they are left out of `*` (as DuckDB
// leaves out `rowid`), because walking a stack costs more per event than every other column
// together, and are there when a query names them (stackcount, offcputime).
import type { Column } from './column.js';
import { STRING } from './types.js';

const STACK_NOTE = 'frames innermost first, separated by \';\' (symbolised after the run; NULL when there is none)';

const KSTACK: Column = { name: 'kstack', type: STRING, source: { kind: 'stack', space: 'kernel' }, description: `kernel call stack where the event fired, ${STACK_NOTE}` };
const USTACK: Column = { name: 'ustack', type: STRING, source: { kind: 'stack', space: 'user' }, description: `user call stack of the task the event ran in, ${STACK_NOTE}` };

/**
 * The stack columns of a paired table whose entry event takes them (see the `stack` source's
 * `entry`), left out of `*` as on other tables; `when` says when the entry took them.
 */
export function entryStackColumns(when: string): Column[] {
  return (['kernel', 'user'] as const).map((space): Column => ({
    name: space === 'kernel' ? KSTACK.name : USTACK.name,
    type: STRING,
    source: { kind: 'stack', space, entry: true },
    description: `${space} call stack of the task ${when}, ${STACK_NOTE}`,
    hidden: true,
  }));
}

/** The stack columns as `profile` shows them: part of `*`. */
export const SAMPLE_STACK_COLUMNS: readonly Column[] = [KSTACK, USTACK];

/**
 * `columns` with the stack columns after them, left out of `*`; a table whose event has a field
 * of the same name keeps its field.
 */
export function withStackColumns(columns: readonly Column[]): Column[] {
  const stacks = [KSTACK, USTACK].filter((s) => !columns.some((c) => c.name === s.name)).map((s): Column => ({ ...s, hidden: true }));
  return [...columns, ...stacks];
}

/** The columns `SELECT *` shows. */
export function starColumns(columns: readonly Column[]): readonly Column[] {
  return columns.filter((c) => c.hidden !== true);
}
