// `syscalls`: one row per completed system call, pairing raw_syscalls:sys_enter with
// raw_syscalls:sys_exit on the same thread. Calls already in flight when the query starts have
// no entry and are counted as unmatched (never silently dropped).
import type { CuratedTable } from '../curated.js';
import { intColumn } from '../curated.js';
import { S64 } from '../types.js';
import { decodedColumn, latencyColumn } from './columns.js';

export const syscallsTable: CuratedTable = {
  name: 'syscalls',
  description: 'every system call with its result and latency (raw_syscalls:sys_enter/sys_exit)',
  event: { category: 'raw_syscalls', event: 'sys_exit' },
  entry: { category: 'raw_syscalls', event: 'sys_enter' },
  build(exit) {
    return {
      columns: [
        decodedColumn(exit, 'id', 'syscall', 'syscall', 'syscall name (x86_64 table; syscall_<n> for numbers it does not name)'),
        intColumn(exit, 'id', 'id', 'syscall number', S64),
        intColumn(exit, 'ret', 'ret', 'return value, or -errno', S64),
        latencyColumn('nanoseconds from entry to return'),
      ],
      pairing: { key: { kind: 'thread' }, saved: [] },
    };
  },
};
