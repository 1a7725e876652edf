// Scheduler tables. `sched_switch` is the tracepoint under its own names. `runq_latency` pairs
// sched:sched_wakeup (a task made runnable) with the sched:sched_switch that runs it, by pid:
// the time a woken task waited for a CPU. The switch runs in the task being switched out, so
// the common columns are that task's; the woken task is task_pid/task_comm. A task switched in
// after being preempted (not woken) has no wakeup and is counted as unmatched.
import type { CuratedTable } from '../curated.js';
import { fieldRef, intColumn, requireEntry } from '../curated.js';
import { S32 } from '../types.js';
import { latencyColumn, renamedTracepoint, stringColumn } from './columns.js';

export const schedSwitchTable: CuratedTable = renamedTracepoint(
  'sched_switch',
  'context switches: the task leaving the CPU and the one taking it (sched:sched_switch)',
  'sched', 'sched_switch',
  [
    ['prev_pid', 'prev_pid', 'thread switched out'],
    ['prev_comm', 'prev_comm', 'its command name'],
    ['prev_prio', 'prev_prio', 'its priority'],
    ['prev_state', 'prev_state', 'its state: 0 runnable (preempted), 1 sleeping (S), 2 uninterruptible (D), …'],
    ['next_pid', 'next_pid', 'thread switched in'],
    ['next_comm', 'next_comm', 'its command name'],
    ['next_prio', 'next_prio', 'its priority'],
  ],
);

export const runqLatencyTable: CuratedTable = {
  name: 'runq_latency',
  description: 'run queue latency: from a task\'s wakeup to its switch-in (sched:sched_wakeup, sched:sched_switch)',
  event: { category: 'sched', event: 'sched_switch' },
  entry: { category: 'sched', event: 'sched_wakeup' },
  build(sw, wakeupFormat) {
    const wakeup = requireEntry(wakeupFormat, 'runq_latency');
    return {
      columns: [
        intColumn(sw, 'next_pid', 'task_pid', 'thread that waited and now runs', S32),
        stringColumn(sw, 'next_comm', 'task_comm', 'its command name'),
        intColumn(sw, 'next_prio', 'task_prio', 'its priority', S32),
        latencyColumn('nanoseconds from wakeup to running'),
      ],
      pairing: { key: { kind: 'fields', entry: [fieldRef(wakeup, 'pid')], exit: [fieldRef(sw, 'next_pid')] }, saved: [] },
    };
  },
};
