// The Prometheus text format 0.0.4 and OpenMetrics 1.0, exactly: suffixes, escaping, bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricFamily } from '../../../src/output/metrics/model.js';
import { CONTENT_TYPE, expositionFor, renderFamilies } from '../../../src/output/metrics/prometheus.js';
import { manySeriesFamilies, renderManySeries } from '../../helpers/metric-families.js';

const FAMILIES: readonly MetricFamily[] = [
  {
    name: 'bpfql_execs', help: 'execs with a \\ and a\nline "quoted"', type: 'counter', startMs: 0,
    points: [{ kind: 'number', labels: [['host', 'a'], ['comm', 'x"y\\z\nw']], value: 7 }],
  },
  { name: 'bpfql_execs_top', help: 'top', type: 'gauge', startMs: 0, points: [{ kind: 'number', labels: [], value: 1.5 }] },
  {
    name: 'bpfql_lat_ns', help: 'ns', type: 'histogram', startMs: 0,
    points: [{ kind: 'histogram', labels: [['host', 'a']], buckets: [{ le: 0, count: 1 }, { le: 3, count: 8 }, { le: Infinity, count: 8 }], sum: 13, count: 8 }],
  },
  {
    name: 'bpfql_lat_p99', help: 'p99', type: 'summary', startMs: 0,
    points: [{ kind: 'summary', labels: [['host', 'a']], quantiles: [{ q: 0.99, value: NaN }], sum: 800, count: 15 }],
  },
];

test('text format 0.0.4: counters typed by their _total name, labels and HELP escaped, histogram and summary series', () => {
  assert.equal(renderFamilies(FAMILIES, 'text'), [
    '# HELP bpfql_execs_total execs with a \\\\ and a\\nline "quoted"',
    '# TYPE bpfql_execs_total counter',
    'bpfql_execs_total{host="a",comm="x\\"y\\\\z\\nw"} 7',
    '# HELP bpfql_execs_top top',
    '# TYPE bpfql_execs_top gauge',
    'bpfql_execs_top 1.5',
    '# HELP bpfql_lat_ns ns',
    '# TYPE bpfql_lat_ns histogram',
    'bpfql_lat_ns_bucket{host="a",le="0"} 1',
    'bpfql_lat_ns_bucket{host="a",le="3"} 8',
    'bpfql_lat_ns_bucket{host="a",le="+Inf"} 8',
    'bpfql_lat_ns_sum{host="a"} 13',
    'bpfql_lat_ns_count{host="a"} 8',
    '# HELP bpfql_lat_p99 p99',
    '# TYPE bpfql_lat_p99 summary',
    'bpfql_lat_p99{host="a",quantile="0.99"} NaN',
    'bpfql_lat_p99_sum{host="a"} 800',
    'bpfql_lat_p99_count{host="a"} 15',
    '',
  ].join('\n'));
});

test('OpenMetrics 1.0: counter families without _total, canonical float bounds, quotes escaped in HELP, # EOF', () => {
  assert.equal(renderFamilies(FAMILIES.slice(0, 3), 'openmetrics'), [
    '# HELP bpfql_execs execs with a \\\\ and a\\nline \\"quoted\\"',
    '# TYPE bpfql_execs counter',
    'bpfql_execs_total{host="a",comm="x\\"y\\\\z\\nw"} 7',
    '# HELP bpfql_execs_top top',
    '# TYPE bpfql_execs_top gauge',
    'bpfql_execs_top 1.5',
    '# HELP bpfql_lat_ns ns',
    '# TYPE bpfql_lat_ns histogram',
    'bpfql_lat_ns_bucket{host="a",le="0.0"} 1',
    'bpfql_lat_ns_bucket{host="a",le="3.0"} 8',
    'bpfql_lat_ns_bucket{host="a",le="+Inf"} 8',
    'bpfql_lat_ns_sum{host="a"} 13',
    'bpfql_lat_ns_count{host="a"} 8',
    '# EOF',
    '',
  ].join('\n'));
  assert.equal(renderFamilies([], 'openmetrics'), '# EOF\n');
  assert.equal(renderFamilies([], 'text'), '');
});

test('an up-down counter is a gauge in both formats, its name as it is (a falling _total would read as a restart)', () => {
  const updown: MetricFamily = { name: 'bpfql_reads_got', help: 'got', type: 'updown', startMs: 0, points: [{ kind: 'number', labels: [['comm', 'nc']], value: -22 }] };
  const lines = ['# HELP bpfql_reads_got got', '# TYPE bpfql_reads_got gauge', 'bpfql_reads_got{comm="nc"} -22'];
  assert.equal(renderFamilies([updown], 'text'), `${lines.join('\n')}\n`);
  assert.equal(renderFamilies([updown], 'openmetrics'), `${[...lines, '# EOF'].join('\n')}\n`);
});

test('the Accept header picks OpenMetrics only when it names it', () => {
  assert.equal(expositionFor(undefined), 'text');
  assert.equal(expositionFor('text/plain;version=0.0.4;q=0.5,*/*;q=0.1'), 'text');
  assert.equal(expositionFor('application/openmetrics-text;version=1.0.0;q=0.9,text/plain;q=0.5'), 'openmetrics');
  assert.equal(CONTENT_TYPE.openmetrics, 'application/openmetrics-text; version=1.0.0; charset=utf-8');
});

test('the bench\'s 10,000 series: every series in each of the three families', () => {
  const families = manySeriesFamilies(10_000);
  assert.deepEqual(families.map((f) => f.points.length), [10_000, 10_000, 10_000]);
  const text = renderManySeries(10_000);
  assert.equal(text.split('\n').filter((l) => l.startsWith('bpfql_bench_total{')).length, 10_000);
  assert.match(text, /^bpfql_bench_total\{host="bench",comm="comm \\"5\\"",pid="5"\} 11$/m);
});
