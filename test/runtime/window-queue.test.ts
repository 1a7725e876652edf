// The queue between the loop that cuts aggregate windows and DuckDB: windows in order, one at a
// time, and a failure the loop hears of at once (it sleeps until its next cut otherwise).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Window } from '../../src/runtime/run-options.js';
import { WindowQueue } from '../../src/runtime/window-queue.js';

const health = { completeness: { lostRecords: 0, failedUpdates: 0, lostPairs: 0, lostStacks: 0, missedEvents: 0 }, programs: 1, runTimeNs: 0 };
const win = (startUs: number): Window => ({ startUs, endUs: startUs + 1, health });

test('windows are handed on in order, one at a time', async () => {
  const seen: number[] = [];
  let running = 0;
  const q = new WindowQueue(async (w) => {
    assert.equal(++running, 1);
    await new Promise((r) => setTimeout(r, 5));
    seen.push(w.startUs);
    running--;
  });
  for (const s of [1, 2, 3]) q.push(win(s));
  await q.idle();
  assert.deepEqual(seen, [1, 2, 3]);
});

test('a window that fails resolves `failed` at once, stops the ones after it, and is thrown by check', async () => {
  const seen: number[] = [];
  const q = new WindowQueue(async (w) => {
    seen.push(w.startUs);
    if (w.startUs === 2) throw new Error('window 2 failed');
  });
  let failedYet = false;
  void q.failed.then(() => (failedYet = true));
  q.push(win(1));
  await q.idle();
  assert.equal(failedYet, false);
  q.push(win(2));
  q.push(win(3));
  // Well before any timer a cutting loop would sleep on.
  await Promise.race([q.failed, new Promise((_, reject) => setTimeout(() => reject(new Error('failed did not resolve')), 1_000))]);
  assert.throws(() => q.check(), /window 2 failed/);
  await assert.rejects(q.idle(), /window 2 failed/);
  assert.deepEqual(seen, [1, 2]);
});
