// Where alerts go besides stdout: --output FILE (appended, each alert written as it is made,
// created 0600, a planted symlink refused), --webhook URL (a loopback listener gets every alert
// as JSON), --syslog (an RFC 5424 datagram per alert on a unix socket the test binds).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { UnixDatagram } from '../../src/kernel/unix-datagram.js';
import { startCli, waitFor } from '../helpers/cli.js';
import { startWatch, TestCgroup } from '../helpers/watch.js';
import { kernelSkip, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();

test('one rule, three execs: each alert in the file as it happens, posted to the webhook and sent to syslog with the severity mapped', { skip }, async () => {
  const dir = mkdtempSync('/run/bpfql-outputs-');
  const cg = new TestCgroup('bpfql-outputs');
  const prog = join(dir, uniqueComm('op'));
  copyFileSync('/bin/true', prog);
  const rules = join(dir, 'rules.sql');
  writeFileSync(rules, `CREATE RULE ran SEVERITY critical AS SELECT pid, filename FROM exec WHERE filename = '${prog}';\n`);
  const log = join(dir, 'alerts.ndjson');
  const posted: unknown[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      assert.equal(req.method, 'POST');
      assert.equal(req.headers['content-type'], 'application/json');
      posted.push(...(JSON.parse(body) as unknown[]));
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const socketPath = join(dir, 'log.sock');
  const syslog = UnixDatagram.bind(socketPath);
  const datagrams: string[] = [];
  const receive = (): void => {
    for (let d = syslog.receive(); d !== undefined; d = syslog.receive()) datagrams.push(d.toString());
  };
  const w = startWatch(['--cgroup', cg.dir, '--output', log, '--webhook', `http://127.0.0.1:${port}/alerts`, '--syslog', '--syslog-socket', socketPath, rules]);
  try {
    await w.attached();
    const fileLines = (): Record<string, unknown>[] => readFileSync(log, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    const pids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const code = await cg.run([prog]);
      assert.equal(code, 0);
      // The file has the alert while bpfql runs: written per alert, not at the end.
      await waitFor(`alert ${i + 1} in the file`, () => fileLines().length === i + 1, 10_000);
      pids.push(Number(fileLines()[i]!['pid']));
    }
    assert.equal(statSync(log).mode & 0o777, 0o600);
    await waitFor('3 posted alerts', () => posted.length === 3, 10_000);
    await waitFor('3 syslog datagrams', () => {
      receive();
      return datagrams.length === 3;
    }, 10_000);
    w.signal('SIGINT');
    assert.equal(await w.closed, 0, w.stderr());
    const want = pids.map((pid) => ({ rule: 'ran', severity: 'critical', kind: 'alert', pid, filename: prog }));
    const strip = (a: unknown): unknown => {
      const { ts, ...rest } = a as Record<string, unknown>;
      assert.match(String(ts), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
      return rest;
    };
    assert.deepEqual(fileLines().map(strip), want);
    assert.deepEqual(posted.map(strip), want);
    assert.deepEqual(w.lines().map(strip), want);
    // <34>: facility auth (4) * 8 + critical (2).
    for (const [i, d] of datagrams.entries()) {
      const m = /^<34>1 \d{4}-\d\d-\d\dT[\d:.]+Z \S+ bpfql \d+ - - (\{.*\})$/.exec(d);
      assert.ok(m, d);
      assert.deepEqual(strip(JSON.parse(m[1]!)), want[i]);
    }
    assert.match(w.stderr(), /^\{"output":"webhook","sent":3,"dropped":0,"failed":0\}$/m);
    assert.match(w.stderr(), /^\{"output":"syslog","sent":3,"dropped":0,"failed":0\}$/m);
  } finally {
    w.signal('SIGKILL');
    await w.closed;
    syslog.close();
    server.close();
    await cg.remove();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--output refuses a planted symlink, and a missing syslog socket is said, before anything is attached', { skip }, async () => {
  const dir = mkdtempSync('/tmp/bpfql-outputs-');
  const rules = join(dir, 'rules.sql');
  writeFileSync(rules, 'CREATE RULE r AS SELECT pid FROM exec;\n');
  const target = join(dir, 'victim');
  writeFileSync(target, 'keep\n');
  const link = join(dir, 'alerts.ndjson');
  symlinkSync(target, link);
  try {
    const r = await startCli(['watch', '--output', link, rules]).done;
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: cannot write .*alerts\.ndjson: it is a symbolic link, which bpfql does not follow/m);
    assert.equal(readFileSync(target, 'utf8'), 'keep\n');
    const s = await startCli(['watch', '--syslog', '--syslog-socket', join(dir, 'nobody.sock'), rules]).done;
    assert.equal(s.code, 1);
    assert.match(s.stderr, /^error: connect failed for .*nobody\.sock: ENOENT/m);
    assert.doesNotMatch(r.stderr + s.stderr, /attached|\n\s+at /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
