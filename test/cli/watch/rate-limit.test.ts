// LIMIT n PER key EVERY d on a fake clock: n per key per window pass, the rest are counted and
// said once per window as it closes; closeAll says the open windows' counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter, type Suppressed } from '../../../src/cli/watch/rate-limit.js';
import type { TimerClock } from '../../../src/runtime/long-timer.js';

function fakeClock(): TimerClock & { advance(ms: number): void } {
  let now = 0;
  const timers: { at: number; fn: () => void; id: number }[] = [];
  let next = 0;
  return {
    now: () => now,
    set: (fn, ms) => {
      timers.push({ at: now + ms, fn, id: ++next });
      return next;
    },
    clear: (id) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
    advance(ms) {
      now += ms;
      for (const t of timers.filter((x) => x.at <= now)) {
        timers.splice(timers.indexOf(t), 1);
        t.fn();
      }
    },
  };
}

const limit = { count: 2, per: [{ name: 'comm', span: { start: 0, end: 0 } }], every: { ms: 1000, text: '1s', span: { start: 0, end: 0 } }, span: { start: 0, end: 0 } };

test('two per key per window pass; the rest are counted per key and said when the window closes', () => {
  const clock = fakeClock();
  const notes: Suppressed[] = [];
  const l = new RateLimiter(limit, [1], (s) => notes.push(s), clock);
  const admitted = ['a', 'a', 'a', 'b', 'a', 'b', 'b', 'b'].map((comm, i) => l.admit([i, comm]));
  assert.deepEqual(admitted, [true, true, false, true, false, true, false, false]);
  assert.equal(l.suppressed, 4);
  assert.equal(notes.length, 0);
  clock.advance(1000);
  assert.deepEqual(notes.map((n) => [n.key, n.count]), [[['a'], 2], [['b'], 2]]);
  // A new window: the key passes again.
  assert.equal(l.admit([9, 'a']), true);
  assert.equal(l.admit([10, 'a']), true);
  assert.equal(l.admit([11, 'a']), false);
  l.closeAll();
  assert.deepEqual(notes.map((n) => [n.key, n.count]), [[['a'], 2], [['b'], 2], [['a'], 1]]);
  assert.equal(l.suppressed, 5);
});

test('a window that held nothing back closes silently; bigint keys stay distinct', () => {
  const clock = fakeClock();
  const notes: Suppressed[] = [];
  const l = new RateLimiter({ ...limit, count: 1 }, [0], (s) => notes.push(s), clock);
  assert.equal(l.admit([2n ** 60n]), true);
  assert.equal(l.admit([2n ** 60n + 1n]), true);
  clock.advance(1000);
  l.closeAll();
  assert.deepEqual(notes, []);
});

test('past the cap of open keys, every other key shares one window that passes nothing and is said with NULL keys', () => {
  const clock = fakeClock();
  const notes: Suppressed[] = [];
  const l = new RateLimiter(limit, [1], (s) => notes.push(s), clock, 3);
  // A fork bomb's view: a new key per event.
  const admitted = Array.from({ length: 10 }, (_, i) => l.admit([i, `p${i}`]));
  assert.deepEqual(admitted, [true, true, true, false, false, false, false, false, false, false]);
  // A key that has its window still passes up to the limit.
  assert.equal(l.admit([10, 'p0']), true);
  assert.equal(l.admit([11, 'p0']), false);
  assert.equal(l.suppressed, 8);
  clock.advance(1000);
  assert.deepEqual(notes.map((n) => [n.key, n.count]), [[['p0'], 1], [[null], 7]]);
  // Every window closed: new keys get their own again.
  assert.equal(l.admit([12, 'q']), true);
});
