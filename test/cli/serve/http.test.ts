// The HTTP side of bpfql serve on a loopback port, no kernel: what each path and method gets,
// and clients that send too much or too slowly, or stop reading, are cut off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { manySeriesFamilies } from '../../helpers/metric-families.js';
import { close, LIMITS, listen } from '../../../src/cli/serve/http.js';
import type { MetricFamily } from '../../../src/output/metrics/model.js';

const FAMILIES: MetricFamily[] = [{ name: 'bpfql_execs', help: 'execs', type: 'counter', startMs: 0, points: [{ kind: 'number', labels: [['comm', 'sh']], value: 3 }] }];

/** What the server answers to `request`, written raw, until it closes the connection. */
function raw(address: string, request: string): Promise<string> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  return new Promise((resolve, reject) => {
    const socket = connect(port, host, () => socket.write(request));
    let got = '';
    socket.on('data', (d: Buffer) => (got += d.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
  });
}

test('GET /metrics (text or OpenMetrics), /healthz, HEAD; 404 elsewhere, 405 for other methods', async () => {
  const { server, address } = await listen({ host: '127.0.0.1', port: 0 }, () => FAMILIES);
  try {
    const base = `http://${address}`;
    const text = await fetch(`${base}/metrics?x=1`);
    assert.equal(text.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(await text.text(), '# HELP bpfql_execs_total execs\n# TYPE bpfql_execs_total counter\nbpfql_execs_total{comm="sh"} 3\n');
    const om = await fetch(`${base}/metrics`, { headers: { Accept: 'application/openmetrics-text;version=1.0.0' } });
    assert.match(await om.text(), /^# TYPE bpfql_execs counter\n[\s\S]*# EOF\n$/m);
    const health = await fetch(`${base}/healthz`);
    assert.deepEqual([health.status, await health.text()], [200, 'ok']);
    const head = await fetch(`${base}/metrics`, { method: 'HEAD' });
    assert.deepEqual([head.status, await head.text()], [200, '']);
    assert.equal((await fetch(`${base}/`)).status, 404);
    const post = await fetch(`${base}/metrics`, { method: 'POST', body: 'x'.repeat(100_000) });
    assert.deepEqual([post.status, post.headers.get('allow')], [405, 'GET, HEAD']);
  } finally {
    await close(server);
  }
});

test('headers over 16 KiB get 431, and a client that never finishes its headers is cut off', async () => {
  const { server, address } = await listen({ host: '127.0.0.1', port: 0 }, () => FAMILIES, { ...LIMITS, headersTimeout: 300, requestTimeout: 300 });
  try {
    const huge = await raw(address, `GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assert.match(huge, /^HTTP\/1\.1 431 /);
    const started = Date.now();
    const slow = await raw(address, 'GET /metrics HTTP/1.1\r\nHost: x\r\n');
    assert.match(slow, /^HTTP\/1\.1 408 /);
    assert.ok(Date.now() - started < 5_000);
  } finally {
    await close(server);
  }
});

test('a client that asks for /metrics and stops reading is closed once idle, its unsent answer with it', async () => {
  // 40,000 series: an answer of about 23 MB, more than the socket buffers of both ends hold.
  const many = manySeriesFamilies(40_000);
  const { server, address } = await listen({ host: '127.0.0.1', port: 0 }, () => many, { ...LIMITS, keepAliveTimeout: 60_000, idleTimeout: 300 });
  const connections = (): Promise<number> => new Promise((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n))));
  const port = Number(address.slice(address.lastIndexOf(':') + 1));
  let bytes = 0;
  const socket = connect(port, '127.0.0.1', () => socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n'));
  try {
    socket.on('error', () => undefined);
    // Read the first bytes, then nothing more (a paused socket does not see the server close it either).
    await new Promise<void>((resolve) => socket.once('data', (d: Buffer) => {
      bytes += d.length;
      socket.pause();
      resolve();
    }));
    assert.equal(await connections(), 1);
    const started = Date.now();
    while ((await connections()) > 0) {
      assert.ok(Date.now() - started < 5_000, 'the stalled client was still connected after 5 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(bytes < 1e6, `${bytes} bytes reached the client`);
  } finally {
    socket.destroy();
    await close(server);
  }
});
