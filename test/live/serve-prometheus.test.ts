// `bpfql serve` with a real Prometheus: two servers (hosts a and b), each counting execs in a
// cgroup this test makes, scraped every second; PromQL through Prometheus' HTTP API gives
// exactly the execs made. Then the service: SIGHUP keeps unchanged metrics counting, restarts
// changed ones, keeps the old set when the file is broken; SIGTERM ends with exit 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandCgroup, findCgroup2 } from '../../src/kernel/cgroup.js';
import { sleep, waitFor } from '../helpers/cli.js';
import type { ServeChild } from '../helpers/serve.js';
import { metricsText, sample, startServe } from '../helpers/serve.js';
import { kernelSkip, NamedProgram, shell, uniqueComm } from '../helpers/workload.js';

const prometheus = spawnSync('prometheus', ['--version']).status === 0;
const skip = kernelSkip() || (prometheus ? false : 'no prometheus binary (.ci/install-tools installs it)');

/** A free loopback port (taken and given back: Prometheus cannot be told to pick one). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 0));
    });
  });
}

/** Runs each program its number of times inside `cgroup`, from one shell that moved itself there first. */
async function execsIn(cgroup: CommandCgroup, runs: readonly (readonly [NamedProgram, number])[]): Promise<void> {
  const loops = runs.map(([p, n]) => `i=0; while [ $i -lt ${n} ]; do ${p.path}; i=$((i+1)); done`).join('; ');
  const code = await shell(`echo $$ > ${cgroup.procsFile}; ${loops}`).done;
  assert.equal(code, 0);
}

interface Host {
  readonly name: string;
  readonly cgroup: CommandCgroup;
  readonly counts: readonly (readonly [NamedProgram, number])[];
  serve?: ServeChild;
}

async function promQuery(base: string, query: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const r = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = await r.json() as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  assert.equal(body.status, 'success');
  return body.data.result;
}

test('two bpfql serve hosts scraped by Prometheus: sum by (host, comm) (bpfql_execs_total) is exactly the execs made', { skip, timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-serve-'));
  const mount = findCgroup2();
  const progA = new NamedProgram(uniqueComm('sa'));
  const progB = new NamedProgram(uniqueComm('sb'));
  const hosts: Host[] = [
    { name: 'a', cgroup: CommandCgroup.create(mount, `bpfql-serve-a-${process.pid}`), counts: [[progA, 7], [progB, 5]] },
    { name: 'b', cgroup: CommandCgroup.create(mount, `bpfql-serve-b-${process.pid}`), counts: [[progA, 3], [progB, 4]] },
  ];
  let prom: ReturnType<typeof spawn> | undefined;
  try {
    for (const h of hosts) {
      const config = join(dir, `${h.name}.sql`);
      writeFileSync(config, `CREATE METRIC execs AS SELECT comm, count(*) AS total FROM exec WHERE cgroup_id = ${h.cgroup.id} GROUP BY comm EVERY 1s;\n`);
      h.serve = await startServe(['--host', h.name, config], 1);
    }
    const promPort = await freePort();
    const promConfig = join(dir, 'prometheus.yml');
    writeFileSync(promConfig, [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: bpfql',
      '    static_configs:',
      `      - targets: [${hosts.map((h) => `'${h.serve!.base.slice('http://'.length)}'`).join(', ')}]`,
      '',
    ].join('\n'));
    prom = spawn('prometheus', [`--config.file=${promConfig}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: 'ignore' });
    const promBase = `http://127.0.0.1:${promPort}`;
    for (let i = 0; ; i++) {
      const ready = await fetch(`${promBase}/-/ready`).then((r) => r.ok, () => false);
      if (ready) break;
      if (i > 300) throw new Error('Prometheus did not get ready');
      await sleep(100);
    }
    for (const h of hosts) await execsIn(h.cgroup, h.counts);
    const expected = hosts.flatMap((h) => h.counts.map(([p, n]) => `${h.name} ${p.comm} ${n}`)).sort();
    const got = async (): Promise<string[]> =>
      (await promQuery(promBase, 'sum by (host, comm) (bpfql_execs_total)')).map((r) => `${r.metric['host']} ${r.metric['comm']} ${r.value[1]}`).sort();
    let last: string[] = [];
    for (let i = 0; i < 100 && JSON.stringify(last) !== JSON.stringify(expected); i++) {
      await sleep(200);
      last = await got();
    }
    assert.deepEqual(last, expected);
    // Later windows and scrapes add nothing: the counters are cumulative, not re-counted.
    await sleep(2500);
    assert.deepEqual(await got(), expected);
    const perHost = await promQuery(promBase, 'sum by (host) (bpfql_windows_closed_total)');
    assert.equal(perHost.length, 2);
    for (const h of hosts) {
      h.serve!.kill('SIGTERM');
      assert.equal(await h.serve!.exit, 0, h.serve!.stderr());
    }
  } finally {
    if (prom !== undefined && prom.exitCode === null) {
      const closed = new Promise((resolve) => prom!.once('close', resolve));
      prom.kill('SIGTERM');
      await closed;
    }
    for (const h of hosts) {
      h.serve?.kill('SIGKILL');
      await h.serve?.exit;
      await h.cgroup.remove();
    }
    progA.remove();
    progB.remove();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGHUP: an unchanged metric keeps its count, a changed one restarts, a broken file keeps the old set; SIGTERM exits 0', { skip: kernelSkip(), timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-serve-'));
  const cgroup = CommandCgroup.create(findCgroup2(), `bpfql-serve-hup-${process.pid}`);
  const prog = new NamedProgram(uniqueComm('sh'));
  const config = join(dir, 'metrics.sql');
  const execs = `CREATE METRIC execs AS SELECT comm, count(*) AS total FROM exec WHERE cgroup_id = ${cgroup.id} GROUP BY comm EVERY 1s;`;
  const other = (n: string): string => `CREATE METRIC other AS SELECT count(*) AS ${n} FROM exec WHERE cgroup_id = ${cgroup.id} EVERY 1s;`;
  writeFileSync(config, `${execs}\n${other('n')}\n`);
  let serve: ServeChild | undefined;
  try {
    serve = await startServe(['--host', 'h', config], 2);
    const s = serve;
    const execsSeries = `bpfql_execs_total{host="h",comm="${prog.comm}"}`;
    const waitValue = async (series: string, value: number): Promise<void> => {
      let text = '';
      for (let i = 0; i < 100 && sample(text, series) !== value; i++) {
        await sleep(100);
        text = await metricsText(s.base);
      }
      assert.equal(sample(text, series), value, text);
    };
    await execsIn(cgroup, [[prog, 7]]);
    await waitValue(execsSeries, 7);
    await waitValue('bpfql_other_n_total{host="h"}', 7);

    // The other metric changes (its column is renamed): it restarts; execs keeps counting.
    writeFileSync(config, `${execs}\n${other('m')}\n`);
    s.kill('SIGHUP');
    await waitFor('the reload', () => /reloaded: 1 kept, 1 restarted, 0 started, 0 stopped/.test(s.stderr()), 30_000);
    await waitFor('the restarted metric attached', () => /attached 3 metric/.test(s.stderr()), 30_000);
    await execsIn(cgroup, [[prog, 5]]);
    await waitValue(execsSeries, 12);
    await waitValue('bpfql_other_m_total{host="h"}', 5);
    assert.equal(sample(await metricsText(s.base), 'bpfql_other_n_total{host="h"}'), undefined);

    // A broken file: reported with file:line:column, and both metrics go on counting.
    const broken = 'CREATE METRIC other AS SELECT count(*) AS m FROM exec WHERE nope = 1 EVERY 1s;';
    writeFileSync(config, `${execs}\n${broken}\n`);
    s.kill('SIGHUP');
    await waitFor('the refusal', () => /reload refused/.test(s.stderr()), 30_000);
    assert.ok(s.stderr().includes(`${config}:2:${broken.indexOf('nope') + 1}: error[unknown-column]`), s.stderr());
    await execsIn(cgroup, [[prog, 2]]);
    await waitValue(execsSeries, 14);
    await waitValue('bpfql_other_m_total{host="h"}', 7);

    // The HTTP side: liveness, OpenMetrics on request, nothing else served.
    const health = await fetch(`${s.base}/healthz`);
    assert.deepEqual([health.status, await health.text()], [200, 'ok']);
    const om = await fetch(`${s.base}/metrics`, { headers: { Accept: 'application/openmetrics-text; version=1.0.0' } });
    assert.match(om.headers.get('content-type') ?? '', /^application\/openmetrics-text/);
    assert.match(await om.text(), /^# TYPE bpfql_execs counter$[\s\S]*# EOF\n$/m);
    assert.equal((await fetch(`${s.base}/nope`)).status, 404);
    assert.equal((await fetch(`${s.base}/metrics`, { method: 'POST', body: 'x' })).status, 405);

    s.kill('SIGTERM');
    assert.equal(await s.exit, 0, s.stderr());
  } finally {
    serve?.kill('SIGKILL');
    await serve?.exit;
    await cgroup.remove();
    prog.remove();
    rmSync(dir, { recursive: true, force: true });
  }
});
