// `exit`: one row per exiting thread, from sched:sched_process_exit, which fires in the exiting
// task after do_exit() has stored its exit code. The lifetime is measured from the task's own
// start_time (task_struct, offsets from BTF), so tasks started before the query count too.
import type { Column } from '../column.js';
import type { CuratedTable } from '../curated.js';
import type { TracepointFormat } from '../format.js';
import { S32, U64 } from '../types.js';
import { optionalIntColumn } from './columns.js';

const TASK_COLUMNS: readonly Column[] = [
  {
    name: 'exit_code',
    type: S32,
    source: { kind: 'task', path: ['exit_code'], size: 4, signed: true },
    description: 'wait status: exit status in bits 8-15 (exit_code >> 8), killing signal in bits 0-6 (exit_code & 127)',
  },
  {
    name: 'lifetime_ns',
    type: U64,
    source: { kind: 'task', path: ['start_time'], size: 8, signed: false, elapsed: true },
    description: 'nanoseconds from the thread\'s start to its exit',
  },
];

/** Kernels before 6.x lack group_dead; the table works without it. */
function lastThread(format: TracepointFormat): Column[] {
  return optionalIntColumn(format, 'group_dead', 'last_thread', '1 when the exiting thread is the last of its process (the process exits)');
}

export const exitTable: CuratedTable = {
  name: 'exit',
  description: 'thread and process exits, with exit code and lifetime (sched:sched_process_exit)',
  event: { category: 'sched', event: 'sched_process_exit' },
  build(format) {
    return { columns: [...TASK_COLUMNS, ...lastThread(format)] };
  },
  // TP_PROTO(struct task_struct *p, bool group_dead): the kernel that formats group_dead passes it
  // as the second argument (a bool widened to 8 bytes, 0 or 1); the rest reads the current task.
  raw(format) {
    return { columns: [...TASK_COLUMNS, ...lastThread(format).map((c): Column => ({ ...c, source: { kind: 'field', offset: 8, size: 1, signed: false } }))] };
  },
  btf: true,
};
