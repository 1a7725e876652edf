// Reading bucketed aggregate states: the non-empty counters summed over the CPUs, the same
// whether the state is 4-byte aligned in its buffer (typed-array test) or not (DataView).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CpuState } from '../../src/functions/aggregate.js';
import { mergeCounters, nonZeroCounters } from '../../src/functions/cpu-states.js';

/** A CPU's state of `words` u64 counters starting `at` bytes into its buffer. */
function cpu(count: number, words: readonly bigint[], at: number): CpuState {
  const view = new DataView(new ArrayBuffer(at + 8 * words.length));
  words.forEach((w, i) => view.setBigUint64(at + 8 * i, w, true));
  return { count: BigInt(count), view, offset: at };
}

test('non-zero counters over the CPUs, aligned or not; a CPU without events is not read', () => {
  // Counts whose low or high half alone is zero are not empty.
  const a = [0n, 5n, 0n, 1n << 32n, 0n, (1n << 64n) - 1n];
  const b = [0n, 2n, 0n, 0n, 7n, 0n];
  const expected: [number, bigint][] = [[1, 7n], [3, 1n << 32n], [4, 7n], [5, (1n << 64n) - 1n]];
  for (const at of [0, 8, 2, 6]) {
    assert.deepEqual(nonZeroCounters([cpu(1, a, at), cpu(1, b, at)], 6), expected, `state at byte ${at}`);
  }
  assert.deepEqual(nonZeroCounters([cpu(1, a, 0), cpu(0, [9n, 9n, 9n, 9n, 9n, 9n], 2)], 6), [[1, 5n], [3, 1n << 32n], [5, (1n << 64n) - 1n]]);
  assert.deepEqual(mergeCounters([cpu(1, a, 2), cpu(1, b, 0)], 6), [0n, 7n, 0n, 1n << 32n, 7n, (1n << 64n) - 1n]);
});
