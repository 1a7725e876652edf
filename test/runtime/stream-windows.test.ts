// Streamed rows in EVERY windows: by event time, whatever order they are read in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StreamMode } from '../../src/planner/plan.js';
import { StreamWindows, type ClosedWindow } from '../../src/runtime/stream-windows.js';

// No fields: a record is just its 8-byte event time, at offset 0.
const MODE: StreamMode = { kind: 'stream', fields: [], recordSize: 0, ringBytes: 4096 };
const MS = 1_000_000n;
/** Attached at 1 s + 0.5 µs of CLOCK_MONOTONIC; the wall clock is 123 ns ahead of it plus a day. */
const ATTACHED = 1_000_000_500n;
const WALL = 86_400_000_000_123n;
/** The first boundary: the attach time moved back to a whole wall-clock microsecond. */
const BASE = ATTACHED - ((ATTACHED + WALL) % 1000n);

function record(ts: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(ts);
  return b;
}

function summary(closed: readonly ClosedWindow[]): [number, number, number][] {
  const wallUs = (mono: bigint): number => Number((mono + WALL) / 1000n);
  return closed.map((w) => [w.range.startUs - wallUs(BASE), w.range.endUs - wallUs(BASE), w.rows?.rowCount ?? 0]);
}

test('rows go to the window of their event time, read in any order; empty windows close too', () => {
  const w = new StreamWindows(MODE, 0, 10n * MS, ATTACHED, WALL, undefined);
  assert.equal(w.baseMono, BASE);
  assert.equal((BASE + WALL) % 1000n, 0n);
  assert.ok(BASE <= ATTACHED && ATTACHED - BASE < 1000n);
  for (const ts of [BASE + 25n * MS, BASE + 1n, BASE + 9n * MS + 999_999n, BASE + 10n * MS, BASE + 41n * MS]) assert.ok(w.push(record(ts), 0));
  // Only the oldest window's rows are handed on early; later windows keep theirs until they close.
  assert.equal(w.takeOldest()?.rowCount, 2);
  assert.equal(w.takeOldest(), undefined);
  assert.deepEqual(summary(w.closeThrough(BASE + 30n * MS)), [[0, 10_000, 0], [10_000, 20_000, 1], [20_000, 30_000, 1]]);
  assert.equal(w.nextEndMono(), BASE + 40n * MS);
  assert.deepEqual(summary(w.closeThrough(BASE + 39n * MS)), []);
});

test('with FOR, the window its end falls in runs on to the real end; later events are dropped', () => {
  // FOR 30 ms: the timer fires 2.5 ms late.
  const nominal = ATTACHED + 30n * MS;
  const w = new StreamWindows(MODE, 0, 10n * MS, ATTACHED, WALL, nominal);
  assert.ok(w.push(record(BASE + 5n * MS), 0));
  assert.deepEqual(summary(w.closeThrough(BASE + 31n * MS)), [[0, 10_000, 1], [10_000, 20_000, 0]]);
  // The last window is not closed by time: it ends with the query.
  assert.equal(w.nextEndMono(), undefined);
  // Read before the end: an event just after the nominal end belongs to the last window.
  assert.ok(w.push(record(BASE + 30n * MS + 100n), 0));
  w.finish(nominal + 2_500_000n);
  assert.ok(w.push(record(BASE + 21n * MS), 0));
  assert.equal(w.push(record(nominal + 2_600_000n), 0), false);
  // The end moves on to a whole microsecond.
  const end = nominal + 2_500_000n;
  const endUs = Math.ceil(Number(end + WALL - (BASE + WALL)) / 1000);
  assert.deepEqual(summary(w.closeAll()), [[20_000, endUs, 2]]);
});

test('stopped early (no FOR): the last window ends where the query did, none after it', () => {
  const w = new StreamWindows(MODE, 0, 10n * MS, ATTACHED, WALL, undefined);
  assert.ok(w.push(record(BASE + 12n * MS), 0));
  w.finish(BASE + 15n * MS);
  assert.deepEqual(summary(w.closeAll()), [[0, 10_000, 0], [10_000, 15_000, 1]]);
});
