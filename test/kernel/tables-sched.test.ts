// `sched_switch` and `runq_latency`: a workload that sleeps a known number of times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../src/engine/engine.js';
import { Workload, workloadSkip } from '../helpers/c-workload.js';
import { queryDuring } from '../helpers/query-during.js';
import { kernelSkip } from '../helpers/workload.js';

const skip = kernelSkip() || workloadSkip();
const SLEEPS = 30;

test('sched_switch: each sleep switches the workload out, sleeping', { skip }, async () => {
  const w = await Workload.start('bqsw', ['sleep', String(SLEEPS), '2']);
  const engine = await Engine.open();
  try {
    const run = await queryDuring(
      engine,
      `SELECT prev_comm, prev_state, count(*) AS n FROM sched_switch WHERE prev_pid = ${w.pid} AND prev_state = 1 GROUP BY prev_comm, prev_state`,
      () => w.go(),
    );
    assert.deepEqual(run.rows, [[w.comm, 1, SLEEPS]]);
  } finally {
    await engine.close();
    w.remove();
  }
});

test('runq_latency: each wakeup of the workload is paired with its switch-in', { skip }, async () => {
  const w = await Workload.start('bqrq', ['sleep', String(SLEEPS), '2']);
  const engine = await Engine.open();
  try {
    const run = await queryDuring(
      engine,
      `SELECT task_comm, count(*) AS n, max(latency_ns) AS worst FROM runq_latency WHERE task_pid = ${w.pid} GROUP BY task_comm`,
      () => w.go(),
    );
    assert.equal(run.rows.length, 1);
    const [comm, n, worst] = run.rows[0]!;
    assert.equal(comm, w.comm);
    // One wakeup per sleep, and one for the line that started it. Timer wakeups come in interrupts,
    // and the kernel skips a tracepoint program that interrupts another BPF program on the same
    // CPU (its recursion guard): where other BPF programs run, some wakeups go unseen. Their
    // switch-ins then find no entry, and are counted as unmatched.
    const unmatched = run.kernel.completeness.unmatchedPairs;
    assert.ok(Number(n) >= SLEEPS / 2 && Number(n) <= SLEEPS + 1, `${n} wakeups`);
    assert.ok(Number(n) + unmatched >= SLEEPS + 1, `${n} wakeups, ${unmatched} unmatched`);
    assert.ok(Number(worst) < 1e9, `worst latency ${worst} ns`);
  } finally {
    await engine.close();
    w.remove();
  }
});
