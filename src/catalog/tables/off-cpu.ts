// `off_cpu`: one row per period a thread spent off a CPU, as bcc's offcputime measures it. The
// period starts at the sched:sched_switch that takes the thread off (it is `prev`, and still the
// current task: the entry program saves its task values, prev_state and its stacks there, keyed
// by its pid) and ends at the sched_switch that puts it back (it is `next`: the exit program finds
// the entry by next_pid). `SELECT kstack, ustack, sum(latency_ns) FROM off_cpu … GROUP BY kstack,
// ustack` is offcputime. Both sides are the same event, so the one event runs two programs.
import type { CuratedTable, TableShape } from '../curated.js';
import type { FieldRef } from '../table.js';
import { S64 } from '../types.js';
import { fieldRef, requireEntry } from '../curated.js';
import { entryStackColumns } from '../stack-columns.js';
import { entryColumn, entryTaskColumns, latencyColumn } from './columns.js';

export const offCpuTable: CuratedTable = {
  name: 'off_cpu',
  description: 'time threads spend off a CPU: from a thread\'s switch-out to its next switch-in, with its state and stacks at switch-out (sched:sched_switch)',
  event: { category: 'sched', event: 'sched_switch' },
  entries: [{ category: 'sched', event: 'sched_switch' }],
  build(switchIn, switchOutFormat) {
    const switchOut = requireEntry(switchOutFormat, 'off_cpu');
    return offCpuShape(fieldRef(switchOut, 'prev_pid'), fieldRef(switchIn, 'next_pid'), fieldRef(switchOut, 'prev_state'));
  },
  // TP_PROTO(bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int
  // prev_state) (5.18 on): the pair is keyed by the task_struct itself. The raw hook matters here
  // beyond its cost: the classic one formats each record in perf's per-CPU buffer, and a switch
  // that comes while a preempted task holds that buffer (faultable syscall tracepoints run
  // preemptible) is dropped without a count, so a period would go missing unseen.
  raw() {
    return offCpuShape({ offset: 8, size: 8 }, { offset: 16, size: 8 }, { offset: 24, size: 4, signed: false });
  },
};

function offCpuShape(out: FieldRef, back: FieldRef, state: FieldRef & { readonly signed: boolean }): TableShape {
  const saved = [state];
  const task = entryTaskColumns('the thread that was off the CPU');
  // Every CPU's idle task is pid 0: it is never off a CPU in this sense.
  const tid = task.find((c) => c.name === 'tid');
  if (!tid) throw new Error('off_cpu: the common columns have no tid');
  return {
    columns: [
      entryColumn(saved, 0, 'state', 'its state bits when it left: 0 runnable, 1 sleeping (S), 2 uninterruptible (D), …; the tracepoint hook reports a preempted task as 256, the raw hooks give the scheduler\'s own bits (a freezable sleep is 0x2001)', S64),
      latencyColumn('nanoseconds from leaving a CPU to running again'),
      ...entryStackColumns('when it left the CPU'),
    ],
    common: task,
    pairing: { key: { kind: 'fields', entry: [out], exit: [back] }, saved },
    where: [{ column: tid, above: 0n }],
  };
}
