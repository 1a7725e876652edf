// rules/audit.sql reloaded while one of its rules is being triggered: SIGHUP with another rule
// changed keeps that rule's program and its rate-limit window, so its counts run on across the
// reload exactly (10 alerts and the rest suppressed, not 10 more after the reload), and the
// changed rule restarts and alerts with its new text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromRoot } from '../helpers/paths.js';
import { sleep, waitFor } from '../helpers/cli.js';
import { AuditPrograms } from '../helpers/audit-triggers.js';
import { ruleSummaries, startWatch, TestCgroup } from '../helpers/watch.js';
import { kernelSkip, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();
const CALLS = 300;

test(`rules/audit.sql, SIGHUP with ptrace_attach changed while ${CALLS} setuid calls run: credential_change counts all of them, across the reload`, { skip }, async () => {
  const programs = new AuditPrograms();
  const cg = new TestCgroup('bpfql-audit-reload');
  const comm = uniqueComm('ar');
  const prog = programs.named(comm);
  const rules = join(programs.dir, 'rules.sql');
  const pack = readFileSync(fromRoot('rules', 'audit.sql'), 'utf8');
  writeFileSync(rules, pack);
  const progress = join(programs.dir, 'progress');
  const w = startWatch(['--cgroup', cg.dir, rules]);
  try {
    await w.attached();
    // One setuid call a process, paced, the count so far in a file the test reads.
    const calls = cg.run(['/bin/sh', '-c', `i=0; while [ $i -lt ${CALLS} ]; do ${prog} setuid 1; i=$((i+1)); echo $i > ${progress}; sleep 0.01; done`]);
    const done = (): number => (existsSync(progress) ? Number(readFileSync(progress, 'utf8').trim() || 0) : 0);
    await waitFor('the first 50 calls', () => done() >= 50, 20_000);
    const changed = pack.replace("('gdb', 'lldb',", "('gdb', 'lldb', 'rr',");
    assert.notEqual(changed, pack);
    writeFileSync(rules, changed);
    w.signal('SIGHUP');
    await waitFor('the reload', () => /^bpfql: reloaded, \d+ rules attached$/m.test(w.stderr()), 30_000);
    assert.ok(done() < CALLS, `the reload came while the calls ran (${done()} done)`);
    assert.equal(await calls, 0);
    // The changed rule runs its new text.
    await cg.run([prog, 'ptrace']);
    await waitFor('the restarted rule\'s alert', () => w.lines().some((l) => l['rule'] === 'ptrace_attach'), 10_000);
    await sleep(300);
    w.signal('SIGINT');
    assert.equal(await w.closed, 0, w.stderr());

    const names = [...pack.matchAll(/^CREATE RULE (\w+)/gm)].map((m) => m[1]!);
    const reload = w.stderr().split('\n').filter((l) => l.startsWith('{"reload":')).map((l) => JSON.parse(l) as unknown);
    assert.deepEqual(reload, [{ reload: { kept: names.filter((n) => n !== 'ptrace_attach'), restarted: ['ptrace_attach'], started: [], stopped: [], failed: [] } }]);
    const lines = w.lines();
    const cred = lines.filter((l) => l['rule'] === 'credential_change');
    assert.equal(cred.filter((l) => l['kind'] === 'alert').length, 10);
    assert.deepEqual(cred.filter((l) => l['kind'] === 'suppressed').map((l) => [l['comm'], l['suppressed']]), [[comm, CALLS - 10]]);
    assert.deepEqual(lines.filter((l) => l['rule'] === 'ptrace_attach').map(({ kind, comm: c, request }) => ({ kind, comm: c, request })), [{ kind: 'alert', comm, request: 16 }]);
    assert.equal(lines.length, 12, 'no other rule alerted');
    const summary = ruleSummaries(w.stderr()).get('credential_change')!;
    assert.equal(summary['alerts'], 10);
    assert.equal(summary['suppressed'], CALLS - 10);
    assert.deepEqual(summary['completeness'], { lostRecords: 0, failedUpdates: 0, lostPairs: 0, lostStacks: 0, missedEvents: 0 });
  } finally {
    w.signal('SIGKILL');
    await w.closed;
    await cg.remove();
    programs.remove();
  }
});
