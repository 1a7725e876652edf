// `bpfql watch`: two rules at once, each trigger an alert line as it happens, a bad rule refused
// before anything is attached.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, sleep, startCli, waitFor } from '../helpers/cli.js';
import { fromRoot } from '../helpers/paths.js';
import { getppidTimes } from '../helpers/getppid.js';
import { ruleSummaries, startWatch } from '../helpers/watch.js';
import { kernelSkip, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();

test('two rules: 3 execs from a temp dir and 3 SIGKILLs to the unique comm give exactly 3 alerts each, in order, each as it happens', { skip }, async () => {
  const dir = mkdtempSync('/tmp/bpfql-watch-');
  const runner = join(dir, uniqueComm('wx'));
  const victim = join(dir, uniqueComm('wk'));
  copyFileSync('/bin/true', runner);
  copyFileSync('/bin/sleep', victim);
  const victimComm = victim.slice(dir.length + 1);
  const rules = join(dir, 'rules.sql');
  writeFileSync(rules, [
    '-- exec of a program under this test\'s temp dir',
    `CREATE RULE exec_from_tmp AS SELECT pid, comm, filename FROM exec WHERE filename LIKE '${dir}/%' AND comm <> '${victimComm}';`,
    `CREATE RULE sigkill AS SELECT target_pid, target_comm, signal FROM signals WHERE signo = 9 AND target_comm = '${victimComm}';`,
    '',
  ].join('\n'));
  try {
    const child = spawn(process.execPath, [CLI, 'watch', '-v', rules], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await waitFor('the rules attached', () => /^bpfql: attached, 2 rules$/m.test(err), 30_000);
    const alerts = (): Record<string, unknown>[] => out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    const expected: Record<string, unknown>[] = [];
    for (let i = 0; i < 3; i++) {
      const ran = spawn(runner);
      await new Promise((resolve) => ran.on('close', resolve));
      expected.push({ rule: 'exec_from_tmp', severity: 'medium', kind: 'alert', pid: ran.pid, comm: runner.slice(dir.length + 1), filename: runner });
      await waitFor(`exec alert ${i + 1}`, () => alerts().length === expected.length, 10_000);
      const sleeper = spawn(victim, ['30']);
      await sleep(100);
      sleeper.kill('SIGKILL');
      await new Promise((resolve) => sleeper.on('close', resolve));
      expected.push({ rule: 'sigkill', severity: 'medium', kind: 'alert', target_pid: sleeper.pid, target_comm: victimComm, signal: 'SIGKILL' });
      await waitFor(`kill alert ${i + 1}`, () => alerts().length === expected.length, 10_000);
    }
    await sleep(300);
    child.kill('SIGINT');
    assert.equal(await closed, 0, err);
    const got = alerts();
    // Each alert has the time it was seen; the rest is the row.
    for (const a of got) assert.match(String(a['ts']), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    assert.deepEqual(got.map((a) => Object.keys(a)[0]), expected.map(() => 'rule'));
    assert.deepEqual(got.map(({ ts: _ts, ...rest }) => rest), expected);
    assert.match(err, /^\{"rule":"exec_from_tmp","alerts":3,/m);
    assert.match(err, /^\{"rule":"sigkill","alerts":3,/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad rule fails before anything is attached, naming the rule, with file:line:column and a caret', { skip }, async () => {
  const dir = mkdtempSync('/tmp/bpfql-watch-');
  const rules = join(dir, 'rules.sql');
  writeFileSync(rules, "CREATE RULE fine AS SELECT pid FROM exec;\nCREATE RULE broken AS\n  SELECT nope FROM exec;\n");
  try {
    const r = await startCli(['watch', rules]).done;
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, [
      'bpfql watch: rule broken cannot run; nothing was attached',
      `${rules}:3:10: error[unknown-column]: unknown column 'nope' in table 'exec'`,
      '3 |   SELECT nope FROM exec;',
      '             ^^^^',
      '',
    ].join('\n'));
    assert.doesNotMatch(r.stderr, /attached,/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the README's sample rules file runs: bpfql watch --duration 1s exits 0 with every rule counted (a counting rule beside streamed ones)", { skip }, async () => {
  const readme = readFileSync(fromRoot('README.md'), 'utf8');
  const block = /```sql\n-- rules\.sql\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'the README has a rules.sql sample');
  const dir = mkdtempSync('/tmp/bpfql-watch-');
  const rules = join(dir, 'rules.sql');
  writeFileSync(rules, block[1]!);
  try {
    const r = await startCli(['watch', '--duration', '1s', rules]).done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^\{"rule":"exec_from_tmp","alerts":\d+,/m);
    assert.match(r.stderr, /^\{"rule":"sigkill","alerts":\d+,/m);
    assert.match(r.stderr, /^\{"rule":"busy","alerts":\d+,/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a counting rule: GROUP BY comm HAVING count(*) > 100 EVERY 2s alerts once per busy comm per window, with its count; a quiet comm never', { skip }, async () => {
  const dir = mkdtempSync('/tmp/bpfql-watch-');
  const busy = uniqueComm('bz');
  const quiet = uniqueComm('qt');
  const rules = join(dir, 'rules.sql');
  writeFileSync(rules, `CREATE RULE busy SEVERITY low AS
  SELECT comm, count(*) AS n FROM tracepoint.syscalls.sys_enter_getppid
  WHERE comm IN ('${busy}', '${quiet}') GROUP BY comm HAVING count(*) > 100 EVERY 2s;\n`);
  const w = startWatch([rules]);
  try {
    await w.attached();
    // 1000 calls take well under a millisecond: one 2 s window holds them all.
    await getppidTimes(busy, 1000).done;
    await getppidTimes(quiet, 50).done;
    await waitFor('the busy alert', () => w.lines().some((l) => l['kind'] === 'alert'), 10_000);
    // The next window closes without either comm in it.
    await sleep(2500);
    w.signal('SIGINT');
    assert.equal(await w.closed, 0, w.stderr());
    const alerts = w.lines().filter((l) => l['kind'] === 'alert');
    assert.deepEqual(alerts.map(({ rule, severity, comm, n }) => ({ rule, severity, comm, n })), [{ rule: 'busy', severity: 'low', comm: busy, n: 1000 }]);
    assert.match(String(alerts[0]!['window_start']), /^\d{4}-/);
    assert.equal(ruleSummaries(w.stderr()).get('busy')?.['alerts'], 1);
  } finally {
    w.signal('SIGKILL');
    await w.closed;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a PER key the rule does not select, and a bad SEVERITY, fail the file with their code and place', { skip }, async () => {
  const dir = mkdtempSync('/tmp/bpfql-watch-');
  const rules = join(dir, 'rules.sql');
  try {
    writeFileSync(rules, 'CREATE RULE r LIMIT 3 PER comm EVERY 1m AS\n  SELECT pid FROM exec;\n');
    const r = await startCli(['watch', rules]).done;
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`^${rules}:1:27: error\\[unknown-column\\]: unknown column 'comm' in table 'exec'`, 'm'));
    writeFileSync(rules, 'CREATE RULE r SEVERITY urgent AS SELECT pid FROM exec;\n');
    const s = await startCli(['watch', rules]).done;
    assert.equal(s.code, 2);
    assert.match(s.stderr, new RegExp(`^${rules}:1:24: error\\[bad-severity\\]: SEVERITY must be one of low, medium, high, critical, not 'urgent'`, 'm'));
    assert.doesNotMatch(r.stderr + s.stderr, /attached,|\n\s+at /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
