// `sched_switch` and `runq_latency`: a workload that sleeps a known number of times.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
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

/** bpftrace, counting what runqlat counts for tasks named `comm`: waits from wakeup, new task or preemption to switch-in. */
function runqlatBpftrace(comm: string): string {
  return `
tracepoint:sched:sched_wakeup, tracepoint:sched:sched_wakeup_new { @q[args->pid] = nsecs; }
tracepoint:sched:sched_switch {
  if ((args->prev_state & 0xff) == 0 && args->prev_pid != 0) { @q[args->prev_pid] = nsecs; }
  $t = @q[args->next_pid];
  if ($t != 0 && args->next_comm == "${comm}") { @n = count(); }
  delete(@q[args->next_pid]);
}`;
}

const ROUNDS = 200;

test('runq_latency counts what runqlat counts: the same waits as bpftrace on the same run', { skip: skip || (existsSync('/usr/bin/bpftrace') ? false : 'bpftrace is not installed') }, async () => {
  // Two processes of one name pass a byte back and forth: each pass wakes the other (in process
  // context, so no BPF program can be interrupted and skip it), the child starts as a new task,
  // and either may be preempted while runnable.
  const w = await Workload.start('bqrq', ['pingpong', String(ROUNDS)]);
  const bt = spawn('/usr/bin/bpftrace', ['-e', runqlatBpftrace(w.comm)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  bt.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const btDone = new Promise<void>((resolve) => bt.on('exit', () => resolve()));
  const engine = await Engine.open();
  try {
    await new Promise<void>((resolve, reject) => {
      bt.stdout.on('data', () => /Attaching/.test(out) && resolve());
      void btDone.then(() => reject(new Error(`bpftrace ended: ${out}`)));
    });
    const run = await queryDuring(engine, `SELECT task_comm, count(*) AS n, max(latency_ns) < 1000000000 AS bounded FROM runq_latency WHERE task_comm = '${w.comm}' GROUP BY task_comm`, () => w.go());
    bt.kill('SIGINT');
    await btDone;
    const theirs = /@n: (\d+)/.exec(out);
    assert.ok(theirs, out);
    assert.equal(run.kernel.completeness.missedEvents, 0);
    assert.equal(run.kernel.completeness.lostPairs, 0);
    // At least one wait per pass each way.
    assert.ok(Number(theirs[1]) >= 2 * ROUNDS, out);
    assert.deepEqual(run.rows, [[w.comm, Number(theirs[1]), true]]);
  } finally {
    if (bt.exitCode === null) bt.kill('SIGKILL');
    await engine.close();
    w.remove();
  }
});
