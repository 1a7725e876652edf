// The config file of `bpfql serve`: its metrics, what each column becomes, and every way a file
// is refused, with the code and the span in the file (the CLI prints it as file:line:column).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BadMetric, readMetrics } from '../../../src/cli/serve/config.js';
import { QueryError } from '../../../src/diag/diagnostic.js';
import { Engine } from '../../../src/engine/engine.js';
import { reportError } from '../../../src/engine/report-error.js';
import { familyName } from '../../../src/output/metrics/accumulate.js';
import { HEALTH_FAMILIES } from '../../../src/output/metrics/health.js';
import { processFamilies } from '../../../src/output/metrics/process.js';
import { fixtureCatalog, fixturePlannerEnv } from '../../helpers/fixture-catalog.js';
import { fromRoot } from '../../helpers/paths.js';

async function withEngine<T>(f: (e: Engine) => Promise<T>): Promise<T> {
  const engine = await Engine.open({}, fixtureCatalog(), fixturePlannerEnv);
  try {
    return await f(engine);
  } finally {
    await engine.close();
  }
}

/** The one diagnostic a bad file gives: its code, the text its span covers, and the rendered first line. */
async function refusal(script: string): Promise<{ metric: string; code: string; covers: string; line: string }> {
  return withEngine(async (engine) => {
    try {
      await readMetrics(engine, script);
    } catch (e) {
      assert.ok(e instanceof BadMetric, String(e));
      assert.ok(e.error instanceof QueryError, String(e.error));
      const d = e.error.diagnostics[0]!;
      return { metric: e.metric, code: d.code, covers: script.slice(d.span.start, d.span.end), line: reportError(e.error, script, 'm.sql').text.split('\n')[0]! };
    }
    throw new Error('the file was accepted');
  });
}

test('a file of metrics: each column a label, counter, gauge, histogram or summary, by its aggregate', async () => {
  const script = [
    'CREATE METRIC execs AS SELECT comm, count(*) AS total, max(pid) AS top_pid FROM exec GROUP BY comm EVERY 10s;',
    '-- latency',
    'CREATE METRIC opens AS SELECT hist(pid) AS pids, p99(pid) FROM open EVERY 5s;',
  ].join('\n');
  const metrics = await withEngine((e) => readMetrics(e, script));
  assert.deepEqual(metrics.map((m) => m.name), ['execs', 'opens']);
  assert.deepEqual(metrics[0]!.shape.columns, [
    { kind: 'label', name: 'comm', at: 0 },
    { kind: 'counter', name: 'total', at: 1 },
    { kind: 'gauge', name: 'top_pid', at: 2 },
  ]);
  assert.equal(metrics[0]!.shape.everyMs, 10_000);
  assert.equal(metrics[0]!.shape.query, 'SELECT comm, count(*) AS total, max(pid) AS top_pid FROM exec GROUP BY comm EVERY 10s');
  assert.deepEqual(metrics[1]!.shape.columns, [
    { kind: 'histogram', name: 'pids', at: 0, sumAt: 2 },
    { kind: 'summary', name: 'p99', at: 1, q: 0.99, sumAt: 4, countAt: 5 },
  ]);
  assert.equal(metrics[1]!.shape.written, 2);
  assert.equal(metrics[1]!.shape.query,
    'SELECT hist(pid) AS pids, p99(pid), sum(pid) AS __serve_0, count(pid) AS __serve_1, sum(pid) AS __serve_2, count(pid) AS __serve_3 FROM open EVERY 5s');
  assert.equal(metrics[1]!.text, 'CREATE METRIC opens AS SELECT hist(pid) AS pids, p99(pid) FROM open EVERY 5s');
});

test('a sum that can be negative is an up-down counter (a gauge of its running total), one that cannot a counter; in the kernel and in DuckDB alike', async () => {
  const script = [
    // read's requested is size_t, returned is -errno on a failure.
    'CREATE METRIC reads AS SELECT comm, sum(requested) AS asked, sum(returned) AS got, count(*) AS total FROM read GROUP BY comm EVERY 10s;',
    // A filter only DuckDB can apply: DuckDB groups the rows, from the same columns.
    "CREATE METRIC reads_x AS SELECT comm, sum(requested) AS asked, sum(returned) AS got FROM read WHERE comm LIKE '%x%' GROUP BY comm EVERY 10s;",
    // An expression DuckDB computes is not looked into.
    "CREATE METRIC reads_y AS SELECT comm, sum(requested + 1) AS asked FROM read WHERE comm LIKE '%y%' GROUP BY comm EVERY 10s;",
  ].join('\n');
  const metrics = await withEngine((e) => readMetrics(e, script));
  const kinds = metrics.map((m) => m.shape.columns.map((c) => `${c.name}:${c.kind}`).join(' '));
  assert.deepEqual(kinds, [
    'comm:label asked:counter got:updown total:counter',
    'comm:label asked:counter got:updown',
    'comm:label asked:updown',
  ]);
  assert.equal(familyName('reads', 'got', 'updown'), 'bpfql_reads_got');
  assert.equal(familyName('reads', 'asked', 'counter'), 'bpfql_reads_asked');
});

test('a metric without EVERY: metric-needs-every over its query, at its line and column in the file', async () => {
  const r = await refusal('CREATE METRIC a AS SELECT count(*) FROM exec EVERY 1s;\nCREATE METRIC b AS SELECT count(*) FROM exec;');
  assert.deepEqual(r, {
    metric: 'b', code: 'metric-needs-every', covers: 'SELECT count(*) FROM exec',
    line: 'm.sql:2:20: error[metric-needs-every]: metric b needs EVERY (e.g. EVERY 10s): a metric is exposed window by window',
  });
});

test('columns that cannot be a metric: metric-column at the SELECT item', async () => {
  assert.deepEqual(await refusal('CREATE METRIC a AS SELECT comm, count(*) * 2 AS twice FROM exec GROUP BY comm EVERY 1s'),
    { metric: 'a', code: 'metric-column', covers: 'count(*) * 2 AS twice', line: 'm.sql:1:33: error[metric-column]: column twice cannot be a metric: a metric column is one aggregate call, not an expression around one' });
  assert.equal((await refusal('CREATE METRIC a AS SELECT count(DISTINCT pid) AS n FROM exec EVERY 1s')).covers, 'count(DISTINCT pid) AS n');
  assert.equal((await refusal('CREATE METRIC a AS SELECT median(pid) AS m FROM exec EVERY 1s')).code, 'metric-column');
  assert.equal((await refusal('CREATE METRIC a AS SELECT * FROM exec EVERY 1s')).covers, '*');
  assert.equal((await refusal('CREATE METRIC a AS SELECT upper(comm), count(*) FROM exec GROUP BY 1 EVERY 1s')).covers, 'upper(comm)');
  assert.equal((await refusal('CREATE METRIC a AS SELECT comm AS host, count(*) FROM exec GROUP BY comm EVERY 1s')).covers, 'comm AS host');
  assert.equal((await refusal('CREATE METRIC a AS SELECT count(*), count(pid) FROM exec EVERY 1s')).covers, 'count(pid)');
  const none = await refusal('CREATE METRIC a AS SELECT comm FROM exec GROUP BY comm EVERY 1s');
  assert.deepEqual([none.code, none.covers], ['metric-column', 'SELECT comm FROM exec GROUP BY comm EVERY 1s']);
});

test('metric names: invalid ones and a second of a name are bad-metric-name at the name', async () => {
  const invalid = await refusal('CREATE METRIC "a-b" AS SELECT count(*) FROM exec EVERY 1s');
  assert.deepEqual([invalid.code, invalid.covers], ['bad-metric-name', '"a-b"']);
  const twice = await refusal('CREATE METRIC a AS SELECT count(*) FROM exec EVERY 1s;\n  CREATE METRIC a AS SELECT max(pid) FROM exec EVERY 1s;');
  assert.deepEqual(twice, { metric: 'a', code: 'bad-metric-name', covers: 'a', line: "m.sql:2:17: error[bad-metric-name]: a second metric named 'a'" });
  // Two metrics whose series would have one name, and a metric taking a health family's name.
  const clash = await refusal('CREATE METRIC a_b AS SELECT count(*) AS c FROM exec EVERY 1s;\nCREATE METRIC a AS SELECT count(*) AS b_c FROM exec EVERY 1s;');
  assert.deepEqual([clash.metric, clash.code, clash.covers], ['a', 'metric-column', 'count(*) AS b_c']);
  const health = await refusal('CREATE METRIC lost AS SELECT count(*) AS records FROM exec EVERY 1s');
  assert.match(health.line, /its series bpfql_lost_records are bpfql's own/);
});

test('the query itself is checked before anything runs: its diagnostics point into the file', async () => {
  const r = await refusal('CREATE METRIC a AS SELECT count(*) FROM exec EVERY 1s;\nCREATE METRIC b AS SELECT coun(*) FROM exec EVERY 1s;');
  assert.equal(r.metric, 'b');
  assert.equal(r.code, 'unknown-function');
  assert.equal(r.covers, 'coun');
  assert.match(r.line, /^m\.sql:2:27: /);
  const syntax = await refusal('CREATE METRIC a AS SELEC count(*) FROM exec EVERY 1s');
  assert.equal(syntax.code, 'parse-error');
});

test('a file without metrics is refused', async () => {
  await withEngine(async (engine) => {
    await assert.rejects(readMetrics(engine, '-- nothing\n'), (e: unknown) => e instanceof QueryError && e.diagnostics[0]!.code === 'unsupported');
  });
});

test('deploy/metrics.sql is a config bpfql serve takes, and the Grafana dashboard queries only series it, the health and the process families expose', async () => {
  const metrics = await withEngine((e) => readMetrics(e, readFileSync(fromRoot('deploy', 'metrics.sql'), 'utf8')));
  const suffixes = { counter: ['_total'], updown: [''], gauge: [''], histogram: ['_bucket', '_sum', '_count'], summary: ['', '_sum', '_count'] } as const;
  const exposed = new Set([
    ...metrics.flatMap((m) => m.shape.columns.flatMap((c) => (c.kind === 'label' ? [] : suffixes[c.kind].map((x) => familyName(m.name, c.name, c.kind) + x)))),
    ...HEALTH_FAMILIES.flatMap((f) => [f, `${f}_total`]),
    ...processFamilies({ cpuSeconds: 0, residentBytes: 0, startTimeSeconds: 0, openFds: 0, heapUsedBytes: 0, heapTotalBytes: 0, externalBytes: 0 }, 0, []).map((f) => (f.type === 'counter' ? `${f.name}_total` : f.name)),
  ]);
  const dashboard = readFileSync(fromRoot('deploy', 'grafana-dashboard.json'), 'utf8');
  const used = [...new Set(dashboard.match(/\b(bpfql|process)_[a-z0-9_]+/g))];
  assert.ok(used.length >= 10);
  assert.deepEqual(used.filter((n) => !exposed.has(n)), []);
});
