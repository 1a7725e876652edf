// rules/audit.sql as shipped, watched with --cgroup on a cgroup of the test's own, so that only
// the test's workloads can alert: each rule's trigger gives exactly one alert with the right
// fields, and the near misses none. (audit-flood.test.ts floods one rule.)
// Nothing here touches what it watches for real: the writes under /etc go to a tmpfs mounted on
// /etc in a private mount namespace (unshare -m), the kill of pid 1 is the init of a private pid
// namespace (which the kernel does not let it kill), the critical process killed is a sleep named
// auditd, the module load passes an invalid fd, the listening socket is on the loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fromRoot } from '../helpers/paths.js';
import { sleep, waitFor } from '../helpers/cli.js';
import { AuditPrograms } from '../helpers/audit-triggers.js';
import { startWatch, TestCgroup } from '../helpers/watch.js';
import { kernelSkip, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();

/** A loopback TCP port nothing listens on (the kernel's pick, closed again). */
function freePort(): Promise<number> {
  const server = createServer();
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    server.close(() => resolve(port));
  }));
}

/** A sleep under `path`, outside the cgroup: something to send signals to. */
function victim(path: string): ChildProcess {
  return spawn(path, ['60'], { stdio: 'ignore' });
}

test('rules/audit.sql: each trigger one alert with its fields, no alert from the near misses', { skip }, async () => {
  const programs = new AuditPrograms();
  const tmp = mkdtempSync('/tmp/bpfql-audit-');
  const cg = new TestCgroup('bpfql-audit');
  const comm = uniqueComm('au');
  const prog = programs.named(comm);
  const gdb = programs.named('gdb');
  const dropped = join(tmp, uniqueComm('dr'));
  copyFileSync('/bin/true', dropped);
  const safeTrue = programs.copy('/bin/true', 'true');
  const auditd = victim(programs.copy('/bin/sleep', 'auditd'));
  const ordinary = victim(programs.copy('/bin/sleep', uniqueComm('vs')));
  const port = await freePort();

  const w = startWatch(['--cgroup', cg.dir, fromRoot('rules', 'audit.sql')]);
  try {
    await w.attached();
    const alertsOf = (rule: string): Record<string, unknown>[] => w.lines().filter((l) => l['rule'] === rule && l['kind'] === 'alert');
    const expected: { rule: string; fields: Record<string, unknown> }[] = [];
    /** Runs the near misses, then the trigger, and waits for its alert. `fields` may depend on the trigger's exit code. */
    const check = async (rule: string, nearMisses: readonly (readonly string[])[], trigger: readonly string[], fields: Record<string, unknown> | ((code: number | null) => Record<string, unknown>)): Promise<void> => {
      for (const argv of nearMisses) await cg.run(argv);
      const code = await cg.run(trigger);
      expected.push({ rule, fields: typeof fields === 'function' ? fields(code) : fields });
      const want = expected.filter((e) => e.rule === rule).length;
      await waitFor(`${rule} alert ${want}`, () => alertsOf(rule).length >= want, 10_000);
    };

    await check('exec_from_world_writable', [[safeTrue]], [dropped], { comm: dropped.slice(tmp.length + 1), filename: dropped });
    await check('ptrace_attach', [[gdb, 'ptrace']], [prog, 'ptrace'], { comm, request: 16 });
    // In a pid namespace of its own the program is pid 1: it sends SIGTERM, then SIGKILL, to itself.
    await check('kill_init', [['unshare', '-p', '-f', prog, 'kill1', '15']], ['unshare', '-p', '-f', prog, 'kill1', '9'], { comm, sig: 9 });
    await check('kill_critical',
      [[prog, 'killpid', String(auditd.pid), '18'], [prog, 'killpid', String(ordinary.pid), '9']],
      [prog, 'killpid', String(auditd.pid), '9'],
      { comm, target_pid: auditd.pid, target_comm: 'auditd', signal: 'SIGKILL' });
    await check('credential_change', [[prog, 'anon']], [prog, 'setuid', '1'], { comm, syscall: 'setuid', ret: 0 });
    await check('write_sensitive',
      [[prog, 'open', '/etc/hostname', '0'], [prog, 'open', join(tmp, 'f'), '65']],
      ['unshare', '-m', 'sh', '-c', `mount -t tmpfs bpfql-audit /etc && exec ${prog} open /etc/bpfql-audit 65`],
      { comm, filename: '/etc/bpfql-audit', flags: 65 });
    await check('module_load', [[prog, 'delete']], [prog, 'finit'], (errno) => ({ comm, syscall: 'finit_module', ret: -(errno ?? 0) }));
    await check('listening_socket', [[prog, 'bind', String(port)]], [prog, 'listen', String(port)], { comm, family: 'AF_INET', saddr: '127.0.0.1', sport: port });
    // fexecve names the file /dev/fd/3 and the process memfd:bpfql; an exec by path names both after the path.
    await check('memfd_exec', [[prog, 'memfd'], [prog, 'self-exe']], [prog, 'memfd-exec'], { comm: 'memfd:bpfql', filename: '/dev/fd/3' });
    await check('memfd_exec', [], [prog, 'memfd-exec-path'], { comm: '3', filename: '/proc/self/fd/3' });
    // Time for a late alert to show up, had a near miss made one.
    await sleep(500);
    w.signal('SIGINT');
    assert.equal(await w.closed, 0, w.stderr());

    const alerts = w.lines().filter((l) => l['kind'] === 'alert');
    assert.equal(w.lines().length, alerts.length, 'nothing suppressed');
    assert.deepEqual(alerts.map((a) => a['rule']), expected.map((e) => e.rule), 'one alert per trigger, no other');
    alerts.forEach((a, i) => {
      const want = expected[i]!.fields;
      assert.deepEqual(Object.fromEntries(Object.keys(want).map((k) => [k, a[k]])), want, String(a['rule']));
      assert.ok(['high', 'critical', 'medium'].includes(String(a['severity'])));
      assert.match(String(a['ts']), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    });
    // Every rule of the pack was triggered.
    const rules = [...readFileSync(fromRoot('rules', 'audit.sql'), 'utf8').matchAll(/^CREATE RULE (\w+)/gm)].map((m) => m[1]);
    assert.deepEqual([...new Set(expected.map((e) => e.rule))].sort(), rules.sort());
  } finally {
    w.signal('SIGKILL');
    await w.closed;
    auditd.kill('SIGKILL');
    ordinary.kill('SIGKILL');
    await cg.remove();
    programs.remove();
    rmSync(tmp, { recursive: true, force: true });
  }
});
