// The OTLP encoder read back by the test's own decoder (field numbers from opentelemetry-proto):
// the numbers equal the families', with the type mapping and bucket conversion OTLP asks for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricFamily } from '../../src/output/metrics/model.js';
import { encodeMetricsRequest, otlpBuckets } from '../../src/output/metrics/otlp.js';
import { decodeMetricsRequest, familiesAt } from '../helpers/otlp-decode.js';

const START = Date.UTC(2026, 11, 7, 6, 0, 0);
const T1 = START + 10_000;
const T2 = START + 20_000;
const RESOURCE = { hostName: 'node-7', serviceVersion: '9.8.7' };

const FAMILIES: readonly MetricFamily[] = [
  {
    name: 'bpfql_execs', help: 'Execs by command.', type: 'counter', startMs: START,
    points: [
      { kind: 'number', labels: [['comm', 'bash']], value: 12 },
      { kind: 'number', labels: [['comm', 'weird "name"\n\u00e9']], value: 2 ** 53 + 2 },
    ],
  },
  {
    name: 'bpfql_read_returned', help: 'Bytes read, or -errno.', type: 'updown', startMs: START,
    points: [{ kind: 'number', labels: [['comm', 'nc']], value: -22 }],
  },
  {
    name: 'bpfql_latency_avg', help: '', type: 'gauge', startMs: START,
    points: [{ kind: 'number', labels: [['comm', 'cat'], ['pid', '42']], value: 0.125 }],
  },
  {
    name: 'bpfql_read_bytes', help: 'Read sizes.', type: 'histogram', startMs: START,
    points: [{
      kind: 'histogram', labels: [], sum: 9000.5, count: 10,
      buckets: [{ le: 1, count: 1 }, { le: 2, count: 1 }, { le: 4, count: 6 }, { le: Infinity, count: 10 }],
    }],
  },
  {
    name: 'bpfql_read_quantiles', help: 'Read size quantiles.', type: 'summary', startMs: START + 5,
    points: [{ kind: 'summary', labels: [['comm', 'dd']], quantiles: [{ q: 0.5, value: 3 }, { q: 0.99, value: 4096 }], sum: 5000, count: 7 }],
  },
];

/** What familiesAt can give back: gauges carry no start time. */
const expected = (families: readonly MetricFamily[]): MetricFamily[] =>
  families.map((f) => ({ ...f, startMs: f.type === 'gauge' ? 0 : f.startMs, points: [...f.points] }));

test('one snapshot decodes back to the families, with the resource and scope', () => {
  const req = decodeMetricsRequest(encodeMetricsRequest([{ timeMs: T1, families: FAMILIES }], RESOURCE));
  assert.deepEqual(req.resource, { 'host.name': 'node-7', 'service.name': 'bpfql', 'service.version': '9.8.7' });
  assert.deepEqual(req.scope, { name: 'bpfql', version: '9.8.7' });
  assert.deepEqual(familiesAt(req, T1), expected(FAMILIES));
});

test('counters are monotonic cumulative Sums, up-down counters non-monotonic ones, histograms cumulative, gauges and summaries without temporality', () => {
  const req = decodeMetricsRequest(encodeMetricsRequest([{ timeMs: T1, families: FAMILIES }], RESOURCE));
  assert.deepEqual(req.metrics.map((m) => [m.name, m.type, m.temporality, m.monotonic]), [
    ['bpfql_execs', 'counter', 2, true],
    ['bpfql_read_returned', 'updown', 2, false],
    ['bpfql_latency_avg', 'gauge', undefined, undefined],
    ['bpfql_read_bytes', 'histogram', 2, undefined],
    ['bpfql_read_quantiles', 'summary', undefined, undefined],
  ]);
  const startsAndTimes = req.metrics.map((m) => m.points.map((p) => [p.startMs, p.timeMs]));
  assert.deepEqual(startsAndTimes, [[[START, T1], [START, T1]], [[START, T1]], [[undefined, T1]], [[START, T1]], [[START + 5, T1]]]);
});

test('several snapshots are one metric each, with a data point per snapshot told apart by time', () => {
  const later: MetricFamily[] = [{ ...FAMILIES[0]!, points: [{ kind: 'number', labels: [['comm', 'bash']], value: 20 }] }];
  const req = decodeMetricsRequest(encodeMetricsRequest([{ timeMs: T1, families: FAMILIES }, { timeMs: T2, families: later }], RESOURCE));
  assert.equal(req.metrics.filter((m) => m.name === 'bpfql_execs').length, 1);
  assert.deepEqual(familiesAt(req, T1), expected(FAMILIES));
  assert.deepEqual(familiesAt(req, T2), expected(later));
});

test('histogram buckets: cumulative counts become per-bucket counts, +Inf is the implicit last bucket', () => {
  assert.deepEqual(otlpBuckets([{ le: 1, count: 1 }, { le: 2, count: 1 }, { le: 4, count: 6 }, { le: Infinity, count: 10 }], 10), {
    bounds: [1, 2, 4], counts: [1n, 0n, 5n, 4n],
  });
  // Without a +Inf bucket the overflow is what the total has beyond the last bound.
  assert.deepEqual(otlpBuckets([{ le: 8, count: 3 }], 5), { bounds: [8], counts: [3n, 2n] });
  assert.deepEqual(otlpBuckets([], 0), { bounds: [], counts: [0n] });
  assert.throws(() => otlpBuckets([{ le: 1, count: 5 }, { le: 2, count: 3 }], 5), /whole number ≥ 0/);
});

test('a point of the wrong kind for its family is an error, not a wrong message', () => {
  const bad: MetricFamily = { name: 'x', help: '', type: 'counter', startMs: 0, points: [FAMILIES.find((f) => f.type === 'histogram')!.points[0]!] };
  assert.throws(() => encodeMetricsRequest([{ timeMs: T1, families: [bad] }], RESOURCE), /a histogram point in a family of number points/);
});
