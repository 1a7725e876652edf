// The lower pass: the kernel's key, value and record layouts, map sizes and the row limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { typeName } from '../../src/catalog/types.js';
import { lowered } from './passes.js';

test('lower lays out keys one after another and lets p99 read p50\'s state', () => {
  const l = lowered('SELECT comm, pid // 1000 AS b, p50(pid), p99(pid), sum(pid) FROM exec GROUP BY comm, b');
  const m = l.kernel.mode;
  assert.ok(m.kind === 'aggregate', m.kind);
  assert.deepEqual(m.keys.map((k) => [k.name, k.offset, k.width, typeName(k.type)]), [['k0', 0, 16, 'string'], ['k1', 16, 8, 's64']]);
  assert.equal(m.keySize, 24);
  assert.deepEqual(m.aggregates.map((a) => [a.name, a.fn, a.offset, a.stateOf]), [['a0', 'p50', 8, undefined], ['a1', 'p99', 8, 'a0'], ['a2', 'sum', 30728, undefined]]);
  assert.equal(m.valueSize, 30736);
  // 8 MiB per CPU over 30736-byte values.
  assert.equal(m.maxEntries, 272);
  assert.deepEqual(l.kernelColumns.map((c) => c.name), ['k0', 'k1', 'a0', 'a1', 'a2']);
  assert.deepEqual(l.kernel.columns.map((c) => c.name), ['comm', 'pid']);
});

test('lower gives a stream its record layout; the kernel reads the filter\'s columns too', () => {
  const l = lowered("SELECT comm FROM exec WHERE pid > 1 AND filename LIKE '%bin%' LIMIT 5", { ringBytes: 65536 });
  const m = l.kernel.mode;
  assert.ok(m.kind === 'stream', m.kind);
  assert.deepEqual(m.fields.map((f) => [f.name, f.offset, f.width]), [['comm', 0, 16], ['filename', 16, 128]]);
  assert.equal(m.recordSize, 144);
  assert.equal(m.ringBytes, 65536);
  assert.deepEqual(l.kernel.columns.map((c) => c.name), ['pid', 'comm', 'filename']);
  // DuckDB filters after the run, so the kernel cannot count the rows LIMIT wants.
  assert.equal(l.limit, undefined);
});

test('a stream stops after LIMIT rows only when they are the rows of the result', () => {
  assert.equal(lowered('SELECT comm FROM exec WHERE pid > 1 LIMIT 5').limit, 5);
  assert.equal(lowered('SELECT comm FROM exec ORDER BY pid LIMIT 5').limit, undefined);
  // HAVING aggregates every row, even with no aggregate in the SELECT list.
  assert.equal(lowered('SELECT 1 AS one FROM exec HAVING count(*) > 1 LIMIT 1', { kernelAggregation: false }).limit, undefined);
});
