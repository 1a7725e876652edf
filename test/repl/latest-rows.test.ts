import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatestRows } from '../../src/repl/latest-rows.js';

test('LatestRows keeps the latest rows, oldest first, and counts them all', () => {
  const latest = new LatestRows(3);
  assert.equal(latest.snapshot(), undefined, 'nothing before the columns');
  latest.begin([{ name: 'n', type: 'INTEGER' }]);
  assert.deepEqual(latest.snapshot(), { columns: [{ name: 'n', type: 'INTEGER' }], rows: [], total: 0 });
  latest.rows([[1], [2]]);
  latest.rows([[3], [4]]);
  assert.deepEqual(latest.snapshot()?.rows, [[2], [3], [4]]);
  latest.rows(Array.from({ length: 10 }, (_, i) => [10 + i]));
  assert.deepEqual(latest.snapshot(), { columns: [{ name: 'n', type: 'INTEGER' }], rows: [[17], [18], [19]], total: 14 });
});
