// EVERY results as the differential suite compares them: each side's windows checked, then merged
// per group across windows, so that two sides with different window boundaries compare equal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { QueryResult } from '../../src/store/session.js';
import { compareResults } from './compare.js';
import { mergeWindows, type MergeOp } from './windows.js';

const result = (names: readonly string[], rows: readonly (readonly unknown[])[]): QueryResult => ({
  columns: ['window_start', 'window_end', ...names].map((name) => ({ name, type: 'BIGINT' })),
  rows,
});
const MERGE: readonly MergeOp[] = ['key', 'sum', 'min', 'max'];
const NAMES = ['k', 'n', 'lo', 'hi'];

test('windows cut at other boundaries merge into the same totals per group: counts and sums added, minima and maxima kept', () => {
  // The same six events: three windows on one side, two on the other.
  const planned = mergeWindows(result(NAMES, [[0, 100, 'a', 2, 5, 9], [100, 200, 'a', 1, -3, -3], [100, 200, 'b', 1, 7, 7], [200, 300, 'b', 2n, 1, 4]]), MERGE);
  const streamed = mergeWindows(result(NAMES, [[5, 150, 'a', 3n, -3n, 9n], [5, 150, 'b', 1, 7, 7], [150, 290, 'b', 2, 1, 4]]), MERGE);
  assert.ok(!('error' in planned) && !('error' in streamed));
  assert.equal(planned.windows, 3);
  assert.equal(streamed.windows, 2);
  assert.deepEqual(planned.result.columns.map((c) => c.name), NAMES);
  assert.equal(compareResults(planned.result, streamed.result, ['exact', 'exact', 'exact', 'exact']), undefined);
  assert.deepEqual(planned.result.rows, [['a', 3n, -3n, 9n], ['b', 3n, 1n, 7n]]);
});

test('NULL (an empty window of a global aggregate) is no value in the merge', () => {
  const m = mergeWindows(result(['n', 's', 'lo'], [[0, 10, 0, null, null], [10, 20, 2, 7, 3]]), ['sum', 'sum', 'min']);
  assert.ok(!('error' in m));
  assert.deepEqual(m.result.rows.map((r) => r.map((v) => BigInt(v as number))), [[2n, 7n, 3n]]);
});

test('a window that ends before it starts, overlapping windows and two ends for one start are each reported', () => {
  const bad = (rows: readonly (readonly unknown[])[]): string => {
    const m = mergeWindows(result(['n'], rows), ['sum']);
    return 'error' in m ? m.error : 'no error';
  };
  assert.match(bad([[10, 10, 1]]), /^a window from 10 to 10/);
  assert.match(bad([[0, 100, 1], [50, 150, 1]]), /^windows overlap: one ends at 100, the next starts at 50/);
  assert.match(bad([[0, 100, 1], [0, 90, 1]]), /^two windows start at 0: ending at 100 and at 90/);
  assert.match(bad([[0, 100, 1], [100, 200, 1]]), /^no error$/);
  assert.match('error' in mergeWindows(result(['n'], []), ['sum', 'sum']) ? 'error' : '', /error/);
});
