// bpfql serve's own health before any window has closed: bpfql_programs_attached is each metric's
// program count from the moment it is attached (a tracepoint's one; a paired table's entry and
// exit programs, two), windows closed still 0. And a server whose windows are an hour long ends at
// once on SIGTERM: the loop cutting windows sleeps until its next cut, and must wake for the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServeChild } from '../helpers/serve.js';
import { metricsText, sample, startServe } from '../helpers/serve.js';
import { kernelSkip } from '../helpers/workload.js';

test('bpfql_programs_attached counts the programs before the first window closes; SIGTERM ends an hour-long window at once', { skip: kernelSkip(), timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-serve-health-'));
  const config = join(dir, 'metrics.sql');
  writeFileSync(config, [
    'CREATE METRIC execs AS SELECT comm, count(*) AS total FROM exec GROUP BY comm EVERY 1h;',
    'CREATE METRIC slow AS SELECT max(latency_ns) AS worst FROM syscalls EVERY 1h;',
    '',
  ].join('\n'));
  let serve: ServeChild | undefined;
  try {
    serve = await startServe(['--host', 'h', config], 2);
    const text = await metricsText(serve.base);
    assert.equal(sample(text, 'bpfql_windows_closed_total{host="h",metric="execs"}'), 0, text);
    assert.equal(sample(text, 'bpfql_windows_closed_total{host="h",metric="slow"}'), 0, text);
    assert.equal(sample(text, 'bpfql_programs_attached{host="h",metric="execs"}'), 1, text);
    assert.equal(sample(text, 'bpfql_programs_attached{host="h",metric="slow"}'), 2, text);
    const asked = performance.now();
    serve.kill('SIGTERM');
    assert.equal(await serve.exit, 0, serve.stderr());
    // Detaching takes RCU grace periods: seconds at most, not the hour to the next cut.
    const tookMs = performance.now() - asked;
    assert.ok(tookMs < 10_000, `exit took ${Math.round(tookMs)} ms`);
  } finally {
    serve?.kill('SIGKILL');
    await serve?.exit;
    rmSync(dir, { recursive: true, force: true });
  }
});
