// `fork`: one row per new task (process or thread), from sched:sched_process_fork, which fires
// in the parent: the common columns are the parent's.
import type { CuratedTable } from '../curated.js';
import { intColumn } from '../curated.js';
import { S32 } from '../types.js';
import { stringColumn } from './columns.js';

export const forkTable: CuratedTable = {
  name: 'fork',
  description: 'new processes and threads (sched:sched_process_fork; pid and comm are the parent\'s)',
  event: { category: 'sched', event: 'sched_process_fork' },
  build(format) {
    return {
      columns: [
        intColumn(format, 'child_pid', 'child_pid', 'thread id of the new task (its pid when it is a process)', S32),
        stringColumn(format, 'child_comm', 'child_comm', 'command name of the new task'),
      ],
    };
  },
};
