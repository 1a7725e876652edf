// serve's collection after a round of windows: at most one per interval, once per quiet spell,
// and a trim of the native allocators after every round.
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapStatistics } from 'node:v8';
import { IdleGc, V8_HEAP, type Heap } from '../../../src/cli/serve/idle-gc.js';

const MB = 1024 * 1024;

class FakeHeap implements Heap {
  collections = 0;
  trims = 0;
  collect(): void {
    this.collections++;
  }
  trim(): void {
    this.trims++;
  }
}

test('collects once intervalMs have passed since its last collection, not before', () => {
  const heap = new FakeHeap();
  let now = 0;
  const gc = new IdleGc(heap, { intervalMs: 10_000, quietMs: 1000, maxWaitMs: 10_000, trimAfterMs: 200 }, () => now);
  now = 9_999;
  assert.equal(gc.check(), false);
  now = 10_000;
  assert.equal(gc.check(), true);
  now = 15_000;
  assert.equal(gc.check(), false);
  now = 20_000;
  assert.equal(gc.check(), true);
  assert.equal(heap.collections, 2);
  gc.stop();
});

test('one check after a round of windows, quietMs after the last; a trim after every check', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const heap = new FakeHeap();
    let now = 0;
    const gc = new IdleGc(heap, { intervalMs: 10_000, quietMs: 1000, maxWaitMs: 10_000, trimAfterMs: 200 }, () => now);
    now = 10_000;
    for (let i = 0; i < 10; i++) {
      gc.windowClosed();
      mock.timers.tick(300);
    }
    assert.equal(heap.collections, 0);
    mock.timers.tick(700);
    assert.equal(heap.collections, 1);
    // The arenas are trimmed once the finalizers have had their turn.
    assert.equal(heap.trims, 0);
    mock.timers.tick(200);
    assert.equal(heap.trims, 1);
    // A round within the interval is trimmed, not collected.
    now = 12_000;
    gc.windowClosed();
    mock.timers.tick(1000);
    mock.timers.tick(200);
    assert.deepEqual([heap.collections, heap.trims], [1, 2]);
    // A stopped collector does nothing more.
    gc.windowClosed();
    gc.stop();
    now = 60_000;
    mock.timers.tick(5000);
    assert.deepEqual([heap.collections, heap.trims], [1, 2]);
  } finally {
    mock.timers.reset();
  }
});

test('windows closing less than quietMs apart still get a check every maxWaitMs', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const heap = new FakeHeap();
    let now = 0;
    const tick = (ms: number): void => {
      now += ms;
      mock.timers.tick(ms);
    };
    const gc = new IdleGc(heap, { intervalMs: 10_000, quietMs: 1000, maxWaitMs: 10_000, trimAfterMs: 200 }, () => now);
    // A window every 900 ms for a minute: never a quiet second.
    for (let i = 0; i < 67; i++) {
      gc.windowClosed();
      tick(900);
    }
    // Checks 10 s after the first window waiting: at 10 s, 20.8 s, 31.6 s, 42.4 s and 53.2 s.
    assert.deepEqual([heap.collections, heap.trims], [5, 5]);
    gc.stop();
  } finally {
    mock.timers.reset();
  }
});

test("V8's heap: a real full collection frees what nothing holds", () => {
  const used = (): number => getHeapStatistics().used_heap_size;
  let garbage: number[][] | undefined = Array.from({ length: 2000 }, () => Array.from({ length: 500 }, (_, i) => i));
  const before = used();
  assert.ok(garbage.length > 0);
  garbage = undefined;
  V8_HEAP.collect();
  assert.ok(used() < before - 4 * MB, `in use ${used()} after, ${before} before`);
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined', 'gc() stays off the global object');
  V8_HEAP.trim();
});
