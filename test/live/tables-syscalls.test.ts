// `syscalls`: a workload makes a known number of calls; a call in flight when the query starts
// lies outside its window, and is no loss.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../src/engine/engine.js';
import { Workload, workloadSkip } from '../helpers/c-workload.js';
import { queryDuring } from '../helpers/query-during.js';
import { kernelSkip } from '../helpers/workload.js';

const skip = kernelSkip() || workloadSkip();

test('syscalls: 1000 getppid calls, named and filtered in the kernel', { skip }, async () => {
  const w = await Workload.start('bqsys', ['getppid', '1000']);
  const engine = await Engine.open();
  try {
    const run = await queryDuring(
      engine,
      `SELECT syscall, id, count(*) AS n, min(ret) > 0 AS ok FROM syscalls WHERE comm = '${w.comm}' AND syscall IN ('getppid', 'getpid') GROUP BY syscall, id`,
      () => w.go(),
    );
    assert.deepEqual(run.rows, [['getppid', 110, 1000, true]]);
    const k = run.kernel;
    assert.equal(k.plan.kernel.mode.kind, 'aggregate');
    assert.deepEqual(k.plan.residualFilters, []);
    // The workload was blocked in read(2) when the program attached: that return has no entry,
    // and is outside the query's window.
    assert.deepEqual(k.completeness, { lostRecords: 0, failedUpdates: 0, lostPairs: 0, lostStacks: 0, missedEvents: 0 });
  } finally {
    await engine.close();
    w.remove();
  }
});

test('syscalls: latency of 5 sleeps of 20 ms', { skip }, async () => {
  const w = await Workload.start('bqslp', ['sleep', '5', '20']);
  const engine = await Engine.open();
  try {
    const run = await queryDuring(
      engine,
      `SELECT count(*) AS n, min(latency_ns) AS lo, max(latency_ns) AS hi FROM syscalls WHERE comm = '${w.comm}' AND syscall = 'clock_nanosleep'`,
      () => w.go(),
    );
    const [n, lo, hi] = run.rows[0]!.map(Number);
    assert.equal(n, 5);
    assert.ok(lo! >= 20e6, `shortest ${lo} ns`);
    assert.ok(hi! < 2e9, `longest ${hi} ns`);
  } finally {
    await engine.close();
    w.remove();
  }
});
