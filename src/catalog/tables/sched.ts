// Scheduler tables. `sched_switch` is the tracepoint under its own names. `runq_latency` is the
// time a runnable task waits for a CPU, as bcc's and bpftrace's runqlat measure it: a task joins
// the run queue when it is woken (sched:sched_wakeup), when it is new (sched:sched_wakeup_new),
// or when it is switched out while still runnable (sched:sched_switch with a runnable
// prev_state: preempted); it leaves it at the sched_switch that runs it, by pid. The switch runs
// in the task being switched out, so the common columns are that task's; the waiting task is
// task_pid/task_comm.
import type { MemberPath } from '../column.js';
import type { CuratedTable } from '../curated.js';
import { fieldRef, intColumn, requireEntry } from '../curated.js';
import { S32 } from '../types.js';
import { argMemberColumn, argStringColumn, latencyColumn, renamedTracepoint, stringColumn } from './columns.js';

const schedSwitchClassic: CuratedTable = renamedTracepoint(
  'sched_switch',
  'context switches: the task leaving the CPU and the one taking it (sched:sched_switch)',
  'sched', 'sched_switch',
  [
    ['prev_pid', 'prev_pid', 'thread switched out'],
    ['prev_comm', 'prev_comm', 'its command name'],
    ['prev_prio', 'prev_prio', 'its priority'],
    ['prev_state', 'prev_state', 'its state: 0 runnable, 256 runnable and preempted, 1 sleeping (S), 2 uninterruptible (D), …'],
    ['next_pid', 'next_pid', 'thread switched in'],
    ['next_comm', 'next_comm', 'its command name'],
    ['next_prio', 'next_prio', 'its priority'],
  ],
);

function taskMember(member: string): MemberPath {
  return [['task_struct', member]];
}

export const schedSwitchTable: CuratedTable = {
  ...schedSwitchClassic,
  // TP_PROTO(bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int
  // prev_state) (5.18 on; an older kernel's two-argument prototype refuses the attach, having no
  // fourth argument). The record copies pid, comm and prio of both tasks, which the program reads
  // in their task_structs during the same call, and computes prev_state (see switch-state).
  raw(format) {
    const [prevPid, prevComm, prevPrio, prevState, nextPid, nextComm, nextPrio] = schedSwitchClassic.build(format, undefined).columns;
    return {
      columns: [
        argMemberColumn(prevPid!, 1, taskMember('pid')),
        argStringColumn(prevComm!, 1, [taskMember('comm')]),
        argMemberColumn(prevPrio!, 1, taskMember('prio')),
        { ...prevState!, source: { kind: 'switch-state', preempt: 0, task: 8, state: 24, exitState: taskMember('exit_state') } },
        argMemberColumn(nextPid!, 2, taskMember('pid')),
        argStringColumn(nextComm!, 2, [taskMember('comm')]),
        argMemberColumn(nextPrio!, 2, taskMember('prio')),
      ],
    };
  },
};

/**
 * prev_state bits that mean the task is not runnable (TASK_REPORT: S, D, T, t, X, Z, P, and I).
 * The tracepoint reports a runnable task as 0, or as TASK_REPORT_MAX (256) when it was preempted.
 */
const NOT_RUNNABLE = 0xff;

export const runqLatencyTable: CuratedTable = {
  name: 'runq_latency',
  description: 'run queue latency: from a task becoming runnable (woken, new or preempted) to its switch-in (sched:sched_wakeup, sched_wakeup_new, sched_switch)',
  event: { category: 'sched', event: 'sched_switch' },
  entries: [{ category: 'sched', event: 'sched_wakeup' }, { category: 'sched', event: 'sched_wakeup_new' }],
  build(sw, wakeupFormat) {
    const wakeup = requireEntry(wakeupFormat, 'runq_latency');
    return {
      columns: [
        intColumn(sw, 'next_pid', 'task_pid', 'thread that waited and now runs', S32),
        stringColumn(sw, 'next_comm', 'task_comm', 'its command name'),
        intColumn(sw, 'next_prio', 'task_prio', 'its priority', S32),
        latencyColumn('nanoseconds from becoming runnable to running'),
      ],
      pairing: {
        key: { kind: 'fields', entry: [fieldRef(wakeup, 'pid')], exit: [fieldRef(sw, 'next_pid')] },
        saved: [],
        reopen: { key: [fieldRef(sw, 'prev_pid')], field: fieldRef(sw, 'prev_state'), mask: NOT_RUNNABLE },
      },
    };
  },
};
