// `exit` and `fork` against workloads whose exits and forks are known exactly, each on both hooks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '../../src/catalog/catalog.js';
import type { Hook } from '../../src/catalog/hook.js';
import { describeSource } from '../../src/catalog/table.js';
import { Engine } from '../../src/engine/engine.js';
import { kernelCatalogEnv } from '../../src/runtime/kernel-env.js';
import { Workload, workloadSkip } from '../helpers/c-workload.js';
import { queryDuring } from '../helpers/query-during.js';
import { kernelSkip, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip() || workloadSkip();

/** exit's event on each hook: tp_btf where the kernel's BTF has it (this one's does), and the classic tracepoint. */
const EXIT_SOURCES: readonly (readonly [Hook, string])[] = [
  ['cheapest', 'BTF-typed raw tracepoint (tp_btf) sched:sched_process_exit'],
  ['tracepoint', 'tracepoint sched:sched_process_exit'],
];

for (const [hook, source] of EXIT_SOURCES) test(`exit on the ${hook} hook: exit status, killing signal and lifetime of two processes`, { skip }, async () => {
  const exitingStarted = process.hrtime.bigint();
  const exiting = await Workload.start('bqexit', ['exit', '7', '60']);
  const killed = await Workload.start('bqkill', ['exit', '0', '0']);
  const engine = await Engine.open({}, new Catalog({ ...kernelCatalogEnv, hook }));
  try {
    const started = process.hrtime.bigint();
    const run = await queryDuring(
      engine,
      `SELECT comm, exit_code >> 8 AS status, exit_code & 127 AS sig, lifetime_ns, last_thread FROM exit WHERE comm IN ('${exiting.comm}', '${killed.comm}') ORDER BY comm = '${killed.comm}'`,
      async () => {
        assert.deepEqual(await exiting.go(), { code: 7, signal: null });
        process.kill(killed.pid, 'SIGKILL');
        assert.deepEqual(await killed.exited, { code: null, signal: 'SIGKILL' });
      },
    );
    assert.equal(describeSource(run.kernel.plan.kernel.source), source);
    assert.deepEqual(run.rows.map((r) => [r[0], r[1], r[2], r[4]]), [
      [exiting.comm, 7, 0, 1],
      [killed.comm, 0, 9, 1],
    ]);
    // It slept 60 ms after go(), and was started (by Workload.start, before the engine opened)
    // less than the time since then before the query ended: a bound the test measures itself.
    const lifetime = BigInt(run.rows[0]![3] as number | bigint);
    const upper = process.hrtime.bigint() - exitingStarted;
    assert.ok(lifetime >= 60_000_000n && lifetime <= upper, `lifetime ${lifetime} ns, at most ${upper} ns`);
    assert.ok(started > exitingStarted);
  } finally {
    await engine.close();
    exiting.remove();
    killed.remove();
  }
});

const THREADS = 5;

for (const [hook, source] of EXIT_SOURCES) test(`exit on the ${hook} hook: a process's threads exit before it, the last one with last_thread`, { skip }, async () => {
  const w = await Workload.start('bqthr', ['blocked', String(THREADS)]);
  const engine = await Engine.open({}, new Catalog({ ...kernelCatalogEnv, hook }));
  try {
    const run = await queryDuring(engine, `SELECT last_thread, count(*), count(DISTINCT tid) FROM exit WHERE comm = '${w.comm}' AND pid = ${w.pid} GROUP BY last_thread ORDER BY last_thread`, () => w.go());
    assert.equal(describeSource(run.kernel.plan.kernel.source), source);
    assert.deepEqual(run.rows.map((r) => [...r]), [[0, THREADS, THREADS], [1, 1, 1]]);
  } finally {
    await engine.close();
    w.remove();
  }
});

/** fork's event on each hook: the raw tracepoint (the child's pid and comm read from its task_struct) and the classic one. */
const FORK_SOURCES: readonly (readonly [Hook, string])[] = [
  ['cheapest', 'raw tracepoint sched:sched_process_fork'],
  ['tracepoint', 'tracepoint sched:sched_process_fork'],
];

for (const [hook, source] of FORK_SOURCES) test(`fork on the ${hook} hook: a shell under a unique name forks once per command it runs`, { skip }, async () => {
  const comm = uniqueComm('bqfork');
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-fork-'));
  const sh = join(dir, comm);
  copyFileSync('/bin/sh', sh);
  const engine = await Engine.open({}, new Catalog({ ...kernelCatalogEnv, hook }));
  try {
    let shellPid = 0;
    const run = await queryDuring(
      engine,
      `SELECT pid, child_comm, count(*) AS n, min(child_pid) > pid AS later FROM fork WHERE comm = '${comm}' GROUP BY pid, child_comm`,
      async () => {
        const s = spawn(sh, ['-c', 'i=0; while [ $i -lt 20 ]; do /bin/true; i=$((i+1)); done'], { stdio: 'ignore' });
        shellPid = s.pid!;
        assert.equal(await new Promise((resolve) => s.on('exit', resolve)), 0);
      },
    );
    assert.deepEqual(run.rows, [[shellPid, comm, 20, true]]);
    assert.equal(run.kernel.plan.kernel.mode.kind, 'aggregate');
    assert.equal(describeSource(run.kernel.plan.kernel.source), source);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
