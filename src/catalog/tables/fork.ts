// `fork`: one row per new task (process or thread), from sched:sched_process_fork, which fires
// in the parent: the common columns are the parent's.
import type { Column } from '../column.js';
import type { CuratedTable } from '../curated.js';
import { intColumn } from '../curated.js';
import type { TracepointFormat } from '../format.js';
import { S32 } from '../types.js';
import { argMemberColumn, argStringColumn, stringColumn } from './columns.js';

function childColumns(format: TracepointFormat): Column[] {
  return [
    intColumn(format, 'child_pid', 'child_pid', 'thread id of the new task (its pid when it is a process)', S32),
    stringColumn(format, 'child_comm', 'child_comm', 'command name of the new task'),
  ];
}

export const forkTable: CuratedTable = {
  name: 'fork',
  description: 'new processes and threads (sched:sched_process_fork; pid and comm are the parent\'s)',
  event: { category: 'sched', event: 'sched_process_fork' },
  build(format) {
    return { columns: childColumns(format) };
  },
  // TP_PROTO(struct task_struct *parent, struct task_struct *child): the record copies child->pid
  // and child->comm, which the raw program reads where they are.
  raw(format) {
    const [pid, comm] = childColumns(format);
    return { columns: [argMemberColumn(pid!, 1, [['task_struct', 'pid']]), argStringColumn(comm!, 1, [[['task_struct', 'comm']]])] };
  },
};
