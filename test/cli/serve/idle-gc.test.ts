// serve's collection after a round of windows: only when the heap grew, once per quiet spell.
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { IdleGc, V8_HEAP, type Heap } from '../../../src/cli/serve/idle-gc.js';

const MB = 1024 * 1024;

/** A heap whose use the test sets; a collection brings it down to `live`. */
class FakeHeap implements Heap {
  inUse = 10 * MB;
  live = 10 * MB;
  collections = 0;
  trims = 0;
  used(): number {
    return this.inUse;
  }
  collect(): void {
    this.collections++;
    this.inUse = this.live;
  }
  trim(): void {
    this.trims++;
  }
}

test('collects when the heap grew by the threshold since its lowest, not before', () => {
  const heap = new FakeHeap();
  const gc = new IdleGc(heap, { growthBytes: 2 * MB, quietMs: 1000, trimAfterMs: 200 });
  heap.inUse = 11.5 * MB;
  assert.equal(gc.check(), false);
  heap.inUse = 12 * MB;
  assert.equal(gc.check(), true);
  assert.equal(heap.collections, 1);
  // V8's own collection lowers the base: growth counts from there.
  heap.inUse = 8 * MB;
  assert.equal(gc.check(), false);
  heap.inUse = 9.5 * MB;
  assert.equal(gc.check(), false);
  heap.inUse = 10 * MB;
  assert.equal(gc.check(), true);
  assert.equal(heap.collections, 2);
});

test('one check after a round of windows, quietMs after the last', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const heap = new FakeHeap();
    const gc = new IdleGc(heap, { growthBytes: 2 * MB, quietMs: 1000, trimAfterMs: 200 });
    heap.inUse = 20 * MB;
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
    // A round that grew nothing is trimmed too.
    heap.inUse = heap.live;
    gc.windowClosed();
    mock.timers.tick(1000);
    mock.timers.tick(200);
    assert.deepEqual([heap.collections, heap.trims], [1, 2]);
    gc.windowClosed();
    gc.stop();
    heap.inUse = 30 * MB;
    mock.timers.tick(5000);
    assert.deepEqual([heap.collections, heap.trims], [1, 2]);
  } finally {
    mock.timers.reset();
  }
});

test("V8's heap: a real full collection frees what nothing holds", () => {
  let garbage: number[][] | undefined = Array.from({ length: 2000 }, () => Array.from({ length: 500 }, (_, i) => i));
  const before = V8_HEAP.used();
  assert.ok(garbage.length > 0);
  garbage = undefined;
  V8_HEAP.collect();
  assert.ok(V8_HEAP.used() < before - 4 * MB, `in use ${V8_HEAP.used()} after, ${before} before`);
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined', 'gc() stays off the global object');
  V8_HEAP.trim();
});
