// `sched_switch` and `runq_latency`: a workload that sleeps a known number of times; sched_switch
// on both hooks.
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../src/engine/engine.js';
import { Workload, workloadSkip } from '../helpers/c-workload.js';
import { engineOn, hookOf } from '../helpers/hook-engine.js';
import { queryDuring } from '../helpers/query-during.js';
import { kernelSkip } from '../helpers/workload.js';
import { Bpftrace, bpftraceSkip } from '../helpers/bpftrace.js';

const skip = kernelSkip() || workloadSkip();
const SLEEPS = 30;

for (const [hook, kind] of [['cheapest', 'raw tracepoint'], ['tracepoint', 'tracepoint']] as const) test(`sched_switch on the ${hook} hook: each sleep switches the workload out, sleeping`, { skip }, async () => {
  const w = await Workload.start('bqsw', ['sleep', String(SLEEPS), '2']);
  const engine = await engineOn(hook);
  try {
    // prio 120: nice 0.
    const run = await queryDuring(
      engine,
      `SELECT prev_comm, prev_state, prev_prio, count(*) AS n FROM sched_switch WHERE prev_pid = ${w.pid} AND prev_state = 1 GROUP BY prev_comm, prev_state, prev_prio`,
      () => w.go(),
    );
    assert.deepEqual(run.rows, [[w.comm, 1, 120, SLEEPS]]);
    assert.equal(hookOf(run.kernel), kind);
  } finally {
    await engine.close();
    w.remove();
  }
});

/** bpftrace, counting what runqlat counts for tasks named in `comms`: waits from wakeup, new task or preemption to switch-in. */
function runqlatBpftrace(comms: readonly string[]): string {
  return `
tracepoint:sched:sched_wakeup, tracepoint:sched:sched_wakeup_new { @q[args->pid] = nsecs; }
tracepoint:sched:sched_switch {
  if ((args->prev_state & 0xff) == 0 && args->prev_pid != 0) { @q[args->prev_pid] = nsecs; }
  $t = @q[args->next_pid];
  if ($t != 0 && (${comms.map((c) => `args->next_comm == "${c}"`).join(' || ')})) { @n[args->next_comm] = count(); }
  delete(@q[args->next_pid]);
}`;
}

const ROUNDS = 200;

test('runq_latency counts what runqlat counts: the same waits as bpftrace on the same run', { skip: skip || bpftraceSkip() }, async () => {
  // Two workloads under names of their own: two processes pass a byte back and forth, each pass
  // waking the other; and more busy children than CPUs start as new tasks and preempt each other
  // while runnable. Every wakeup comes from a task, not an interrupt, so no BPF program is
  // interrupted and skips one.
  const cpus = availableParallelism();
  const w = await Workload.start('bqrq', ['pingpong', String(ROUNDS)]);
  const busy = await Workload.start('bqbusy', ['compete', String(cpus + 1), '300']);
  const bt = await Bpftrace.start(runqlatBpftrace([w.comm, busy.comm]));
  const engine = await Engine.open();
  try {
    const run = await queryDuring(
      engine,
      `SELECT task_comm, count(*) AS n, max(latency_ns) < 1000000000 AS bounded FROM runq_latency WHERE task_comm = '${w.comm}' OR task_comm = '${busy.comm}' GROUP BY task_comm ORDER BY task_comm`,
      () => Promise.all([w.go(), busy.go()]),
    );
    const out = await bt.stop();
    const theirs = Bpftrace.counts(out, 'n');
    // At least one wait per pass each way; one per new task, and more as they preempt each other.
    assert.ok(theirs.get(w.comm)! >= 2 * ROUNDS, out);
    assert.ok(theirs.get(busy.comm)! > 2 * (cpus + 1), out);
    const expected = [w.comm, busy.comm].sort().map((c) => [c, theirs.get(c), true]);
    assert.deepEqual(run.rows, expected);
    // (missedEvents may not be 0: timer wakeups of other tasks, in interrupts, can find a BPF
    // program running on their CPU, bpftrace's among them.)
    assert.equal(run.kernel.completeness.lostPairs, 0);
  } finally {
    bt.kill();
    await engine.close();
    w.remove();
    busy.remove();
  }
});
