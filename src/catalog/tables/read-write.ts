// `read` and `write`: one row per completed read(2) / write(2), pairing sys_enter_<call> (fd and
// requested bytes) with sys_exit_<call> (bytes transferred, or -errno) on the same thread.
import type { CuratedTable } from '../curated.js';
import { fieldRef, intColumn, requireEntry } from '../curated.js';
import { S32, S64, U64 } from '../types.js';
import { entryColumn, latencyColumn } from './columns.js';

function ioTable(call: 'read' | 'write'): CuratedTable {
  return {
    name: call,
    description: `${call}(2) calls: fd, bytes requested and ${call === 'read' ? 'read' : 'written'}, latency`,
    event: { category: 'syscalls', event: `sys_exit_${call}` },
    entries: [{ category: 'syscalls', event: `sys_enter_${call}` }],
    build(exit, entryFormat) {
      const entry = requireEntry(entryFormat, call);
      return {
        columns: [
          entryColumn(0, 'fd', S32, 'file descriptor'),
          entryColumn(1, 'requested', U64, 'bytes asked for (count)'),
          intColumn(exit, 'ret', 'returned', `bytes ${call === 'read' ? 'read' : 'written'}, or -errno`, S64),
          latencyColumn(`nanoseconds spent in ${call}`),
        ],
        pairing: { key: { kind: 'thread' }, saved: [fieldRef(entry, 'fd'), fieldRef(entry, 'count')] },
      };
    },
  };
}

export const readTable = ioTable('read');
export const writeTable = ioTable('write');
