// `read` and `write`: this process reads and writes a file with known sizes, on its main thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine.js';
import { queryDuring } from '../helpers/query-during.js';
import { kernelSkip } from '../helpers/workload.js';

const skip = kernelSkip();

test('write: 37 writes of 1000 bytes to one fd', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-write-'));
  const fd = openSync(join(dir, 'out'), 'w');
  const engine = await Engine.open();
  try {
    const run = await queryDuring(
      engine,
      `SELECT count(*) AS n, sum(requested) AS asked, sum(returned) AS written, min(latency_ns) > 0 AS timed FROM write WHERE pid = ${process.pid} AND fd = ${fd}`,
      async () => {
        const chunk = Buffer.alloc(1000, 'w');
        for (let i = 0; i < 37; i++) assert.equal(writeSync(fd, chunk), 1000);
      },
    );
    assert.deepEqual(run.rows, [[37, 37000, 37000, true]]);
    assert.equal(run.kernel.plan.kernel.mode.kind, 'aggregate');
  } finally {
    await engine.close();
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('read: a 10000-byte file read 4096 bytes at a time, to the end', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-read-'));
  const file = join(dir, 'in');
  writeFileSync(file, Buffer.alloc(10000, 'r'));
  const fd = openSync(file, 'r');
  const engine = await Engine.open();
  try {
    const run = await queryDuring(
      engine,
      `SELECT returned, requested, count(*) AS n FROM read WHERE pid = ${process.pid} AND fd = ${fd} GROUP BY returned, requested ORDER BY returned DESC`,
      async () => {
        const buf = Buffer.alloc(4096);
        let total = 0;
        for (let got = -1; got !== 0; total += got) got = readSync(fd, buf, 0, 4096, null);
        assert.equal(total, 10000);
      },
    );
    assert.deepEqual(run.rows, [[4096, 4096, 2], [1808, 4096, 1], [0, 4096, 1]]);
  } finally {
    await engine.close();
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
});
