// bpfql runs as root: what other users, a careless user or the environment can do to it. Signals
// that would open a door (SIGUSR1) or drop the result (SIGHUP), output that goes away (a closed
// pipe, a full disk), scripts of many statements (kernel objects must not pile up), and sizes the
// machine can't give. Each runs the built CLI as a user would.
//
// The signals come from this process, as root, which is the same uid as the CLI: that is the case
// that matters. Any process of the uid bpfql runs as (e.g. a user's shell when bpfql has file
// capabilities) may signal it; other uids are refused by the kernel (kill(2) checks the uid).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, sleep, startCli, waitAttached } from '../helpers/cli.js';
import { getppidTimes } from '../helpers/getppid.js';
import { kernelSkip, uniqueComm } from '../helpers/workload.js';
import { heldBpf } from '../helpers/held-bpf.js';
import { withFullDisk } from '../helpers/full-disk.js';

const skip = kernelSkip();

async function withDir(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-security-'));
  try {
    await f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Inodes of TCP sockets in LISTEN state, with their local ports. */
function listeningTcp(): { inode: string; port: number }[] {
  const out: { inode: string; port: number }[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A') continue;
      out.push({ inode: f[9]!, port: parseInt(f[1]!.split(':')[1]!, 16) });
    }
  }
  return out;
}

/** Inodes of the sockets process `pid` holds. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed since the directory was read
    }
  }
  return inodes;
}

/** Ports process `pid` listens on. */
function portsOf(pid: number): number[] {
  const mine = socketInodes(pid);
  return listeningTcp().filter((s) => mine.has(s.inode)).map((s) => s.port);
}

const INSPECTOR_PORT = 9229;
const inspectorListening = (): boolean => listeningTcp().some((s) => s.port === INSPECTOR_PORT);

test('SIGUSR1 opens no inspector: no port is listening before or after, and the query goes on', { skip }, async () => {
  assert.equal(inspectorListening(), false, 'something else listens on 9229; the test cannot tell');
  const comm = uniqueComm('u1');
  const run = startCli(['--format', 'json', `SELECT count(*) AS n FROM tracepoint.syscalls.sys_enter_getppid WHERE comm = '${comm}' FOR 2s`], { verbose: true });
  await run.attached;
  assert.deepEqual(portsOf(run.pid), []);
  process.kill(run.pid, 'SIGUSR1');
  const work = getppidTimes(comm, 25);
  await work.done;
  await sleep(300);
  assert.deepEqual(portsOf(run.pid), []);
  assert.equal(inspectorListening(), false);
  const r = await run.done;
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [{ n: 25 }]);
  assert.doesNotMatch(r.stderr, /Debugger/);
});

test('an inspector opened through NODE_OPTIONS is closed and bpfql refuses to run', { skip }, async () => {
  const r = await startCli(['SELECT 1 AS x'], { env: { NODE_OPTIONS: '--inspect=127.0.0.1:0' } }).done;
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^error: the Node\.js inspector is open \(ws:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]+\): bpfql does not run with a debugger port open; remove --inspect from node's flags and NODE_OPTIONS$/m);
});

test('SIGHUP ends a query like SIGTERM: its rows are printed and exported', { skip }, () =>
  withDir(async (dir) => {
    const comm = uniqueComm('hu');
    const out = join(dir, 'rows.ndjson');
    const run = startCli(['--format', 'json', '-o', out, `SELECT pid, comm FROM tracepoint.syscalls.sys_enter_getppid WHERE comm = '${comm}'`], { verbose: true });
    await run.attached;
    const work = getppidTimes(comm, 12);
    await work.done;
    await sleep(200);
    process.kill(run.pid, 'SIGHUP');
    const r = await run.done;
    assert.equal(r.signal, null);
    assert.equal(r.code, 0, r.stderr);
    const rows = Array.from({ length: 12 }, () => ({ pid: work.pid, comm }));
    assert.deepEqual(JSON.parse(r.stdout), rows);
    assert.deepEqual(readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown), rows);
  }));

test('`| head -1` ends the script quietly with exit 0, however many statements remain', { skip }, () => {
  const script = "SELECT 'first' AS a; SELECT count(*) AS n FROM tracepoint.syscalls.sys_enter_getppid FOR 300ms; SELECT 2 AS b; SELECT 3 AS c";
  const r = spawnSync('bash', ['-c', '"$0" "$1" --format csv "$2" | head -1; echo "bpfql exited ${PIPESTATUS[0]}"', process.execPath, CLI, script], { encoding: 'utf8' });
  assert.equal(r.stdout, 'a\nbpfql exited 0\n');
  // The kernel query's completeness still goes to stderr; nothing else does (no EPIPE, no stack).
  assert.match(r.stderr, /^(\{"completeness":\{[^\n]*\}\}\n)?$/);
});

/** A result of ~200 KiB: more than the small disk holds. */
const BIG = "SELECT range AS n, repeat('x', 30) AS s FROM range(5000)";

test('-o to a full disk: exit 1 naming the file, which keeps its old content, and no temporary file left', { skip }, () =>
  withDir((dir) =>
    withFullDisk(dir, async (mnt) => {
      const out = join(mnt, 'rows.csv');
      writeFileSync(out, 'old\n');
      const r = await startCli(['--format', 'csv', '-o', out, BIG]).done;
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`^error: cannot write ${out}: .*No space left on device`, 'm'));
      assert.deepEqual(readdirSync(mnt), ['rows.csv']);
      assert.equal(readFileSync(out, 'utf8'), 'old\n');
    })));

test('-o and --db refuse a symlink planted at the target before the query runs', { skip }, () =>
  withDir(async (dir) => {
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'secret\n');
    for (const [flag, name] of [['-o', 'out.csv'], ['--db', 'results.duckdb'], ['--db', 'other.duckdb']] as const) {
      const link = name === 'other.duckdb' ? join(dir, `${name}.wal`) : join(dir, name);
      symlinkSync(victim, link);
      const r = await startCli([flag, join(dir, name), 'SELECT count(*) FROM tracepoint.syscalls.sys_enter_getppid FOR 5s']).done;
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `error: cannot write ${link}: it is a symbolic link, which bpfql does not follow (name the file it points to, if that is meant)\n`);
    }
    assert.equal(readFileSync(victim, 'utf8'), 'secret\n');
  }));

test('standard output on a full disk: exit 1 saying so, not a silently cut result', { skip }, () =>
  withDir((dir) =>
    withFullDisk(dir, async (mnt) => {
      const fd = openSync(join(mnt, 'out.txt'), 'w');
      const child = spawn(process.execPath, [CLI, BIG], { stdio: ['ignore', fd, 'pipe'] });
      closeSync(fd);
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 1, stderr);
      assert.equal(stderr, 'error: cannot write standard output: ENOSPC: no space left on device, write\n');
    })));

test('a script of 70 short queries on one tracepoint succeeds, each query detached before the next', { skip }, async () => {
  // A tracepoint takes at most 64 programs: kept attached, the 65th statement would fail (E2BIG).
  const script = Array.from({ length: 70 }, () => 'SELECT count(*) AS n FROM tracepoint.syscalls.sys_enter_getppid FOR 50ms;').join('\n');
  const run = startCli([script]);
  const seen = new Set<number>();
  let most = 0;
  let ended = false;
  void run.done.then(() => (ended = true));
  while (!ended) {
    const ids = heldBpf(run.pid).progs;
    for (const id of ids) seen.add(id);
    most = Math.max(most, ids.length);
    await sleep(5);
  }
  const r = await run.done;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.split('\n').filter((l) => l === '(1 row)').length, 70);
  assert.equal(most, 1, `the CLI held ${most} programs at once`);
  // Each program lives 50 ms or more: the polling saw most of them come and go.
  assert.ok(seen.size >= 35, `saw only ${seen.size} programs`);
});

test('--max-keys 100000000 with p99 is refused before any map is made, in one sentence', { skip }, async () => {
  const r = await startCli(['--max-keys', '100000000', 'SELECT comm, p99(prev_pid) FROM tracepoint.sched.sched_switch GROUP BY comm FOR 1s']).done;
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^error: the query's maps could take [\d.]+ TiB of kernel memory, more than half of the [\d.]+ [GMT]iB this machine has available \(map 'agg': 100000000 entries of \d+ bytes × \d+ CPUs\)\nhint: lower --max-keys/);
});

test('`bpfql run` passes SIGHUP to the command and still writes its report', { skip }, () =>
  withDir(async (dir) => {
    const report = join(dir, 'report.json');
    const run = spawn(process.execPath, [CLI, 'run', '-e', 'CREATE TABLE t AS SELECT count(*) AS n FROM tracepoint.syscalls.sys_enter_getppid', '--report', report, '--', 'sleep', '30'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    run.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((resolve) => run.on('close', resolve));
    await waitAttached(run.pid!);
    // The command is started once every query is attached; give it a moment to be running.
    await sleep(300);
    process.kill(run.pid!, 'SIGHUP');
    const code = await closed;
    assert.equal(code, 129, stderr);
    assert.match(stderr, /the command was killed by SIGHUP/);
    const j = JSON.parse(readFileSync(report, 'utf8')) as { signal: string | null; queries: { table: string }[] };
    assert.equal(j.signal, 'SIGHUP');
    assert.deepEqual(j.queries.map((q) => q.table), ['t']);
  }));
