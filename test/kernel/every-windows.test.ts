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
    assert.ok(o.kind === 'rows', o.kind);
    assert.deepEqual(o.result.columns.map((c) => c.name), ['window_start', 'window_end', 'n']);
    assert.deepEqual(o.result.rows.map((r) => r[2]), [3, 5, 0, 2, 0]);
    assert.deepEqual(seen.map((w) => w.rows.map((r) => r[2])), [[3], [5], [0], [2], [0]]);
    const bounds = await engine.session.run('SELECT epoch_ms(window_end) - epoch_ms(window_start) FROM last ORDER BY window_start');
    // Windows are a second long, back to back; the last may be cut short by FOR's own timer.
    const lengths = bounds.rows.map(([ms]) => Number(ms));
    assert.ok(lengths.slice(0, 4).every((ms) => ms > 900 && ms <= 1000) && lengths[4]! <= 1000, JSON.stringify(lengths));
  } finally {
    await engine.close();
    prog.remove();
  }
});
