// An OTLP ExportMetricsServiceRequest read back with the test's own protobuf reader, field numbers
// taken from opentelemetry-proto's metrics.proto, common.proto and resource.proto: the test-side
// twin of src/output/metrics/otlp.ts, to check what it wrote.
import type { MetricFamily, Point } from '../../src/output/metrics/model.js';
import { Msg } from './protobuf-reader.js';

export interface DecodedMetric {
  readonly name: string;
  readonly help: string;
  readonly type: MetricFamily['type'];
  /** AggregationTemporality (2 cumulative); undefined for gauges and summaries, which have none. */
  readonly temporality: number | undefined;
  readonly monotonic: boolean | undefined;
  readonly points: readonly DecodedPoint[];
}

export interface DecodedPoint {
  /** start_time_unix_nano in ms; undefined when not sent. */
  readonly startMs: number | undefined;
  readonly timeMs: number;
  readonly point: Point;
}

export interface DecodedRequest {
  readonly resource: Readonly<Record<string, string>>;
  readonly scope: { readonly name: string; readonly version: string };
  readonly metrics: readonly DecodedMetric[];
}

export function decodeMetricsRequest(body: Uint8Array): DecodedRequest {
  const [rm, ...more] = new Msg(body).messages(1);
  if (rm === undefined || more.length > 0) throw new Error('expected one ResourceMetrics');
  const resource = Object.fromEntries(rm.message(1).messages(1).map(keyValue));
  const [sm, ...moreScopes] = rm.messages(2);
  if (sm === undefined || moreScopes.length > 0) throw new Error('expected one ScopeMetrics');
  const scope = sm.message(1);
  return { resource, scope: { name: scope.string(1), version: scope.string(2) }, metrics: sm.messages(2).map(metric) };
}

function keyValue(kv: Msg): [string, string] {
  const value = kv.message(2);
  if (!value.has(1)) throw new Error('expected a string_value');
  return [kv.string(1), value.string(1)];
}

const ms = (ns: bigint): number => Number(ns / 1_000_000n);

function times(dp: Msg): { startMs: number | undefined; timeMs: number } {
  return { startMs: dp.has(2) ? ms(dp.fixed64(2)) : undefined, timeMs: ms(dp.fixed64(3)) };
}

function numberPoints(data: Msg): DecodedPoint[] {
  return data.messages(1).map((dp) => {
    if (!dp.has(4) || dp.has(6)) throw new Error('expected as_double');
    return { ...times(dp), point: { kind: 'number', labels: dp.messages(7).map(keyValue), value: dp.double(4) } };
  });
}

function metric(m: Msg): DecodedMetric {
  const base = { name: m.string(1), help: m.string(2) };
  const kinds = [5, 7, 9, 11].filter((n) => m.has(n));
  if (kinds.length !== 1) throw new Error(`metric ${base.name}: expected one data field, found ${kinds.join(', ')}`);
  if (m.has(5)) return { ...base, type: 'gauge', temporality: undefined, monotonic: undefined, points: numberPoints(m.message(5)) };
  if (m.has(7)) {
    const sum = m.message(7);
    const monotonic = sum.uint(3) === 1n;
    return { ...base, type: monotonic ? 'counter' : 'updown', temporality: Number(sum.uint(2)), monotonic, points: numberPoints(sum) };
  }
  if (m.has(9)) {
    const h = m.message(9);
    return { ...base, type: 'histogram', temporality: Number(h.uint(2)), monotonic: undefined, points: h.messages(1).map(histogramPoint) };
  }
  return { ...base, type: 'summary', temporality: undefined, monotonic: undefined, points: m.message(11).messages(1).map(summaryPoint) };
}

/** Back to the model's cumulative buckets, the last one +Inf. */
function histogramPoint(dp: Msg): DecodedPoint {
  const counts = dp.repeated8(6).map((v) => Number(v.getBigUint64(0, true)));
  const bounds = dp.repeated8(7).map((v) => v.getFloat64(0, true));
  if (counts.length !== bounds.length + 1) throw new Error(`${counts.length} bucket counts for ${bounds.length} bounds`);
  let running = 0;
  const buckets = counts.map((c, i) => ({ le: bounds[i] ?? Infinity, count: (running += c) }));
  return {
    ...times(dp),
    point: { kind: 'histogram', labels: dp.messages(9).map(keyValue), buckets, sum: dp.double(5), count: Number(dp.fixed64(4)) },
  };
}

function summaryPoint(dp: Msg): DecodedPoint {
  const quantiles = dp.messages(6).map((q) => ({ q: q.double(1), value: q.double(2) }));
  return {
    ...times(dp),
    point: { kind: 'summary', labels: dp.messages(7).map(keyValue), quantiles, sum: dp.double(5), count: Number(dp.fixed64(4)) },
  };
}

/** The families as they were at `timeMs`, rebuilt from a decoded request (gauges have no start: startMs 0). */
export function familiesAt(req: DecodedRequest, timeMs: number): MetricFamily[] {
  return req.metrics.flatMap((m) => {
    const at = m.points.filter((p) => p.timeMs === timeMs);
    if (at.length === 0) return [];
    return [{ name: m.name, help: m.help, type: m.type, startMs: at[0]!.startMs ?? 0, points: at.map((p) => p.point) }];
  });
}
