// `open`: one row per completed openat(2), pairing sys_enter_openat (path, flags) with
// sys_exit_openat (the returned fd or -errno) on the same thread.
import type { CuratedTable } from '../curated.js';
import { fieldRef, intColumn, requireEntry } from '../curated.js';
import { S64, U64 } from '../types.js';
import { entryColumn } from './columns.js';

export const openTable: CuratedTable = {
  name: 'open',
  description: 'files opened with openat(2), with result and latency',
  event: { category: 'syscalls', event: 'sys_exit_openat' },
  entries: [{ category: 'syscalls', event: 'sys_enter_openat' }],
  build(exit, entryFormat) {
    const entry = requireEntry(entryFormat, 'open');
    const saved = [fieldRef(entry, 'filename'), fieldRef(entry, 'flags'), fieldRef(entry, 'dfd')];
    return {
      columns: [
        { name: 'filename', type: { kind: 'string' }, source: { kind: 'entry-user-string', index: 0 }, description: 'path given to openat' },
        entryColumn(saved, 1, 'flags', 'open flags (O_*)'),
        entryColumn(saved, 2, 'dfd', 'directory fd the path is relative to (-100: AT_FDCWD)'),
        intColumn(exit, 'ret', 'ret', 'the new fd, or -errno', S64),
        { name: 'latency_ns', type: U64, source: { kind: 'latency' }, description: 'time spent in openat' },
      ],
      pairing: { key: { kind: 'thread' }, saved },
    };
  },
};
