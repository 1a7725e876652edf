// Windows of a standing query into cumulative metric families: counters (and up-down counters) add up over windows,
// gauges are the last window's, histograms add their buckets up, summaries keep the last
// quantile with cumulative _sum and _count, and the series cap drops and counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { familyName, MetricAccumulator } from '../../../src/output/metrics/accumulate.js';
import { HEALTH_FAMILIES, healthFamilies } from '../../../src/output/metrics/health.js';
import type { MetricShape } from '../../../src/output/metrics/shape.js';

const SHAPE: MetricShape = {
  metric: 'execs',
  columns: [
    { kind: 'label', name: 'comm', at: 0 },
    { kind: 'counter', name: 'total', at: 1 },
    { kind: 'gauge', name: 'top', at: 2 },
  ],
  written: 3,
  query: '',
  everyMs: 1000,
};

function accumulator(shape: MetricShape, maxSeries = 100): MetricAccumulator {
  return new MetricAccumulator(shape, { constLabels: [['host', 'a']], maxSeries, startMs: 5 });
}

test('family names: bpfql_<metric>_<column>, a counter named total (or x_total) without a second _total', () => {
  assert.equal(familyName('execs', 'total', 'counter'), 'bpfql_execs');
  assert.equal(familyName('execs', 'calls_total', 'counter'), 'bpfql_execs_calls');
  assert.equal(familyName('execs', 'n', 'counter'), 'bpfql_execs_n');
  assert.equal(familyName('execs', 'total', 'gauge'), 'bpfql_execs_total');
});

test('counters add up over windows and keep series absent later; gauges are the last window only', () => {
  const acc = accumulator(SHAPE);
  acc.add([['sh', 3, 10], ['cat', 2n, 7]]);
  acc.add([['sh', 4, 12]]);
  const [counter, gauge] = acc.families();
  assert.deepEqual(counter, {
    name: 'bpfql_execs', help: 'total of bpfql metric execs', type: 'counter', startMs: 5,
    points: [
      { kind: 'number', labels: [['host', 'a'], ['comm', 'sh']], value: 7 },
      { kind: 'number', labels: [['host', 'a'], ['comm', 'cat']], value: 2 },
    ],
  });
  assert.deepEqual(gauge!.points, [{ kind: 'number', labels: [['host', 'a'], ['comm', 'sh']], value: 12 }]);
  assert.equal(gauge!.type, 'gauge');
  assert.equal(acc.windows, 2);
});

test('an up-down counter (a sum that can be negative) is the running total over windows, falling too, its name without _total stripped', () => {
  const acc = accumulator({ metric: 'reads', columns: [{ kind: 'label', name: 'comm', at: 0 }, { kind: 'updown', name: 'got_total', at: 1 }], written: 2, query: '', everyMs: 1000 });
  acc.add([['sh', 100n], ['nc', -11n]]);
  acc.add([['sh', -22n], ['nc', -11n]]);
  const [updown] = acc.families();
  assert.deepEqual(updown, {
    name: 'bpfql_reads_got_total', help: 'got_total of bpfql metric reads', type: 'updown', startMs: 5,
    points: [
      { kind: 'number', labels: [['host', 'a'], ['comm', 'sh']], value: 78 },
      { kind: 'number', labels: [['host', 'a'], ['comm', 'nc']], value: -22 },
    ],
  });
});

test('label values: NULL is empty, numbers decimal, lists JSON', () => {
  const acc = accumulator(SHAPE);
  acc.add([[null, 1, 1], [42, 1, 1], [['a', 'b'], 1, 1]]);
  assert.deepEqual(acc.families()[0]!.points.map((p) => p.labels[1]![1]), ['', '42', '["a","b"]']);
});

test('histograms: buckets added up over windows, cumulative by le, +Inf equal to the count, sum from the extra column', () => {
  const acc = accumulator({
    metric: 'lat', columns: [{ kind: 'histogram', name: 'ns', at: 0, sumAt: 1 }], written: 1, query: '', everyMs: 1000,
  });
  acc.add([[[{ lo: 0, hi: 0, count: 1 }, { lo: 2, hi: 3, count: 2 }], 6]]);
  acc.add([[[{ lo: 1, hi: 1, count: 4 }, { lo: 2, hi: 3, count: 1 }], 7n]]);
  assert.deepEqual(acc.families(), [{
    name: 'bpfql_lat_ns', help: 'ns of bpfql metric lat', type: 'histogram', startMs: 5,
    points: [{
      kind: 'histogram', labels: [['host', 'a']], sum: 13, count: 8,
      buckets: [{ le: 0, count: 1 }, { le: 1, count: 5 }, { le: 3, count: 8 }, { le: Infinity, count: 8 }],
    }],
  }]);
});

test('summaries: the last window\'s quantile, _sum and _count added up over windows', () => {
  const acc = accumulator({
    metric: 'lat', columns: [{ kind: 'summary', name: 'p99', at: 0, q: 0.99, sumAt: 1, countAt: 2 }], written: 1, query: '', everyMs: 1000,
  });
  acc.add([[100, 500, 10]]);
  acc.add([[80, 300, 5]]);
  assert.deepEqual(acc.families()[0]!.points, [{ kind: 'summary', labels: [['host', 'a']], quantiles: [{ q: 0.99, value: 80 }], sum: 800, count: 15 }]);
  assert.equal(acc.families()[0]!.type, 'summary');
});

test('the series cap: label sets beyond it are dropped in every window and counted; admitted ones keep counting', () => {
  const acc = accumulator(SHAPE, 2);
  acc.add([['a', 1, 1], ['b', 1, 1], ['c', 1, 1]]);
  acc.add([['c', 1, 1], ['a', 1, 1], ['d', 1, 1]]);
  assert.deepEqual(acc.families()[0]!.points.map((p) => [p.labels[1]![1], p.kind === 'number' ? p.value : -1]), [['a', 2], ['b', 1]]);
  assert.equal(acc.dropped, 3);
});

test('health families: a series per metric with the host label, run time only when measured', () => {
  const h = { metric: 'execs', startMs: 0, windows: 3, seriesDropped: 1, lostRecords: 2, failedUpdates: 0, unmatchedEvents: 0, lostStacks: 0, skippedEvents: 4, programs: 1 };
  const families = healthFamilies([h], 0, [['host', 'a']]);
  assert.deepEqual(families.map((f) => f.name), HEALTH_FAMILIES.filter((n) => n !== 'bpfql_query_run_time_seconds'));
  assert.deepEqual(families[0]!.points, [{ kind: 'number', labels: [['host', 'a'], ['metric', 'execs']], value: 3 }]);
  assert.deepEqual(families.find((f) => f.name === 'bpfql_skipped_events')!.points.map((p) => p.kind === 'number' && p.value), [4]);
  const timed = healthFamilies([{ ...h, runTimeNs: 2_500_000_000 }], 0, []);
  assert.deepEqual(timed.find((f) => f.name === 'bpfql_query_run_time_seconds')!.points, [{ kind: 'number', labels: [['metric', 'execs']], value: 2.5 }]);
});
