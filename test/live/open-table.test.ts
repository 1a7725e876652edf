// `open`: entry/exit pairing in the kernel (path from the entry, result and latency at the exit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine.js';
import { kernelSkip } from '../helpers/workload.js';

const skip = kernelSkip();

test('open: a uniquely named file opened 100 times, and a missing one 10 times', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-open-'));
  const file = join(dir, 'target.txt');
  writeFileSync(file, 'x');
  const engine = await Engine.open();
  try {
    let attached!: () => void;
    const ready = new Promise<void>((r) => (attached = r));
    const until = ready.then(() => {
      for (let i = 0; i < 100; i++) closeSync(openSync(file, 'r'));
      for (let i = 0; i < 10; i++) assert.throws(() => openSync(join(dir, 'missing'), 'r'));
    });
    const o = await engine.execute(
      `SELECT filename, ret >= 0 AS ok, count(*) AS n, min(latency_ns) > 0 AS timed FROM open WHERE filename LIKE '${dir}/%' AND pid = ${process.pid} GROUP BY filename, ret >= 0 ORDER BY n DESC`,
      { onAttached: attached, until },
    );
    assert.equal(o.kind, 'rows');
    if (o.kind !== 'rows') return;
    assert.deepEqual(o.result.rows, [
      [file, true, 100, true],
      [join(dir, 'missing'), false, 10, true],
    ]);
    // Everything ran in the kernel: the path prefix, the pid and the grouping.
    assert.equal(o.kernel?.plan.kernel.mode.kind, 'aggregate');
    assert.deepEqual(o.kernel?.plan.residualFilters, []);
    assert.equal(o.kernel?.completeness.lostPairs, 0);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
