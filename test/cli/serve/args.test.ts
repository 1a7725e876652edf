// `bpfql serve`'s flags: loopback unless another address is named, and clear refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { UsageError } from '../../../src/cli/args.js';
import { listenAddressOf, parseServeArgs } from '../../../src/cli/serve/args.js';

test('defaults: loopback port 9435, this machine\'s name as host, 10000 series per metric', () => {
  const o = parseServeArgs(['m.sql']);
  assert.deepEqual(o, { configFile: 'm.sql', listen: { host: '127.0.0.1', port: 9435 }, host: hostname(), maxSeries: 10_000, bpfStats: false, verbose: false, help: false });
});

test('--listen takes HOST:PORT and [V6]:PORT, nothing else', () => {
  assert.deepEqual(listenAddressOf('0.0.0.0:9100'), { host: '0.0.0.0', port: 9100 });
  assert.deepEqual(listenAddressOf('[::1]:0'), { host: '::1', port: 0 });
  assert.deepEqual(listenAddressOf('localhost:80'), { host: 'localhost', port: 80 });
  for (const bad of ['9435', ':9435', '127.0.0.1:70000', '127.0.0.1:', 'a b:1', '::1:80']) {
    assert.throws(() => listenAddressOf(bad), UsageError, bad);
  }
});

test('bad flags are usage errors', () => {
  assert.throws(() => parseServeArgs([]), /give the config file/);
  assert.throws(() => parseServeArgs(['a.sql', 'b.sql']), /give one config file/);
  assert.throws(() => parseServeArgs(['--max-series', '0', 'a.sql']), /--max-series needs a whole number/);
  assert.throws(() => parseServeArgs(['--host', 'a\nb', 'a.sql']), /--host needs a name/);
  assert.throws(() => parseServeArgs(['--nope', 'a.sql']), UsageError);
  assert.deepEqual(parseServeArgs(['--host', 'b', '--max-series', '5', '--bpf-stats', 'a.sql']).maxSeries, 5);
});

test('--otlp takes an http(s) URL (OTLP\'s /v1/metrics added to a base) and --store a directory', () => {
  const o = parseServeArgs(['--otlp', 'http://127.0.0.1:4318', '--store', '/var/lib/bpfql', 'a.sql']);
  assert.equal(o.otlp?.href, 'http://127.0.0.1:4318/v1/metrics');
  assert.equal(o.store, '/var/lib/bpfql');
  assert.throws(() => parseServeArgs(['--otlp', 'grpc://c:4317', 'a.sql']), (e: unknown) => e instanceof UsageError && /--otlp needs an http:\/\/ or https:\/\/ URL/.test(e.message));
  assert.throws(() => parseServeArgs(['--store', '', 'a.sql']), (e: unknown) => e instanceof UsageError && /--store needs a directory/.test(e.message));
});

test('--store-max-rows and --store-max-age bound a --store file; they need --store, and refuse what is not a count or a duration', () => {
  const o = parseServeArgs(['--store', '/var/lib/bpfql', '--store-max-rows', '5000', '--store-max-age', '10m', 'a.sql']);
  assert.equal(o.storeMaxRows, 5000);
  assert.equal(o.storeMaxAgeMs, 600_000);
  assert.throws(() => parseServeArgs(['--store-max-rows', '5', 'a.sql']), (e: unknown) => e instanceof UsageError && /--store-max-rows and --store-max-age go with --store DIR/.test(e.message));
  for (const bad of ['0', '-3', '1.5', 'x', '10000001']) {
    assert.throws(() => parseServeArgs(['--store', 'd', `--store-max-rows=${bad}`, 'a.sql']), (e: unknown) => e instanceof UsageError && e.message === `--store-max-rows needs a whole number from 1 to 10000000, not '${bad}'`, bad);
  }
  for (const bad of ['10', '0s', '3 days', '9000h']) {
    assert.throws(() => parseServeArgs(['--store', 'd', `--store-max-age=${bad}`, 'a.sql']), (e: unknown) => e instanceof UsageError && e.message.startsWith(`--store-max-age needs a duration such as 10m or 6h (at most 8760h), not '${bad}'`), bad);
  }
});
