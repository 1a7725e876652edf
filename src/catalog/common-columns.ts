// The columns every kernel table has, whatever its event.
import type { Column } from './column.js';
import { S32, STRING, TIMESTAMP, U32, U64 } from './types.js';

export const COMMON_COLUMNS: readonly Column[] = [
  { name: 'ts', type: TIMESTAMP, source: { kind: 'builtin', name: 'ts' }, description: 'time of the event (wall clock)' },
  { name: 'cpu', type: U32, source: { kind: 'builtin', name: 'cpu' }, description: 'CPU the event ran on' },
  { name: 'pid', type: S32, source: { kind: 'builtin', name: 'pid' }, description: 'process id (thread group id)' },
  { name: 'tid', type: S32, source: { kind: 'builtin', name: 'tid' }, description: 'thread id' },
  { name: 'ppid', type: S32, source: { kind: 'task', path: ['real_parent', 'tgid'], size: 4, signed: true }, description: 'parent process id (task_struct, offsets from BTF)' },
  { name: 'uid', type: U32, source: { kind: 'builtin', name: 'uid' }, description: 'user id' },
  { name: 'gid', type: U32, source: { kind: 'builtin', name: 'gid' }, description: 'group id' },
  { name: 'comm', type: STRING, source: { kind: 'builtin', name: 'comm' }, description: 'command name (16 bytes at most)' },
  { name: 'cgroup_id', type: U64, source: { kind: 'builtin', name: 'cgroup_id' }, description: 'cgroup v2 id' },
];

export const COMMON_COLUMN_NAMES: ReadonlySet<string> = new Set(COMMON_COLUMNS.map((c) => c.name));

/**
 * The common columns that describe the task rather than the moment: the entry of a paired table
 * already has them for its pair (ts and cpu are the exit's, and may differ).
 */
export const TASK_COLUMNS: readonly Column[] = COMMON_COLUMNS.filter((c) => c.name !== 'ts' && c.name !== 'cpu');
