// EVERY: one result per window, drained from the kernel map as each window closes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../src/engine/engine.js';
import type { QueryResult } from '../../src/sink/session.js';
import { execTimes, kernelSkip, NamedProgram, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('EVERY 1s FOR 5s: one row per window with the paced workload\'s counts', { skip }, async () => {
  const prog = new NamedProgram(uniqueComm('bw'));
  const engine = await Engine.open();
  try {
    const seen: QueryResult[] = [];
    let attached!: () => void;
    const ready = new Promise<void>((r) => (attached = r));
    // Bursts in the middle of windows 0, 1 and 3 (windows start when the program is attached).
    const paced = ready.then(async () => {
      await sleep(400);
      await execTimes(prog.path, 3).done;
      await sleep(1000);
      await execTimes(prog.path, 5).done;
      await sleep(2000);
      await execTimes(prog.path, 2).done;
    });
    const o = await engine.execute(`SELECT count(*) AS n FROM exec WHERE comm = '${prog.comm}' EVERY 1s FOR 5s`, {
      onAttached: attached,
      onWindow: (rows) => seen.push(rows),
    });
    await paced;
    assert.equal(o.kind, 'rows');
    if (o.kind !== 'rows') return;
    assert.deepEqual(o.result.columns.map((c) => c.name), ['window_start', 'window_end', 'n']);
    assert.deepEqual(o.result.rows.map((r) => r[2]), [3, 5, 0, 2, 0]);
    assert.deepEqual(seen.map((w) => w.rows.map((r) => r[2])), [[3], [5], [0], [2], [0]]);
    // The bounds are the real times the windows were cut: back to back, each about a second
    // (cut by a timer, so at times a little late; the last ends when FOR's timer fired).
    const bounds = await engine.session.run('SELECT epoch_us(window_start), epoch_us(window_end) FROM last ORDER BY window_start');
    const edges = bounds.rows.map(([s, e]) => [Number(s), Number(e)] as const);
    edges.slice(1).forEach(([s], i) => assert.equal(s, edges[i]![1], `window ${i + 1} starts where window ${i} ends`));
    const lengths = edges.map(([s, e]) => (e - s) / 1000);
    assert.ok(lengths.every((ms) => ms > 900 && ms < 1100), JSON.stringify(lengths));
  } finally {
    await engine.close();
    prog.remove();
  }
});
