import { test } from 'node:test';
import assert from 'node:assert/strict';
import { S64 } from '../../src/catalog/types.js';
import type { AggregateMode } from '../../src/planner/plan.js';
import { NO_PARAMS } from '../../src/functions/aggregate.js';
import { decodeAggregates, readCString } from '../../src/runtime/decode-aggregates.js';

const arg = { kind: 'const', value: 1n, signed: true } as const;

const mode: AggregateMode = {
  kind: 'aggregate',
  keys: [],
  keySize: 8,
  aggregates: [
    { name: 'a0', fn: 'count', params: NO_PARAMS, offset: 8, resultType: S64 },
    { name: 'a1', fn: 'sum', arg, params: NO_PARAMS, offset: 8, resultType: S64 },
  ],
  valueSize: 16,
  maxEntries: 1,
};

test('without GROUP BY an empty map still gives one row: count 0, other aggregates NULL', () => {
  const batch = decodeAggregates(mode, [], 2);
  assert.equal(batch.rowCount, 1);
  assert.deepEqual(batch.data, [{ kind: 'int64', values: [0n] }, { kind: 'int64', values: [null] }]);
});

test('one key over two CPUs: counts and sums add up', () => {
  const keys = Buffer.alloc(8);
  const values = Buffer.alloc(32);
  values.writeBigUInt64LE(3n, 0);
  values.writeBigInt64LE(30n, 8);
  values.writeBigUInt64LE(2n, 16);
  values.writeBigInt64LE(-5n, 24);
  const batch = decodeAggregates(mode, [{ keys, values, count: 1 }], 2);
  assert.deepEqual(batch.data, [{ kind: 'int64', values: [5n] }, { kind: 'int64', values: [25n] }]);
});

test('a string field is cut at its NUL, or at its width when it has none', () => {
  const buf = Buffer.from('abc\0zzzzdefghijkXYZ\0', 'latin1');
  assert.equal(readCString(buf, 0, 8), 'abc');
  assert.equal(readCString(buf, 8, 8), 'defghijk');
  assert.equal(readCString(buf, 8, 4), 'defg');
  assert.equal(readCString(Buffer.from('full', 'latin1'), 0, 4), 'full');
});
