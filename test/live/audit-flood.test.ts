// rules/audit.sql under a flood: 100,000 setuid(2) calls by one program in the test's cgroup give
// credential_change's 10 alerts (LIMIT 10 PER comm EVERY 1m) and one "suppressed" line counting
// exactly the other 99,990, with nothing lost on the way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromRoot } from '../helpers/paths.js';
import { sleep, waitFor } from '../helpers/cli.js';
import { AuditPrograms } from '../helpers/audit-triggers.js';
import { ruleSummaries, startWatch, TestCgroup } from '../helpers/watch.js';
import { kernelSkip, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();
const CALLS = 100_000;

test(`rules/audit.sql: ${CALLS} triggering events give 10 alerts and a suppressed count of exactly the rest`, { skip }, async () => {
  const programs = new AuditPrograms();
  const cg = new TestCgroup('bpfql-flood');
  const comm = uniqueComm('fl');
  const flood = programs.named(comm);
  const w = startWatch(['--cgroup', cg.dir, fromRoot('rules', 'audit.sql')]);
  try {
    await w.attached();
    assert.equal(await cg.run([flood, 'setuid', String(CALLS)]), 0);
    await waitFor('the flood\'s 10 alerts', () => w.lines().filter((l) => l['kind'] === 'alert').length === 10, 10_000);
    await sleep(500);
    w.signal('SIGINT');
    assert.equal(await w.closed, 0, w.stderr());
    const lines = w.lines();
    // Every alert is the flood's; the note of what was held back comes when the rule ends.
    assert.deepEqual(lines.filter((l) => l['kind'] === 'alert').map(({ rule, comm: c, syscall, ret }) => ({ rule, comm: c, syscall, ret })),
      Array.from({ length: 10 }, () => ({ rule: 'credential_change', comm, syscall: 'setuid', ret: 0 })));
    assert.deepEqual(lines.filter((l) => l['kind'] === 'suppressed').map((n) => [n['rule'], n['comm'], n['suppressed']]), [['credential_change', comm, CALLS - 10]]);
    assert.equal(lines.length, 11);
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
