// `bpfql run` as CI runs it: the built CLI traces one command (its own cgroup, filtered in the
// kernel), checks assertions and baselines, and exits with the command's code, 3 or 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cgroup2MountPoint } from '../../src/kernel/cgroup.js';
import { CLI } from '../helpers/cli.js';
import { kernelSkip, shell } from '../helpers/workload.js';

const skip = kernelSkip();

interface Finished {
  /** bpfql's pid, which names its cgroup. */
  readonly pid: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function bpfqlRun(args: readonly string[]): Promise<Finished> {
  const child = spawn(process.execPath, [CLI, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ pid: child.pid!, code, stdout, stderr }));
  });
}

/** A scratch directory with a file to open; removed by `done`. */
function scratch(): { dir: string; known: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-run-test-'));
  const known = join(dir, 'known.txt');
  writeFileSync(known, 'known\n');
  return { dir, known, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A shell loop that opens `path` n times (one `cat` each). */
function opens(path: string, n: number): string {
  return `i=0; while [ $i -lt ${n} ]; do cat '${path}' > /dev/null; i=$((i+1)); done`;
}

interface JsonReport {
  readonly exitCode: number;
  readonly exit: number;
  readonly passed: boolean;
  readonly queries: readonly { readonly table: string; readonly kernelRows: number; readonly complete: boolean }[];
  readonly assertions: readonly { readonly sql: string; readonly passed: boolean; readonly values: Record<string, unknown> }[];
  readonly baseline: null | {
    readonly regressions: number;
    readonly comparisons: readonly { readonly key: string; readonly metric: string; readonly baseline: number; readonly current: number; readonly regressed: boolean }[];
  };
}

const readJson = (path: string): JsonReport => JSON.parse(readFileSync(path, 'utf8')) as JsonReport;

/** Cgroups the bpfql run with this pid made and did not remove. */
function leftCgroups(pid: number): string[] {
  const mount = cgroup2MountPoint(readFileSync('/proc/self/mountinfo', 'utf8'));
  return mount === undefined ? [] : readdirSync(mount).filter((n) => n.startsWith(`bpfql-run-${pid}-`));
}

test('counts exactly the 50 opens of the traced command while another process opens the same file', { skip }, async () => {
  const s = scratch();
  const bgLog = join(s.dir, 'bg.log');
  // The unrelated process opens the known file over and over, before, during and after the run.
  const unrelated = shell(`while :; do cat '${s.known}' > /dev/null; echo x >> '${bgLog}'; done`);
  try {
    while (!existsSync(bgLog)) await new Promise((r) => setTimeout(r, 10));
    const report = join(s.dir, 'report.json');
    // The command notes how far the unrelated loop got when it started and when it ended.
    const command = `wc -l < '${bgLog}' > '${s.dir}/before'; ${opens(s.known, 50)}; sleep 0.2; wc -l < '${bgLog}' > '${s.dir}/after'`;
    const r = await bpfqlRun([
      '-e', `CREATE TABLE opens AS SELECT count(*) AS n FROM tracepoint.syscalls.sys_enter_openat WHERE filename = '${s.known}'`,
      // Streamed raw rows: each one reached user space, so their number shows what the kernel let through.
      '-e', `CREATE TABLE rows AS SELECT pid, comm FROM tracepoint.syscalls.sys_enter_openat WHERE filename = '${s.known}'`,
      '--assert', 'SELECT n = 50 AS exact, n FROM opens',
      '--report', report,
      '--', 'sh', '-c', command,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const before = Number(readFileSync(join(s.dir, 'before'), 'utf8'));
    const after = Number(readFileSync(join(s.dir, 'after'), 'utf8'));
    assert.ok(after - before >= 10, `the unrelated process opened the file only ${after - before} times during the run`);
    const j = readJson(report);
    assert.deepEqual(j.assertions, [{ sql: 'SELECT n = 50 AS exact, n FROM opens', passed: true, values: { exact: true, n: 50 } }]);
    assert.deepEqual(j.queries.map((q) => [q.table, q.kernelRows, q.complete]), [['opens', 1, true], ['rows', 50, true]]);
    assert.match(r.stderr, /\.\.\. 30 more rows in rows\n/);
    assert.deepEqual(leftCgroups(r.pid), []);
  } finally {
    process.kill(unrelated.pid);
    await unrelated.done;
    s.done();
  }
});

test('syscalls and read of a traced command are complete: other processes\' calls open no pairs, and nothing is lost', { skip }, async () => {
  // The command's cat reads 10 bytes from a pipe that a shell fills a line at a time; other
  // processes make calls all the while, and some are in flight when the queries attach and end.
  const r = await bpfqlRun([
    // latency_ns makes syscalls pair entries with exits (a count alone runs on sys_enter, with no pairs).
    '-e', 'CREATE TABLE calls AS SELECT count(*) AS n, max(latency_ns) AS slowest FROM syscalls',
    '-e', 'CREATE TABLE reads AS SELECT sum(returned) AS bytes FROM read WHERE fd = 0',
    '--assert', 'SELECT sum(lost_pairs) = 0 AND sum(lost_records) = 0 AND sum(failed_map_updates) = 0 AS ok FROM bpfql_runs',
    '--assert', 'SELECT bytes = 10 AS ok, bytes FROM reads',
    '--', 'sh', '-c', 'for i in 1 2 3 4 5; do echo $i; sleep 0.05; done | cat > /dev/null',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /== calls \(complete: no lost records, no failed map updates, no lost pairs, no lost stacks, no skipped events\)/);
  assert.match(r.stderr, /== reads \(complete: no lost records, no failed map updates, no lost pairs, no lost stacks, no skipped events\)/);
});

test('a failing assertion exits 3 and the reports name it with its value; passing ones keep the command\'s exit code', { skip }, async () => {
  const s = scratch();
  try {
    const query = `CREATE TABLE opens AS SELECT count(*) AS n FROM tracepoint.syscalls.sys_enter_openat WHERE filename = '${s.known}'`;
    const json = join(s.dir, 'r.json');
    const xml = join(s.dir, 'r.xml');
    const failing = await bpfqlRun(['-e', query, '--assert', 'SELECT n <= 2 AS ok, n FROM opens', '--assert', 'SELECT n > 0 FROM opens',
      '--report', json, '--report', xml, '--', 'sh', '-c', opens(s.known, 3)]);
    assert.equal(failing.code, 3, failing.stderr);
    assert.match(failing.stderr, /FAIL SELECT n <= 2 AS ok, n FROM opens: false \(ok=false, n=3\)/);
    const j = readJson(json);
    assert.equal(j.exit, 3);
    assert.equal(j.exitCode, 0);
    assert.equal(j.passed, false);
    assert.deepEqual(j.assertions, [
      { sql: 'SELECT n <= 2 AS ok, n FROM opens', passed: false, values: { ok: false, n: 3 } },
      { sql: 'SELECT n > 0 FROM opens', passed: true, values: { '(n > 0)': true } },
    ]);
    const junit = readFileSync(xml, 'utf8');
    assert.match(junit, /<testsuites name="bpfql run" tests="2" failures="1" errors="0"/);
    assert.ok(junit.includes(
      '<testcase classname="bpfql.assert" name="SELECT n &lt;= 2 AS ok, n FROM opens">\n' +
      '      <failure type="assertion" message="false (ok=false, n=3)">'), junit);
    assert.ok(junit.includes('<testcase classname="bpfql.assert" name="SELECT n &gt; 0 FROM opens"/>'), junit);

    const passing = await bpfqlRun(['-e', query, '--assert', 'SELECT n = 3 FROM opens', '--report', json, '--', 'sh', '-c', `${opens(s.known, 3)}; exit 7`]);
    assert.equal(passing.code, 7, passing.stderr);
    assert.deepEqual(readJson(json).assertions, [{ sql: 'SELECT n = 3 FROM opens', passed: true, values: { '(n = 3)': true } }]);
    const zero = await bpfqlRun(['-e', query, '--assert', 'SELECT n = 1 FROM opens', '--', 'cat', s.known]);
    assert.equal(zero.code, 0, zero.stderr);
    assert.equal(zero.stdout, 'known\n');
  } finally {
    s.done();
  }
});

test('a baseline passes an unchanged workload and catches a doubled one', { skip }, async () => {
  const s = scratch();
  try {
    const query = `CREATE TABLE opens AS SELECT comm, count(*) AS n FROM tracepoint.syscalls.sys_enter_openat WHERE filename = '${s.known}' GROUP BY comm`;
    const base = join(s.dir, 'base.parquet');
    const json = join(s.dir, 'r.json');
    const saved = await bpfqlRun(['-e', query, '--save-baseline', base, '--', 'sh', '-c', opens(s.known, 20)]);
    assert.equal(saved.code, 0, saved.stderr);

    const same = await bpfqlRun(['-e', query, '--baseline', base, '--tolerance', '10', '--report', json, '--', 'sh', '-c', opens(s.known, 20)]);
    assert.equal(same.code, 0, same.stderr);
    assert.deepEqual(readJson(json).baseline, {
      file: base, tolerancePct: 10, regressions: 0,
      comparisons: [{ table: 'opens', key: '{"comm":"cat"}', metric: 'n', baseline: 20, current: 20, changePct: 0, regressed: false }],
      unmatched: [],
    });

    const doubled = await bpfqlRun(['-e', query, '--baseline', base, '--tolerance', '10', '--report', json, '--', 'sh', '-c', opens(s.known, 40)]);
    assert.equal(doubled.code, 3, doubled.stderr);
    assert.match(doubled.stderr, /REGRESSION opens\.n \{"comm":"cat"\}: 20 -> 40 \(\+100%, tolerance 10%\)/);
    const j = readJson(json);
    assert.equal(j.exitCode, 0);
    assert.deepEqual(j.baseline, {
      file: base, tolerancePct: 10, regressions: 1,
      comparisons: [{ table: 'opens', key: '{"comm":"cat"}', metric: 'n', baseline: 20, current: 40, changePct: 100, regressed: true }],
      unmatched: [],
    });
  } finally {
    s.done();
  }
});

test('a query that cannot run exits 2 before the command starts', { skip }, async () => {
  const s = scratch();
  try {
    const marker = join(s.dir, 'ran');
    const r = await bpfqlRun(['-e', 'SELECT count(*) FROM tracepoint.syscalls.sys_enter_openat WHERE filenam = 1', '--', 'touch', marker]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /-e:1:\d+: error\[unknown-column\]/);
    assert.equal(existsSync(marker), false);
    assert.deepEqual(leftCgroups(r.pid), []);
  } finally {
    s.done();
  }
});
