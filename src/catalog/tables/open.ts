// `open`: one row per completed openat(2), pairing sys_enter_openat (path, flags) with
// sys_exit_openat (the returned fd or -errno) on the same thread.
import type { CuratedTable } from '../curated.js';
import { fieldRef, intColumn, requireEntry } from '../curated.js';
import { S32, S64, U64 } from '../types.js';

export const openTable: CuratedTable = {
  name: 'open',
  description: 'files opened with openat(2), with result and latency',
  event: { category: 'syscalls', event: 'sys_exit_openat' },
  entries: [{ category: 'syscalls', event: 'sys_enter_openat' }],
  build(exit, entryFormat) {
    const entry = requireEntry(entryFormat, 'open');
    return {
      columns: [
        { name: 'filename', type: { kind: 'string' }, source: { kind: 'entry-user-string', index: 0 }, description: 'path given to openat' },
        { name: 'flags', type: S32, source: { kind: 'entry-field', index: 1, signed: false }, description: 'open flags (O_*)' },
        { name: 'dfd', type: S32, source: { kind: 'entry-field', index: 2, signed: true }, description: 'directory fd the path is relative to' },
        intColumn(exit, 'ret', 'ret', 'the new fd, or -errno', S64),
        { name: 'latency_ns', type: U64, source: { kind: 'latency' }, description: 'time spent in openat' },
      ],
      pairing: { key: { kind: 'thread' }, saved: [fieldRef(entry, 'filename'), fieldRef(entry, 'flags'), fieldRef(entry, 'dfd')] },
    };
  },
};
