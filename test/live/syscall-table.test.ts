// `syscall('<name>')` on the real kernel: a workload makes a known number of calls of one system
// call, failing and succeeding; bpfql's counts by result must be exactly those, and bpftrace's
// counts of the same exits on the same run the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../src/engine/engine.js';
import { Bpftrace, bpftraceSkip } from '../helpers/bpftrace.js';
import { Workload, workloadSkip } from '../helpers/c-workload.js';
import { queryDuring } from '../helpers/query-during.js';
import { kernelSkip } from '../helpers/workload.js';

const skip = kernelSkip() || workloadSkip() || bpftraceSkip();

/** bpftrace's count of one system call's results for one command name. */
function resultsScript(syscall: string, comm: string): string {
  return `tracepoint:syscalls:sys_exit_${syscall} /comm == "${comm}"/ { @ret[args->ret] = count(); }`;
}

test("syscall('kill'): every kill of a missing pid returns -3 (ESRCH), as many times as it was called", { skip }, async () => {
  const KILLS = 37;
  const w = await Workload.start('bqkill', ['refused', '0', String(KILLS)]);
  const bt = await Bpftrace.start(resultsScript('kill', w.comm));
  const engine = await Engine.open();
  try {
    const run = await queryDuring(
      engine,
      `SELECT tp_pid, sig, ret, count(*) AS n, min(latency_ns) > 0 AS timed FROM syscall('kill') WHERE comm = '${w.comm}' GROUP BY tp_pid, sig, ret`,
      () => w.go(),
    );
    assert.deepEqual(run.rows, [[0x7fffffff, 0, -3, KILLS, true]]);
    assert.deepEqual(run.kernel.plan.residualFilters, []);
    assert.equal(run.kernel.completeness.lostPairs, 0);
    assert.deepEqual([...Bpftrace.counts(await bt.stop(), 'ret')], [['-3', KILLS]]);
  } finally {
    bt.kill();
    await engine.close();
    w.remove();
  }
});

test("syscall('newfstatat'): failed and successful calls counted apart, with their paths", { skip }, async () => {
  const [OK, MISSING] = [23, 41];
  const w = await Workload.start('bqstat', ['stat', String(OK), String(MISSING)]);
  const bt = await Bpftrace.start(resultsScript('newfstatat', w.comm));
  const engine = await Engine.open();
  try {
    const run = await queryDuring(
      engine,
      `SELECT filename, dfd, ret, count(*) AS n FROM syscall('newfstatat') WHERE comm = '${w.comm}' GROUP BY filename, dfd, ret ORDER BY ret`,
      () => w.go(),
    );
    // dfd is AT_FDCWD; ENOENT is 2.
    assert.deepEqual(run.rows, [['/nonexistent/bpfql', -100, -2, MISSING], ['/', -100, 0, OK]]);
    assert.deepEqual(new Map(Bpftrace.counts(await bt.stop(), 'ret')), new Map([['-2', MISSING], ['0', OK]]));
  } finally {
    bt.kill();
    await engine.close();
    w.remove();
  }
});
