// What the running kernel may lack, changed on purpose in a private mount namespace (the rest of
// the machine does not see it): tracefs unmounted, a tracepoint gone, a format file changed; and
// BTF missing, a process gone before its stack is named. Each degrades to a clear message or to
// less detail, never to a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { CommandCgroup, findCgroup2 } from '../../src/kernel/cgroup.js';
import { sleep, startCli, waitAttached } from '../helpers/cli.js';
import { getppidTimes } from '../helpers/getppid.js';
import { kernelSkip, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();
const EXEC_EVENT = '/sys/kernel/tracing/events/sched/sched_process_exec';
/** What bpfql prints for a user stack lost to a stack-map hash collision (EEXIST = 17). */
const STACK_COLLISION = '[stack lost: error 17]';

/** Runs the CLI after `setup` (shell commands) in a private mount namespace; `after` runs once it exits. */
function inMountNamespace(setup: string, args: readonly string[], after = ''): ReturnType<typeof startCli> {
  const script = `set -e; ${setup}; set +e; "$0" "$@"; status=$?; ${after} exit $status`;
  return startCli(args, { wrapper: ['unshare', '-m', '--propagation', 'private', 'sh', '-c', script] });
}

async function withDir<T>(f: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-degrade-'));
  try {
    return await f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('tracefs unmounted: bpfql mounts it as root and the query runs', { skip }, async () => {
  const r = await inMountNamespace(
    'umount /sys/kernel/tracing; test ! -e /sys/kernel/tracing/events',
    ['--format', 'csv', `SELECT count(*) AS n FROM tracepoint.syscalls.sys_enter_getppid WHERE comm = '${uniqueComm('tf')}' FOR 300ms`],
    'grep -c " /sys/kernel/tracing tracefs " /proc/self/mounts;',
  ).done;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'n\n0\n1\n');
});

test('tracefs unmounted and bpfql not root: it says tracefs is not mounted and how to mount it', { skip }, async () => {
  const r = await startCli(['SELECT count(*) FROM exec FOR 1s'], {
    wrapper: ['unshare', '-m', '--propagation', 'private', 'sh', '-c', 'umount /sys/kernel/tracing && exec setpriv --reuid=65534 --regid=65534 --clear-groups "$0" "$@"'],
    cwd: tmpdir(),
  }).done;
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'error: tracefs is not mounted, and only root may mount it\nhint: mount it as root: mount -t tracefs nodev /sys/kernel/tracing\n');
});

test("a kernel without exec's tracepoint: exec is unavailable with the reason (exit 2, caret), SHOW TABLES still works", { skip }, () =>
  withDir(async (empty) => {
    const hide = `mount --bind ${empty} ${EXEC_EVENT}`;
    const r = await inMountNamespace(hide, ['SELECT comm, count(*) FROM exec GROUP BY comm FOR 1s']).done;
    assert.equal(r.code, 2);
    assert.equal(r.stderr, [
      "query:1:28: error[table-unavailable]: table 'exec' is not available on this kernel: this kernel has no tracepoint sched:sched_process_exec",
      '1 | SELECT comm, count(*) FROM exec GROUP BY comm FOR 1s',
      '                               ^^^^',
      '',
    ].join('\n'));
    const shown = await inMountNamespace(hide, ['--format', 'csv', 'SHOW TABLES']).done;
    assert.equal(shown.code, 0, shown.stderr);
    const lines = shown.stdout.split('\n');
    // The last column, the hook, is empty for a table that is unavailable.
    assert.ok(lines.includes('exec,kernel,false,unavailable: this kernel has no tracepoint sched:sched_process_exec,'), shown.stdout);
    assert.ok(lines.some((l) => l.startsWith('exit,kernel,true,')), shown.stdout);
  }));

test('a format file that changed: the table is unavailable with the field it misses; a garbled one, too', { skip }, () =>
  withDir(async (dir) => {
    const lost = join(dir, 'lost-field');
    writeFileSync(lost, readFileSync(`${EXEC_EVENT}/format`, 'latin1').replace(/^.*\bfilename;.*\n/m, ''));
    const r = await inMountNamespace(`mount --bind ${lost} ${EXEC_EVENT}/format`, ['SELECT filename FROM exec FOR 1s']).done;
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^query:1:22: error\[table-unavailable\]: table 'exec' is not available on this kernel: the format of sched_process_exec has no field 'filename'\n/);

    const garbled = join(dir, 'garbled');
    writeFileSync(garbled, 'name: sys_enter_getppid\nID: 1\nformat:\n\tfield:int __syscall_nr;\toffset:8;\tsize:four;\tsigned:1;\n');
    const g = await inMountNamespace(`mount --bind ${garbled} /sys/kernel/tracing/events/syscalls/sys_enter_getppid/format`, ['SELECT pid FROM tracepoint.syscalls.sys_enter_getppid FOR 1s']).done;
    assert.equal(g.code, 2);
    assert.match(g.stderr, /^query:1:17: error\[table-unavailable\]: table 'tracepoint\.syscalls\.sys_enter_getppid' is not available on this kernel: /);
    assert.doesNotMatch(g.stderr, /\n\s+at /);
  }));

test('BTF missing (BPFQL_BTF): ppid is unavailable at its reference; a query without it counts exactly', { skip }, async () => {
  const env = { BPFQL_BTF: '/nonexistent/vmlinux' };
  const r = await startCli(['SELECT pid, ppid FROM tracepoint.syscalls.sys_enter_getppid FOR 1s'], { env }).done;
  assert.equal(r.code, 2);
  assert.equal(r.stderr, [
    "query:1:13: error[column-unavailable]: column 'ppid' is not available on this kernel: task_struct.real_parent comes from BTF: the kernel's BTF cannot be read at /nonexistent/vmlinux (ENOENT); the path comes from BPFQL_BTF",
    '1 | SELECT pid, ppid FROM tracepoint.syscalls.sys_enter_getppid FOR 1s',
    '                ^^^^',
    '',
  ].join('\n'));

  const comm = uniqueComm('bt');
  const run = startCli(['--format', 'json', `SELECT pid, comm, count(*) AS n FROM tracepoint.syscalls.sys_enter_getppid WHERE comm = '${comm}' GROUP BY pid, comm`], { env });
  await waitAttached(run.pid);
  const work = getppidTimes(comm, 77);
  await work.done;
  process.kill(run.pid, 'SIGINT');
  const ok = await run.done;
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(JSON.parse(ok.stdout), [{ pid: work.pid, comm, n: 77 }]);
});

for (const [how, env] of [['with BTF, on raw tracepoints', {}], ['BTF missing, on the classic tracepoints', { BPFQL_BTF: '/nonexistent/vmlinux' }]] as const) {
  test(`cgroups are followed ${how}: one made 50 ms after the attach is matched and named from its first exec`, { skip }, async () => {
    const name = `bpfql-test-follow-${process.pid}-${Object.keys(env).length}`;
    const run = startCli(['--format', 'json', `SELECT cgroup, count(*) AS n FROM exec WHERE cgroup LIKE '/${name}%' GROUP BY cgroup`], { env, verbose: true });
    let cgroup: CommandCgroup | undefined;
    try {
      // The CLI says it is attached once the query's programs are (-v).
      await run.attached;
      // The set takes a new cgroup when user space reads its mkdir event, every 5 ms. DuckDB loads
      // before the attach for such a query: loaded after it, it held the event loop up for a few
      // hundred milliseconds, and an exec 50-200 ms after the attach went unmatched.
      await sleep(50);
      const made = CommandCgroup.create(findCgroup2(), name);
      cgroup = made;
      // Made, then one exec in it 20 ms later, three times over: the shell moves itself into the
      // cgroup, then becomes /bin/true.
      await sleep(20);
      for (let i = 0; i < 3; i++) {
        const r = spawnSync('sh', ['-c', 'echo $$ > "$1" && exec /bin/true', 'sh', made.procsFile]);
        assert.equal(r.status, 0, String(r.stderr));
      }
      process.kill(run.pid, 'SIGINT');
      const ok = await run.done;
      assert.equal(ok.code, 0, ok.stderr);
      assert.deepEqual(JSON.parse(ok.stdout), [{ cgroup: `/${name}`, n: 3 }]);
    } finally {
      try {
        process.kill(run.pid, 'SIGKILL');
      } catch {
        // It has ended.
      }
      if (cgroup) assert.ok(await cgroup.remove(5000), `${cgroup.dir} still holds processes`);
    }
  });
}

test('a process gone before its stacks are named: its user frames stay addresses, the query completes', { skip }, () =>
  withDir(async (dir) => {
    const comm = uniqueComm('gone');
    const burner = join(dir, comm);
    copyFileSync('/bin/dash', burner);
    const run = startCli(['--format', 'json', `SELECT ustack, count(*) AS n FROM profile WHERE comm = '${comm}' GROUP BY ustack`]);
    await waitAttached(run.pid);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(burner, ['-c', 'i=0; while [ $i -lt 1000000 ]; do i=$((i+1)); done'], { stdio: 'ignore' });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`burner exited with ${code}`))));
    });
    // The burner has exited (and was reaped); the query reads and names the stacks as it ends.
    process.kill(run.pid, 'SIGINT');
    const r = await run.done;
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as { ustack: string | null; n: number }[];
    // A timing bound, not a count the test controls: the burner runs for about a second of CPU at
    // 99 samples a second, so even a busy machine gives it far more than 5 samples.
    assert.ok(rows.reduce((s, x) => s + x.n, 0) >= 5, r.stdout);
    // Each stack is either bare addresses (the process is gone, so nothing names its frames), NULL
    // (a sample with no user stack), or the one thing bpf_get_stackid reports for a stack that
    // existed but could not be kept: EEXIST when another stack holds its hash bucket in the stack
    // map (collisions are common with many distinct stacks). Anything else is a failure.
    for (const row of rows) {
      if (row.ustack === STACK_COLLISION) continue;
      assert.match(row.ustack ?? '0x0', /^0x[0-9a-f]+(;0x[0-9a-f]+)*$/, r.stdout);
    }
    assert.ok(rows.some((row) => row.ustack !== null && row.ustack !== STACK_COLLISION), `no stack kept its addresses: ${r.stdout}`);
  }));
