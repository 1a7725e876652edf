// `syscalls`: one row per completed system call, pairing raw_syscalls:sys_enter with
// raw_syscalls:sys_exit on the same thread. A call already in flight when the query starts has
// no entry and lies outside the query's window; exit and exit_group never return, so their
// entries are not kept (they would sit in the pairing map for ever).
import type { CuratedTable } from '../curated.js';
import { fieldRef, intColumn, requireEntry } from '../curated.js';
import { DECODERS } from '../decoders.js';
import { S64 } from '../types.js';
import { decodedColumn, latencyColumn } from './columns.js';

/** Numbers of the calls that never return, where this machine's syscall table names them. */
function neverReturning(): bigint[] {
  return ['exit', 'exit_group'].flatMap((name) => {
    const n = DECODERS.syscall.encode(name);
    return n === undefined ? [] : [n];
  });
}

export const syscallsTable: CuratedTable = {
  name: 'syscalls',
  description: 'every system call with its result and latency (raw_syscalls:sys_enter/sys_exit)',
  event: { category: 'raw_syscalls', event: 'sys_exit' },
  entries: [{ category: 'raw_syscalls', event: 'sys_enter' }],
  build(exit, entryFormat) {
    const entry = requireEntry(entryFormat, 'syscalls');
    const never = neverReturning();
    return {
      columns: [
        decodedColumn(exit, 'id', 'syscall', 'syscall', 'syscall name (x86_64 table; syscall_<n> for numbers it does not name)'),
        intColumn(exit, 'id', 'id', 'syscall number', S64),
        intColumn(exit, 'ret', 'ret', 'return value, or -errno', S64),
        latencyColumn('nanoseconds from entry to return'),
      ],
      pairing: { key: { kind: 'thread' }, saved: [], ...(never.length > 0 ? { never: { field: fieldRef(entry, 'id'), values: never } } : {}) },
    };
  },
};
