// The OTLP pusher against a real HTTP receiver on loopback: retries until the collector takes the
// push, honours Retry-After, coalesces windows that close while a push is in flight, and with the
// collector down keeps a bounded queue, counts what it drops and closes within its deadline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { MetricFamily, MetricWindow } from '../../src/output/metrics/model.js';
import { OtlpSink, otlpMetricsUrl } from '../../src/cli/serve/otlp-sink.js';
import type { OtlpSinkOptions } from '../../src/cli/serve/otlp-sink.js';
import { backoffMs, retryAfterMs } from '../../src/cli/serve/backoff.js';
import { decodeMetricsRequest, familiesAt } from '../helpers/otlp-decode.js';
import type { Receiver } from '../helpers/otlp-receiver.js';
import { startReceiver } from '../helpers/otlp-receiver.js';

const START = Date.UTC(2026, 11, 7, 6, 0, 0);
const RESOURCE = { hostName: 'h1', serviceVersion: '1.2.3' };
const FAST = { baseMs: 20, maxMs: 100, maxRetryAfterMs: 5_000 };

function windowAt(endMs: number): MetricWindow {
  return { metric: 'execs', startMs: endMs - 10_000, endMs, columns: [], rows: [] };
}

function familiesWith(value: number): MetricFamily[] {
  return [{ name: 'bpfql_execs', help: 'Execs.', type: 'counter', startMs: START, points: [{ kind: 'number', labels: [['comm', 'sh']], value }] }];
}

/** The families of the request at `timeMs`, without the exporter's own counters. */
function pushed(body: Uint8Array, timeMs: number): MetricFamily[] {
  return familiesAt(decodeMetricsRequest(body), timeMs).filter((f) => !f.name.startsWith('bpfql_otlp_'));
}

function healthOf(sink: OtlpSink): Record<string, number> {
  return Object.fromEntries(sink.health().map((f) => [f.name, f.points[0]?.kind === 'number' ? f.points[0].value : NaN]));
}

async function withReceiver(respond: Parameters<typeof startReceiver>[0], f: (r: Receiver) => Promise<void>): Promise<void> {
  const r = await startReceiver(respond);
  try {
    await f(r);
  } finally {
    await r.close();
  }
}

const sinkFor = (url: string, more: Partial<OtlpSinkOptions> = {}): OtlpSink =>
  new OtlpSink({ url: otlpMetricsUrl(url), resource: RESOURCE, backoff: FAST, random: () => 0.5, ...more });

test('503 twice then 200: the window is delivered once, after two retries, as protobuf to /v1/metrics', () =>
  withReceiver((n) => ({ status: n <= 2 ? 503 : 200 }), async (r) => {
    const reports: string[] = [];
    const sink = sinkFor(r.url, { report: (m) => reports.push(m) });
    sink.window(windowAt(START + 10_000), familiesWith(5));
    await r.waitFor(3);
    await sink.close();
    assert.equal(r.requests.length, 3);
    for (const req of r.requests) {
      assert.equal(req.path, '/v1/metrics');
      assert.equal(req.contentType, 'application/x-protobuf');
    }
    assert.deepEqual(pushed(r.requests[2]!.body, START + 10_000), familiesWith(5));
    assert.deepEqual(healthOf(sink), { bpfql_otlp_sent_windows: 1, bpfql_otlp_dropped_windows: 0, bpfql_otlp_retries: 2 });
    assert.deepEqual(reports, []);
  }));

test('429 with Retry-After: 1 waits a second before trying again, not the backoff', () =>
  withReceiver((n) => (n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }), async (r) => {
    const sink = sinkFor(r.url);
    const t0 = Date.now();
    sink.window(windowAt(START + 10_000), familiesWith(1));
    await r.waitFor(2);
    const waited = Date.now() - t0;
    await sink.close();
    assert.ok(waited >= 1000, `retried after ${waited} ms`);
    assert.ok(waited < 3000, `retried after ${waited} ms`);
    assert.equal(healthOf(sink).bpfql_otlp_sent_windows, 1);
  }));

test('windows that close while a push is in flight go together in the next push, one point each', async () => {
  let release: (() => void) | undefined;
  const firstHeld = new Promise<void>((resolve) => {
    release = resolve;
  });
  await withReceiver(async (n) => {
    if (n === 1) await firstHeld;
    return { status: 200 };
  }, async (r) => {
    const sink = sinkFor(r.url);
    sink.window(windowAt(START + 10_000), familiesWith(1));
    await r.waitFor(1);
    for (let i = 2; i <= 4; i++) sink.window(windowAt(START + i * 10_000), familiesWith(i));
    release?.();
    await r.waitFor(2);
    await sink.close();
    assert.equal(r.requests.length, 2);
    assert.deepEqual(pushed(r.requests[0]!.body, START + 10_000), familiesWith(1));
    for (let i = 2; i <= 4; i++) assert.deepEqual(pushed(r.requests[1]!.body, START + i * 10_000), familiesWith(i));
    // The exporter's counters ride on the newest window of each push.
    const health = familiesAt(decodeMetricsRequest(r.requests[1]!.body), START + 40_000).filter((f) => f.name.startsWith('bpfql_otlp_'));
    assert.deepEqual(health.map((f) => f.name), ['bpfql_otlp_sent_windows', 'bpfql_otlp_dropped_windows', 'bpfql_otlp_retries']);
    assert.deepEqual(healthOf(sink), { bpfql_otlp_sent_windows: 4, bpfql_otlp_dropped_windows: 0, bpfql_otlp_retries: 0 });
  });
});

test('a hung collector: the queue stays bounded, the oldest are dropped and counted, close() keeps its deadline', () =>
  withReceiver(() => 'hang', async (r) => {
    const reports: string[] = [];
    const sink = sinkFor(r.url, { queueLimit: 5, timeoutMs: 60_000, closeDeadlineMs: 300, report: (m) => reports.push(m) });
    sink.window(windowAt(START + 10_000), familiesWith(1));
    await r.waitFor(1);
    for (let i = 2; i <= 21; i++) sink.window(windowAt(START + i * 10_000), familiesWith(i));
    // 20 windows wait behind the one in flight, 5 kept: 15 dropped already.
    assert.equal(healthOf(sink).bpfql_otlp_dropped_windows, 15);
    const t0 = Date.now();
    await sink.close();
    const took = Date.now() - t0;
    assert.ok(took >= 250 && took < 1500, `close() took ${took} ms`);
    // The one in flight and the 5 queued were never delivered either.
    assert.deepEqual(healthOf(sink), { bpfql_otlp_sent_windows: 0, bpfql_otlp_dropped_windows: 21, bpfql_otlp_retries: 0 });
    assert.equal(r.requests.length, 1);
    assert.ok(reports.some((m) => /5 window\(s\) not pushed before exit/.test(m)), reports.join('\n'));
  }));

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

test('a collector that is down: each push is tried `attempts` times, then its windows are dropped and counted', async () => {
  const port = await closedPort();
  const reports: string[] = [];
  const sink = sinkFor(`http://127.0.0.1:${port}`, { queueLimit: 5, attempts: 3, report: (m) => reports.push(m) });
  for (let i = 1; i <= 10; i++) sink.window(windowAt(START + i * 10_000), familiesWith(i));
  await sink.close();
  // Window 1 was taken at once; of the 9 behind it 4 were pushed out of the queue; then the push
  // of 1 and the push of the 5 kept each failed 3 times.
  assert.deepEqual(healthOf(sink), { bpfql_otlp_sent_windows: 0, bpfql_otlp_dropped_windows: 10, bpfql_otlp_retries: 4 });
  assert.equal(reports.length, 2);
  assert.match(reports[0]!, /^OTLP: 1 window\(s\) dropped after 3 tries: fetch failed: connect ECONNREFUSED/);
  assert.match(reports[1]!, /^OTLP: 5 window\(s\) dropped after 3 tries/);
});

test('a 400 is not retried: the window is dropped and the reason told', () =>
  withReceiver(() => ({ status: 400 }), async (r) => {
    const reports: string[] = [];
    const sink = sinkFor(r.url, { report: (m) => reports.push(m) });
    sink.window(windowAt(START + 10_000), familiesWith(1));
    await r.waitFor(1);
    await sink.close();
    assert.equal(r.requests.length, 1);
    assert.deepEqual(healthOf(sink), { bpfql_otlp_sent_windows: 0, bpfql_otlp_dropped_windows: 1, bpfql_otlp_retries: 0 });
    assert.deepEqual(reports, [`OTLP: ${r.url}/v1/metrics rejected 1 window(s): HTTP 400 Bad Request`]);
  }));

test('--otlp URLs: a base gets /v1/metrics, a full one is kept, others are refused clearly', () => {
  assert.equal(otlpMetricsUrl('http://127.0.0.1:4318').href, 'http://127.0.0.1:4318/v1/metrics');
  assert.equal(otlpMetricsUrl('https://otel.example/prefix/').href, 'https://otel.example/prefix/v1/metrics');
  assert.equal(otlpMetricsUrl('http://c:4318/v1/metrics').href, 'http://c:4318/v1/metrics');
  assert.throws(() => otlpMetricsUrl('grpc://127.0.0.1:4317'), /--otlp needs an http:\/\/ or https:\/\/ URL, not 'grpc:\/\/127\.0\.0\.1:4317'/);
  assert.throws(() => otlpMetricsUrl('127.0.0.1:4318'), /--otlp needs a URL such as/);
  assert.throws(() => otlpMetricsUrl('not a url'), /--otlp needs a URL such as http:\/\/127\.0\.0\.1:4318, not 'not a url'/);
  assert.throws(() => otlpMetricsUrl('http://u:secret@c:4318'), /no user or password/);
});

test('backoff doubles up to its cap with half of it random; Retry-After reads seconds and dates, capped', () => {
  const b = { baseMs: 100, maxMs: 1000, maxRetryAfterMs: 60_000 };
  assert.deepEqual([1, 2, 3, 4, 5, 9].map((n) => backoffMs(n, b, () => 0)), [50, 100, 200, 400, 500, 500]);
  assert.equal(backoffMs(2, b, () => 1), 200);
  const now = Date.UTC(2026, 0, 1);
  assert.equal(retryAfterMs('7', now, b), 7000);
  assert.equal(retryAfterMs(new Date(now + 30_000).toUTCString(), now, b), 30_000);
  assert.equal(retryAfterMs(new Date(now - 30_000).toUTCString(), now, b), 0);
  assert.equal(retryAfterMs('86400', now, b), 60_000);
  assert.equal(retryAfterMs('soon', now, b), undefined);
  assert.equal(retryAfterMs(null, now, b), undefined);
});

test('a server that exposes the exporter counters itself (with its labels) does not get them twice in a push', () =>
  withReceiver(() => ({ status: 200 }), async (r) => {
    const sink = sinkFor(r.url, { labels: [['host', 'h1']] });
    sink.window(windowAt(START + 10_000), [...familiesWith(1), ...sink.health()]);
    await r.waitFor(1);
    await sink.close();
    const metrics = decodeMetricsRequest(r.requests[0]!.body).metrics;
    assert.deepEqual(metrics.map((m) => m.name), ['bpfql_execs', 'bpfql_otlp_sent_windows', 'bpfql_otlp_dropped_windows', 'bpfql_otlp_retries']);
    assert.deepEqual(metrics[1]!.points.map((p) => p.point.labels), [[['host', 'h1']]]);
  }));

test('windows of several metrics closing together while a push is in flight are one snapshot, the latest', async () => {
  let release: (() => void) | undefined;
  const firstHeld = new Promise<void>((resolve) => {
    release = resolve;
  });
  await withReceiver(async (n) => {
    if (n === 1) await firstHeld;
    return { status: 200 };
  }, async (r) => {
    const sink = sinkFor(r.url);
    sink.window(windowAt(START + 10_000), familiesWith(1));
    await r.waitFor(1);
    sink.window(windowAt(START + 20_000), familiesWith(2));
    sink.window(windowAt(START + 20_004), familiesWith(3));
    release?.();
    await r.waitFor(2);
    await sink.close();
    const req = decodeMetricsRequest(r.requests[1]!.body);
    assert.deepEqual(req.metrics.find((m) => m.name === 'bpfql_execs')?.points.map((p) => p.timeMs), [START + 20_004]);
    assert.deepEqual(pushed(r.requests[1]!.body, START + 20_004), familiesWith(3));
  });
});
