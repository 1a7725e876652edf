// `bpfql serve --otlp URL --store DIR` live: one server counting execs in a cgroup this test
// makes pushes to an OTLP receiver on loopback and writes its windows under DIR. The pushed
// values, decoded with the test's own protobuf reader, equal the /metrics values of the same
// window (told by bpfql_windows_closed_total, which moves only when a window closes); the
// history read back with DuckDB holds exactly the execs made, a file per window as
// --store-max-rows 1 asks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandCgroup, findCgroup2 } from '../../src/kernel/cgroup.js';
import { VERSION } from '../../src/engine/version.js';
import type { MetricFamily } from '../../src/output/metrics/model.js';
import { quoteString } from '../../src/query/quote.js';
import { Session } from '../../src/store/session.js';
import { sleep } from '../helpers/cli.js';
import { decodeMetricsRequest, familiesAt } from '../helpers/otlp-decode.js';
import type { DecodedRequest } from '../helpers/otlp-decode.js';
import { startReceiver } from '../helpers/otlp-receiver.js';
import type { ServeChild } from '../helpers/serve.js';
import { metricsText, sample, startServe } from '../helpers/serve.js';
import { kernelSkip, NamedProgram, shell, uniqueComm } from '../helpers/workload.js';

const HOST = 'otlp-host';
const EXECS = 6;

/** How the Prometheus exposition writes a number series of `f`. */
function seriesText(f: MetricFamily, labels: readonly (readonly [string, string])[]): string {
  const name = f.type === 'counter' ? `${f.name}_total` : f.name;
  return labels.length === 0 ? name : `${name}{${labels.map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}

/** Families whose values are of the moment they are read, not of a window: the exporter's own (not in /metrics) and the process's. */
const momentary = (name: string): boolean => name.startsWith('bpfql_otlp_') || name.startsWith('process_') || name.startsWith('nodejs_');

/** The families of the newest window in the receiver's newest request, but the momentary ones. */
function newestPushed(req: DecodedRequest): MetricFamily[] {
  const newest = Math.max(...req.metrics.flatMap((m) => m.points.map((p) => p.timeMs)));
  return familiesAt(req, newest).filter((f) => !momentary(f.name));
}

test('bpfql serve --otlp --store: pushed values equal /metrics of the same window; the history holds the execs made', { skip: kernelSkip(), timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-serve-otlp-'));
  const cgroup = CommandCgroup.create(findCgroup2(), `bpfql-serve-otlp-${process.pid}`);
  const prog = new NamedProgram(uniqueComm('so'));
  const receiver = await startReceiver(() => ({ status: 200 }));
  const history = join(dir, 'history');
  let serve: ServeChild | undefined;
  try {
    const config = join(dir, 'metrics.sql');
    writeFileSync(config, `CREATE METRIC execs AS SELECT comm, count(*) AS total FROM exec WHERE cgroup_id = ${cgroup.id} GROUP BY comm EVERY 1s;\n`);
    // A file per window (--store-max-rows 1): the flag reaches the history.
    serve = await startServe(['--host', HOST, '--otlp', receiver.url, '--store', history, '--store-max-rows', '1', config], 1);
    const s = serve;
    // Half the execs, then the other half more than a window (1 s) later: at least two windows hold them.
    const run = shell(`echo $$ > ${cgroup.procsFile}; i=0; while [ $i -lt ${EXECS} ]; do ${prog.path}; i=$((i+1)); if [ $i -eq ${EXECS / 2} ]; then sleep 1.5; fi; done`);
    assert.equal(await run.done, 0);
    const execsSeries = `bpfql_execs_total{host="${HOST}",comm="${prog.comm}"}`;
    const windowsSeries = `bpfql_windows_closed_total{host="${HOST}",metric="execs"}`;

    // Read /metrics and the newest push until both are of one window with every exec counted.
    let compared = 0;
    for (let i = 0; i < 200 && compared === 0; i++) {
      await sleep(100);
      const text = await metricsText(s.base);
      const last = receiver.requests.at(-1);
      if (last === undefined || sample(text, execsSeries) !== EXECS) continue;
      const req = decodeMetricsRequest(last.body);
      const pushed = newestPushed(req);
      const windows = pushed.find((f) => f.name === 'bpfql_windows_closed')?.points[0];
      if (windows?.kind !== 'number' || sample(text, windowsSeries) !== windows.value) continue;
      assert.deepEqual(req.resource, { 'host.name': HOST, 'service.name': 'bpfql', 'service.version': VERSION });
      for (const f of pushed) {
        for (const p of f.points) {
          assert.equal(p.kind, 'number', f.name);
          if (p.kind !== 'number') continue;
          assert.equal(sample(text, seriesText(f, p.labels)), p.value, `${seriesText(f, p.labels)} in\n${text}`);
          compared++;
        }
      }
      // And /metrics has no series the push lacks.
      const served = text.split('\n').filter((l) => l !== '' && !l.startsWith('#') && !momentary(l));
      assert.equal(served.length, compared, text);
      // The process's own are in both, with the host.
      assert.ok(sample(text, `process_resident_memory_bytes{host="${HOST}"}`)! > 10e6, text);
      const rss = familiesAt(req, Math.max(...req.metrics.flatMap((m) => m.points.map((p) => p.timeMs)))).find((f) => f.name === 'process_resident_memory_bytes');
      assert.ok(rss?.points[0]?.kind === 'number' && rss.points[0].value > 10e6, JSON.stringify(rss));
      assert.equal(pushed.find((f) => f.name === 'bpfql_execs')?.points.find((p) => p.labels.some(([k, v]) => k === 'comm' && v === prog.comm))?.kind, 'number');
    }
    assert.ok(compared > 0, `no push matched /metrics of the same window:\n${s.stderr()}`);

    s.kill('SIGTERM');
    assert.equal(await s.exit, 0, s.stderr());
    for (const r of receiver.requests) assert.deepEqual([r.path, r.contentType], ['/v1/metrics', 'application/x-protobuf']);

    const db = await Session.open();
    try {
      const r = await db.run(`SELECT metric, host, sum(total), count(*), count(DISTINCT window_end) FROM read_parquet(${quoteString(`${history}/**/*.parquet`)}, hive_partitioning = true)
        WHERE comm = ${quoteString(prog.comm)} GROUP BY ALL`);
      const [row] = r.rows;
      assert.ok(row !== undefined, 'no history of the execs');
      assert.deepEqual(row.slice(0, 3), ['execs', HOST, EXECS]);
      // One row per window the comm appeared in.
      assert.equal(row[3], row[4]);
      // A window's rows (the program's and sleep's) stay in one file; no file takes a second window.
      const perFile = await db.run(`SELECT count(DISTINCT window_end) FROM read_parquet(${quoteString(`${history}/**/*.parquet`)}, filename = true) GROUP BY filename`);
      assert.ok(perFile.rows.length >= 2, `${perFile.rows.length} file(s)`);
      for (const [windows] of perFile.rows) assert.equal(windows, 1);
    } finally {
      await db.close();
    }
  } finally {
    serve?.kill('SIGKILL');
    await serve?.exit;
    await receiver.close();
    await cgroup.remove();
    prog.remove();
    rmSync(dir, { recursive: true, force: true });
  }
});
