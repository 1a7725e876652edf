// FOR longer than setTimeout's limit (2^31 - 1 ms, about 24.8 days) must not end after a millisecond.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { afterMs, MAX_TIMEOUT_MS, type TimerClock } from '../../src/runtime/long-timer.js';

/** A clock that moves only when told; setTimeout refuses delays it would not honour. */
class FakeClock implements TimerClock {
  private t = 0;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private ids = 0;
  readonly delays: number[] = [];

  now(): number {
    return this.t;
  }

  set(callback: () => void, ms: number): unknown {
    assert.ok(Number.isInteger(ms) && ms >= 0 && ms <= MAX_TIMEOUT_MS, `setTimeout would not honour ${ms} ms`);
    this.delays.push(ms);
    const id = ++this.ids;
    this.timers.push({ at: this.t + ms, callback, id });
    return id;
  }

  clear(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Moves the clock on by `ms`, firing the timers that come due on the way, in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (next === undefined) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.t = next.at;
      next.callback();
    }
    this.t = end;
  }
}

const HOUR = 3_600_000;

test('FOR 597h: the chained timer fires after 597 hours, not before', () => {
  const clock = new FakeClock();
  let fired = 0;
  afterMs(597 * HOUR, () => fired++, clock);
  assert.deepEqual(clock.delays, [MAX_TIMEOUT_MS]);
  clock.advance(596 * HOUR);
  assert.equal(fired, 0);
  clock.advance(HOUR - 1);
  assert.equal(fired, 0);
  clock.advance(1);
  assert.equal(fired, 1);
  // Each link waits as long as setTimeout allows, the last the rest.
  assert.equal(clock.delays.length, Math.ceil((597 * HOUR) / MAX_TIMEOUT_MS));
  assert.equal(clock.delays.reduce((a, b) => a + b, 0), 597 * HOUR);
  clock.advance(10 * MAX_TIMEOUT_MS);
  assert.equal(fired, 1);
});

test('the longest FOR (8760h) fires once, at its end; a short one is one plain timer', () => {
  const clock = new FakeClock();
  let at: number | undefined;
  afterMs(8760 * HOUR, () => (at = clock.now()), clock);
  clock.advance(9000 * HOUR);
  assert.equal(at, 8760 * HOUR);

  const short = new FakeClock();
  let fired = false;
  afterMs(1500, () => (fired = true), short);
  assert.deepEqual(short.delays, [1500]);
  short.advance(1500);
  assert.ok(fired);
});

test('a cancelled long timer never fires', () => {
  const clock = new FakeClock();
  let fired = false;
  const cancel = afterMs(597 * HOUR, () => (fired = true), clock);
  // 597 h is just over one link: cancel between the first link and the end.
  clock.advance(MAX_TIMEOUT_MS + 5);
  cancel();
  clock.advance(1000 * HOUR);
  assert.equal(fired, false);
});
