// SIGHUP reloads the rules file: a rule left as it was keeps its program attached and misses no
// event (its count stays continuous across the reload), a changed rule restarts, a removed one
// stops, and a rule that does not compile is reported with file:line:column and a caret while the
// others keep running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep, waitFor } from '../helpers/cli.js';
import { startWatch, TestCgroup } from '../helpers/watch.js';
import { kernelSkip, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();
const EXECS = 300;

test(`SIGHUP with one rule changed, one removed and one broken: the unchanged rule sees all ${EXECS} execs made across the reload`, { skip }, async () => {
  const dir = mkdtempSync('/run/bpfql-reload-');
  const cg = new TestCgroup('bpfql-reload');
  const steady = join(dir, uniqueComm('st'));
  const other = join(dir, uniqueComm('ot'));
  for (const p of [steady, other]) copyFileSync('/bin/true', p);
  const commOf = (p: string): string => p.slice(dir.length + 1);
  const rules = join(dir, 'rules.sql');
  const steadyRule = `CREATE RULE steady SEVERITY high AS SELECT pid, filename FROM exec WHERE comm = '${commOf(steady)}';`;
  writeFileSync(rules, [
    steadyRule,
    `CREATE RULE changing AS SELECT pid FROM exec WHERE comm = '${commOf(other)}';`,
    `CREATE RULE gone AS SELECT pid FROM exec WHERE comm = 'nothing';`,
    '',
  ].join('\n'));
  const w = startWatch(['--cgroup', cg.dir, rules]);
  try {
    await w.attached();
    // Execs every 10 ms or so, from before the reload until after it.
    const execs = cg.run(['/bin/sh', '-c', `i=0; while [ $i -lt ${EXECS} ]; do ${steady}; sleep 0.01; i=$((i+1)); done`]);
    await waitFor('the first steady alerts', () => w.lines().length >= 20, 10_000);
    writeFileSync(rules, [
      steadyRule,
      `CREATE RULE changing SEVERITY low AS SELECT pid, comm FROM exec WHERE comm = '${commOf(other)}';`,
      'CREATE RULE broken AS',
      '  SELECT nope FROM exec;',
      '',
    ].join('\n'));
    w.signal('SIGHUP');
    await waitFor('the reload', () => /^bpfql: reloaded, 2 rules attached$/m.test(w.stderr()), 30_000);
    const steadyBefore = w.lines().filter((l) => l['rule'] === 'steady').length;
    assert.equal(await execs, 0);
    await cg.run([other]);
    await waitFor('the changed rule\'s alert', () => w.lines().some((l) => l['rule'] === 'changing'), 10_000);
    await sleep(300);
    w.signal('SIGINT');
    assert.equal(await w.closed, 0, w.stderr());

    const lines = w.lines();
    const steadyAlerts = lines.filter((l) => l['rule'] === 'steady');
    assert.ok(steadyBefore < EXECS, 'the reload came while the execs ran');
    assert.equal(steadyAlerts.length, EXECS);
    assert.equal(new Set(steadyAlerts.map((a) => a['pid'])).size, EXECS);
    assert.deepEqual(lines.filter((l) => l['rule'] === 'changing').map(({ severity, comm }) => ({ severity, comm })), [{ severity: 'low', comm: commOf(other) }]);
    const err = w.stderr();
    assert.match(err, /^\{"reload":\{"kept":\["steady"\],"restarted":\["changing"\],"started":\[\],"stopped":\["gone"\],"failed":\["broken"\]\}\}$/m);
    assert.ok(err.includes([
      'bpfql watch: rule broken cannot run; not started',
      `${rules}:4:10: error[unknown-column]: unknown column 'nope' in table 'exec'`,
      '4 |   SELECT nope FROM exec;',
      '             ^^^^',
    ].join('\n')), err);
    assert.match(err, /^\{"rule":"gone","alerts":0,"suppressed":0,"stopped":"removed",/m);
    assert.match(err, /^\{"rule":"changing","alerts":0,"suppressed":0,"stopped":"changed",/m);
    assert.match(err, /^\{"rule":"changing","alerts":1,"suppressed":0,"complete"/m);
    assert.match(err, new RegExp(`^\\{"rule":"steady","alerts":${EXECS},"suppressed":0,"complete"`, 'm'));
  } finally {
    w.signal('SIGKILL');
    await w.closed;
    await cg.remove();
    rmSync(dir, { recursive: true, force: true });
  }
});
