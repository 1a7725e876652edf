// `read` and `write`: one row per completed read(2) / write(2), pairing sys_enter_<call> (fd and
// requested bytes) with sys_exit_<call> (bytes transferred, or -errno) on the same thread, and the
// file the fd names.
import type { CuratedTable } from '../curated.js';
import { fieldRef, intColumn, requireEntry } from '../curated.js';
import { S64 } from '../types.js';
import { entryColumn, fdFileColumns, latencyColumn } from './columns.js';

function ioTable(call: 'read' | 'write'): CuratedTable {
  return {
    name: call,
    description: `${call}(2) calls: fd, its file, bytes requested and ${call === 'read' ? 'read' : 'written'}, latency`,
    event: { category: 'syscalls', event: `sys_exit_${call}` },
    entries: [{ category: 'syscalls', event: `sys_enter_${call}` }],
    build(exit, entryFormat) {
      const entry = requireEntry(entryFormat, call);
      const saved = [fieldRef(entry, 'fd'), fieldRef(entry, 'count')];
      return {
        columns: [
          entryColumn(saved, 0, 'fd', 'file descriptor'),
          entryColumn(saved, 1, 'requested', 'bytes asked for (count)'),
          ...fdFileColumns(0),
          intColumn(exit, 'ret', 'returned', `bytes ${call === 'read' ? 'read' : 'written'}, or -errno`, S64),
          latencyColumn(`nanoseconds spent in ${call}`),
        ],
        pairing: { key: { kind: 'thread' }, saved },
      };
    },
  };
}

export const readTable = ioTable('read');
export const writeTable = ioTable('write');
