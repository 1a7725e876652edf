import { test } from 'node:test';
import assert from 'node:assert/strict';
import { S64 } from '../../src/catalog/types.js';
import type { AggregateMode } from '../../src/planner/plan.js';
import { NO_PARAMS } from '../../src/functions/aggregate.js';
import { AggregateDecoder, readCString } from '../../src/runtime/decode-aggregates.js';

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
  const batch = new AggregateDecoder(mode, 2).finish();
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
  const decoder = new AggregateDecoder(mode, 2);
  decoder.add({ keys, values, count: 1 });
  const batch = decoder.finish();
  assert.deepEqual(batch.data, [{ kind: 'int64', values: [5n] }, { kind: 'int64', values: [25n] }]);
});

test('batches decoded as they are read: a batch\'s buffers reused for the next change nothing decoded', () => {
  // One reused pair of buffers, as the map reader hands them: two entries of a batch read, then one.
  const keys = Buffer.alloc(16);
  const values = Buffer.alloc(64);
  const fill = (entries: readonly (readonly [bigint, bigint, bigint, bigint])[]): void => {
    values.fill(0);
    entries.forEach((e, i) => e.forEach((v, w) => values.writeBigInt64LE(v, 32 * i + 8 * w)));
  };
  const decoder = new AggregateDecoder(mode, 2);
  fill([[1n, 10n, 1n, 20n], [4n, 40n, 0n, 0n]]);
  decoder.add({ keys, values, count: 2 });
  fill([[7n, 70n, 2n, -2n]]);
  decoder.add({ keys, values, count: 1 });
  const batch = decoder.finish();
  assert.equal(batch.rowCount, 3);
  assert.deepEqual(batch.data, [{ kind: 'int64', values: [2n, 4n, 9n] }, { kind: 'int64', values: [30n, 40n, 68n] }]);
});

test('a string field is cut at its NUL, or at its width when it has none', () => {
  const buf = Buffer.from('abc\0zzzzdefghijkXYZ\0', 'latin1');
  assert.equal(readCString(buf, 0, 8), 'abc');
  assert.equal(readCString(buf, 8, 8), 'defghijk');
  assert.equal(readCString(buf, 8, 4), 'defg');
  assert.equal(readCString(Buffer.from('full', 'latin1'), 0, 4), 'full');
});
