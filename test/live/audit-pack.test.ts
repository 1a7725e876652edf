// rules/audit.sql as shipped, watched with --cgroup on a cgroup of the test's own, so that only
// the test's workloads can alert: each rule's trigger gives exactly one alert with the right
// fields, the non-triggers none, and a flood of 100,000 memfd_create calls gives the rule's 10
// alerts plus a "suppressed" line counting exactly the other 99,990.
// Nothing here touches what it watches for real: the writes under /etc go to a tmpfs mounted on
// /etc in a private mount namespace (unshare -m), the kill of pid 1 is the init of a private pid
// namespace (which the kernel does not let it kill), the module load passes an invalid fd.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromRoot } from '../helpers/paths.js';
import { sleep, waitFor } from '../helpers/cli.js';
import { ruleSummaries, startWatch, TestCgroup } from '../helpers/watch.js';
import { kernelSkip, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();

/** One program for every trigger, chosen by argv[1]. */
const TRIGGERS = `
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  const char *m = argc > 1 ? argv[1] : "";
  if (!strcmp(m, "ptrace")) {
    pid_t child = fork();
    if (child == 0) { pause(); _exit(0); }
    if (ptrace(PTRACE_ATTACH, child, 0, 0) == 0) { waitpid(child, 0, 0); ptrace(PTRACE_DETACH, child, 0, 0); }
    kill(child, SIGKILL);
    waitpid(child, 0, 0);
    return 0;
  }
  if (!strcmp(m, "kill1")) return kill(1, atoi(argv[2])) == 0 ? 0 : 1;
  if (!strcmp(m, "setuid")) return setuid(getuid());
  if (!strcmp(m, "open")) { int fd = open(argv[2], atoi(argv[3]), 0600); if (fd >= 0) close(fd); return 0; }
  /* Exits with the errno: EBADF, or ENOSYS on a kernel built without modules. */
  if (!strcmp(m, "finit")) return syscall(SYS_finit_module, -1, "", 0) == 0 ? 0 : errno;
  if (!strcmp(m, "delete")) return syscall(SYS_delete_module, "bpfql_no_such_module", O_NONBLOCK) == 0;
  if (!strcmp(m, "memfd")) {
    long n = atol(argv[2]);
    for (long i = 0; i < n; i++) {
      int fd = memfd_create("bpfql", 0);
      if (fd >= 0) close(fd);
      /* Paced a little, so the ring buffer never fills. */
      if (i % 2000 == 1999) usleep(2000);
    }
    return 0;
  }
  if (!strcmp(m, "anon")) { void *p = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); return p == MAP_FAILED; }
  return 2;
}
`;

test('rules/audit.sql: each trigger one alert with its fields, no alert from the non-triggers, a flood rate-limited with an exact suppressed count', { skip }, async () => {
  // The programs live where exec_from_world_writable does not look (/run is root's).
  const bin = mkdtempSync('/run/bpfql-audit-');
  const tmp = mkdtempSync('/tmp/bpfql-audit-');
  const cg = new TestCgroup('bpfql-audit');
  const comm = uniqueComm('au');
  const prog = join(bin, comm);
  writeFileSync(`${prog}.c`, TRIGGERS);
  execFileSync('gcc', ['-O1', '-o', prog, `${prog}.c`]);
  const gdb = join(bin, 'gdb');
  copyFileSync(prog, gdb);
  const floodComm = uniqueComm('fl');
  copyFileSync(prog, join(bin, floodComm));
  const dropped = join(tmp, uniqueComm('dr'));
  copyFileSync('/bin/true', dropped);
  const safeTrue = join(bin, 'true');
  copyFileSync('/bin/true', safeTrue);

  const w = startWatch(['--cgroup', cg.dir, fromRoot('rules', 'audit.sql')]);
  try {
    await w.attached();
    const alertsOf = (rule: string): Record<string, unknown>[] => w.lines().filter((l) => l['rule'] === rule && l['kind'] === 'alert');
    const expected = new Map<string, Record<string, unknown>>();
    /** Runs the non-triggers, then the trigger, and waits for its one alert. */
    /** `fields` may depend on the trigger's exit code. */
    const check = async (rule: string, nonTriggers: readonly (readonly string[])[], trigger: readonly string[], fields: Record<string, unknown> | ((code: number | null) => Record<string, unknown>)): Promise<void> => {
      for (const argv of nonTriggers) await cg.run(argv);
      const code = await cg.run(trigger);
      expected.set(rule, typeof fields === 'function' ? fields(code) : fields);
      await waitFor(`the ${rule} alert`, () => alertsOf(rule).length > 0, 10_000);
    };

    await check('exec_from_world_writable', [[safeTrue]], [dropped], { comm: dropped.slice(tmp.length + 1), filename: dropped });
    await check('ptrace_attach', [[gdb, 'ptrace']], [prog, 'ptrace'], { comm, request: 16 });
    // In a pid namespace of its own the program is pid 1: it sends SIGTERM, then SIGKILL, to itself.
    await check('kill_init', [['unshare', '-p', '-f', prog, 'kill1', '15']], ['unshare', '-p', '-f', prog, 'kill1', '9'], { comm, sig: 9 });
    await check('credential_change', [[prog, 'anon']], [prog, 'setuid'], { comm, syscall: 'setuid', ret: 0 });
    await check('write_sensitive',
      [[prog, 'open', '/etc/hostname', '0'], [prog, 'open', join(tmp, 'f'), '65']],
      ['unshare', '-m', 'sh', '-c', `mount -t tmpfs bpfql-audit /etc && exec ${prog} open /etc/bpfql-audit 65`],
      { comm, filename: '/etc/bpfql-audit', flags: 65 });
    await check('module_load', [[prog, 'delete']], [prog, 'finit'], (errno) => ({ comm, syscall: 'finit_module', ret: -(errno ?? 0) }));
    await check('memfd_create', [[prog, 'anon']], [prog, 'memfd', '1'], { comm, ret: 3 });
    // Time for a late alert to show up, had a non-trigger made one.
    await sleep(500);
    const alerts = w.lines().filter((l) => l['kind'] === 'alert');
    assert.deepEqual(alerts.map((a) => a['rule']).sort(), [...expected.keys()].sort(), 'one alert per rule, no other');
    for (const a of alerts) {
      const want = expected.get(String(a['rule']))!;
      assert.deepEqual(Object.fromEntries(Object.keys(want).map((k) => [k, a[k]])), want, String(a['rule']));
      assert.ok(['high', 'critical', 'medium'].includes(String(a['severity'])));
      assert.match(String(a['ts']), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    }

    assert.equal(await cg.run([join(bin, floodComm), 'memfd', '100000']), 0);
    await waitFor('the flood\'s 10 alerts', () => alertsOf('memfd_create').length === 11, 10_000);
    await sleep(500);
    w.signal('SIGINT');
    assert.equal(await w.closed, 0, w.stderr());
    const flood = w.lines().filter((l) => l['rule'] === 'memfd_create' && l['comm'] === floodComm);
    assert.equal(flood.filter((l) => l['kind'] === 'alert').length, 10);
    const notes = flood.filter((l) => l['kind'] === 'suppressed');
    assert.deepEqual(notes.map((n) => [n['comm'], n['suppressed']]), [[floodComm, 99_990]]);
    const summary = ruleSummaries(w.stderr()).get('memfd_create')!;
    assert.equal(summary['alerts'], 11);
    assert.equal(summary['suppressed'], 99_990);
    assert.deepEqual(summary['completeness'], { lostRecords: 0, failedUpdates: 0, lostPairs: 0, lostStacks: 0, missedEvents: 0 });
  } finally {
    w.signal('SIGKILL');
    await w.closed;
    await cg.remove();
    rmSync(bin, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  }
});
