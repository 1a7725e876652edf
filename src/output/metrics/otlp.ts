// Metric families as an OTLP ExportMetricsServiceRequest (opentelemetry-proto,
// collector/metrics/v1/metrics_service.proto and metrics/v1/metrics.proto), the body of a POST to
// `<collector>/v1/metrics`. Counters become monotonic cumulative Sums and histograms cumulative
// Histograms, both from the family's startMs; gauges Gauges; quantiles Summaries. Several
// snapshots (the families as exposed at several window closes) go in one request: each series
// then has one data point per snapshot, told apart by its time.
import type { Bucket, Label, MetricFamily, Point } from './model.js';
import { ProtoWriter } from './protobuf.js';
import { assertNever } from '../../diag/assert-never.js';

/** Who is sending: the resource attributes of every request. */
export interface OtlpResource {
  /** host.name */
  readonly hostName: string;
  /** service.version: bpfql's version (known to the engine, above this layer). */
  readonly serviceVersion: string;
}

/** The families as exposed when a window closed at `timeMs`. */
export interface MetricsSnapshot {
  readonly timeMs: number;
  readonly families: readonly MetricFamily[];
}

/** Field numbers of the messages written here, named as in the .proto files. */
const F = {
  request: { resourceMetrics: 1 },
  resourceMetrics: { resource: 1, scopeMetrics: 2 },
  resource: { attributes: 1 },
  scopeMetrics: { scope: 1, metrics: 2 },
  scope: { name: 1, version: 2 },
  keyValue: { key: 1, value: 2 },
  anyValue: { stringValue: 1 },
  metric: { name: 1, description: 2, gauge: 5, sum: 7, histogram: 9, summary: 11 },
  gauge: { dataPoints: 1 },
  sum: { dataPoints: 1, aggregationTemporality: 2, isMonotonic: 3 },
  histogram: { dataPoints: 1, aggregationTemporality: 2 },
  summary: { dataPoints: 1 },
  numberPoint: { startTime: 2, time: 3, asDouble: 4, attributes: 7 },
  histogramPoint: { startTime: 2, time: 3, count: 4, sum: 5, bucketCounts: 6, explicitBounds: 7, attributes: 9 },
  summaryPoint: { startTime: 2, time: 3, count: 4, sum: 5, quantileValues: 6, attributes: 7 },
  valueAtQuantile: { quantile: 1, value: 2 },
} as const;

/** AggregationTemporality: values are totals since the start time. */
const CUMULATIVE = 2;

/** One data point with the times it carries. */
interface Timed {
  readonly point: Point;
  readonly startMs: number;
  readonly timeMs: number;
}

/** One OTLP Metric: a family's name and type, and its points from every snapshot. */
interface Gathered {
  readonly family: MetricFamily;
  readonly points: Timed[];
}

/** The request body for `snapshots`, oldest first. */
export function encodeMetricsRequest(snapshots: readonly MetricsSnapshot[], resource: OtlpResource): Uint8Array {
  const metrics = gather(snapshots);
  return new ProtoWriter()
    .message(F.request.resourceMetrics, (rm) => {
      rm.message(F.resourceMetrics.resource, (r) => {
        for (const [key, value] of [['host.name', resource.hostName], ['service.name', 'bpfql'], ['service.version', resource.serviceVersion]] as const) {
          r.message(F.resource.attributes, (kv) => keyValue(kv, key, value));
        }
      });
      rm.message(F.resourceMetrics.scopeMetrics, (sm) => {
        sm.message(F.scopeMetrics.scope, (s) => s.string(F.scope.name, 'bpfql').string(F.scope.version, resource.serviceVersion));
        for (const m of metrics) sm.message(F.scopeMetrics.metrics, (w) => metric(w, m));
      });
    })
    .bytes();
}

/**
 * The snapshots' families by name and type, in the order first seen. A family whose type changed
 * (its query was changed and restarted) is another metric to OTLP, so the type is part of the key.
 */
function gather(snapshots: readonly MetricsSnapshot[]): Gathered[] {
  const byKey = new Map<string, Gathered>();
  for (const s of snapshots) {
    for (const family of s.families) {
      const key = `${family.type} ${family.name}`;
      let g = byKey.get(key);
      if (g === undefined) {
        g = { family, points: [] };
        byKey.set(key, g);
      }
      for (const point of family.points) g.points.push({ point, startMs: family.startMs, timeMs: s.timeMs });
    }
  }
  return [...byKey.values()];
}

function metric(w: ProtoWriter, { family, points }: Gathered): void {
  w.string(F.metric.name, family.name);
  if (family.help !== '') w.string(F.metric.description, family.help);
  switch (family.type) {
    case 'counter':
    case 'updown':
      w.message(F.metric.sum, (s) => {
        for (const p of points) numberPoint(s, F.sum.dataPoints, p, true);
        s.uint(F.sum.aggregationTemporality, CUMULATIVE).bool(F.sum.isMonotonic, family.type === 'counter');
      });
      return;
    case 'gauge':
      w.message(F.metric.gauge, (g) => {
        for (const p of points) numberPoint(g, F.gauge.dataPoints, p, false);
      });
      return;
    case 'histogram':
      w.message(F.metric.histogram, (h) => {
        for (const p of points) histogramPoint(h, p);
        h.uint(F.histogram.aggregationTemporality, CUMULATIVE);
      });
      return;
    case 'summary':
      w.message(F.metric.summary, (s) => {
        for (const p of points) summaryPoint(s, p);
      });
      return;
    default:
      return assertNever(family.type);
  }
}

/**
 * A NumberDataPoint. The value goes as as_double: the model's values are JS numbers, which a
 * double carries exactly, and one value type per metric spares receivers mixed series.
 */
function numberPoint(w: ProtoWriter, field: number, { point, startMs, timeMs }: Timed, cumulative: boolean): void {
  if (point.kind !== 'number') throw mismatch(point, 'number');
  const value = point.value;
  w.message(field, (dp) => {
    attributes(dp, F.numberPoint.attributes, point.labels);
    if (cumulative) dp.fixed64(F.numberPoint.startTime, nanos(startMs));
    dp.fixed64(F.numberPoint.time, nanos(timeMs)).double(F.numberPoint.asDouble, value);
  });
}

function histogramPoint(w: ProtoWriter, { point, startMs, timeMs }: Timed): void {
  if (point.kind !== 'histogram') throw mismatch(point, 'histogram');
  const { bounds, counts } = otlpBuckets(point.buckets, point.count);
  w.message(F.histogram.dataPoints, (dp) => {
    attributes(dp, F.histogramPoint.attributes, point.labels);
    dp.fixed64(F.histogramPoint.startTime, nanos(startMs))
      .fixed64(F.histogramPoint.time, nanos(timeMs))
      .fixed64(F.histogramPoint.count, count(point.count))
      .double(F.histogramPoint.sum, point.sum)
      .packedFixed64(F.histogramPoint.bucketCounts, counts)
      .packedDouble(F.histogramPoint.explicitBounds, bounds);
  });
}

function summaryPoint(w: ProtoWriter, { point, startMs, timeMs }: Timed): void {
  if (point.kind !== 'summary') throw mismatch(point, 'summary');
  w.message(F.summary.dataPoints, (dp) => {
    attributes(dp, F.summaryPoint.attributes, point.labels);
    dp.fixed64(F.summaryPoint.startTime, nanos(startMs))
      .fixed64(F.summaryPoint.time, nanos(timeMs))
      .fixed64(F.summaryPoint.count, count(point.count))
      .double(F.summaryPoint.sum, point.sum);
    for (const q of point.quantiles) {
      dp.message(F.summaryPoint.quantileValues, (v) => v.double(F.valueAtQuantile.quantile, q.q).double(F.valueAtQuantile.value, q.value));
    }
  });
}

/**
 * OTLP's buckets from Prometheus-style ones: explicit_bounds are the finite `le`s, and each
 * bucket_count is what fell in its own bucket (the model's counts are cumulative, OTLP's are
 * not). The last OTLP bucket, above every bound, holds what the total count has beyond the last
 * finite bound, so a model without a +Inf bucket converts the same.
 */
export function otlpBuckets(buckets: readonly Bucket[], total: number): { readonly bounds: number[]; readonly counts: bigint[] } {
  const bounds: number[] = [];
  const counts: bigint[] = [];
  let below = 0;
  for (const b of buckets) {
    if (b.le === Infinity) break;
    bounds.push(b.le);
    counts.push(count(b.count - below));
    below = b.count;
  }
  counts.push(count(total - below));
  return { bounds, counts };
}

function count(n: number): bigint {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`a histogram or summary count must be a whole number ≥ 0, not ${n} (are the buckets cumulative?)`);
  return BigInt(n);
}

function attributes(w: ProtoWriter, field: number, labels: readonly Label[]): void {
  for (const [name, value] of labels) w.message(field, (kv) => keyValue(kv, name, value));
}

function keyValue(w: ProtoWriter, key: string, value: string): void {
  w.string(F.keyValue.key, key).message(F.keyValue.value, (v) => v.string(F.anyValue.stringValue, value));
}

function nanos(ms: number): bigint {
  return BigInt(Math.round(ms)) * 1_000_000n;
}

function mismatch(point: Point, want: Point['kind']): Error {
  return new Error(`a ${point.kind} point in a family of ${want} points`);
}
