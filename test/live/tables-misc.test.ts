// `page_faults`, `signals` and `oom_kill` against workloads whose events are known exactly;
// page_faults on both hooks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine.js';
import { Workload, workloadSkip } from '../helpers/c-workload.js';
import { engineOn, hookOf } from '../helpers/hook-engine.js';
import { queryDuring } from '../helpers/query-during.js';
import { kernelSkip } from '../helpers/workload.js';

const skip = kernelSkip() || workloadSkip();
const PAGES = 100;

for (const [hook, kind] of [['cheapest', 'raw tracepoint'], ['tracepoint', 'tracepoint']] as const) test(`page_faults on the ${hook} hook: one write fault per fresh page`, { skip }, async () => {
  const w = await Workload.start('bqpf', ['touch', String(PAGES)]);
  const engine = await engineOn(hook);
  try {
    const run = await queryDuring(
      engine,
      `SELECT comm, error_code & 2 = 2 AS write, count(*) AS n, count(DISTINCT address >> 12) AS pages FROM page_faults WHERE pid = ${w.pid} AND address >= ${w.lo} AND address < ${w.hi} GROUP BY comm, error_code & 2 = 2`,
      () => w.go(),
    );
    assert.deepEqual(run.rows, [[w.comm, true, PAGES, PAGES]]);
    assert.equal(hookOf(run.kernel), kind);
  } finally {
    await engine.close();
    w.remove();
  }
});

test('signals: 25 SIGWINCH sent by this process to a sleeping child, which ignores them', { skip }, async () => {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const engine = await Engine.open();
  try {
    const run = await queryDuring(
      engine,
      `SELECT signal, signo, target_comm, result, count(*) AS n FROM signals WHERE pid = ${process.pid} AND target_pid = ${child.pid} AND signal IN ('SIGWINCH', 'SIGUSR1') GROUP BY signal, signo, target_comm, result`,
      async () => {
        for (let i = 0; i < 25; i++) process.kill(child.pid!, 'SIGWINCH');
      },
    );
    // result 1: ignored (SIGWINCH's default action).
    assert.deepEqual(run.rows, [['SIGWINCH', 28, 'sleep', 1, 25]]);
    assert.deepEqual(run.kernel.plan.residualFilters, []);
  } finally {
    await engine.close();
    child.kill('SIGKILL');
    await exited;
  }
});

/** A fresh memory cgroup (v1) inside this process's own, or why there can be none. */
function memoryCgroup(): { dir: string } | { skip: string } {
  const line = readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((l) => /^\d+:([^:]*,)?memory(,[^:]*)?:/.test(l));
  if (!line) return { skip: 'no cgroup v1 memory controller to make an OOM happen in (cgroup v2 only)' };
  const parent = join('/sys/fs/cgroup/memory', line.slice(line.lastIndexOf(':') + 1));
  if (!existsSync(join(parent, 'memory.limit_in_bytes'))) return { skip: `no memory cgroup at ${parent}` };
  return { dir: join(parent, `bpfql-oom-${process.pid}`) };
}

const cgroup = memoryCgroup();

test('oom_kill: a process over its memory cgroup\'s limit is the victim', { skip }, async (t) => {
  if ('skip' in cgroup) {
    t.skip(cgroup.skip);
    return;
  }
  mkdirSync(cgroup.dir);
  const engine = await Engine.open();
  try {
    writeFileSync(join(cgroup.dir, 'memory.limit_in_bytes'), String(64 << 20));
    // The shell moves itself into the cgroup once told to, then becomes python, which allocates 512 MiB.
    const child = spawn('/bin/sh', ['-c', `read go; echo $$ > ${join(cgroup.dir, 'cgroup.procs')}; exec python3 -c "b = b'x' * (512 << 20)"`], { stdio: ['pipe', 'ignore', 'ignore'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const run = await queryDuring(
      engine,
      `SELECT victim_pid, victim_comm, anon_rss_kb > 0 AS resident, total_vm_kb >= 512 * 1024 AS big FROM oom_kill WHERE victim_pid = ${child.pid}`,
      async () => {
        child.stdin.end('go\n');
        assert.equal(await exited, 'SIGKILL');
      },
    );
    assert.deepEqual(run.rows, [[child.pid, 'python3', true, true]]);
  } finally {
    await engine.close();
    // The cgroup can go once its (killed) process has left it.
    for (let i = 0; i < 50 && existsSync(cgroup.dir); i++) {
      try {
        rmdirSync(cgroup.dir);
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
});
