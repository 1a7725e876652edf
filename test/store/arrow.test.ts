import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Data } from 'apache-arrow';
import { toRecordBatch } from '../../src/store/arrow.js';
import {
  BOOL, BUCKETS, FLOAT, S16, S32, S64, S8, STRING, TIMESTAMP, U16, U32, U64, U8,
} from '../../src/catalog/types.js';
import type { ColumnBatch } from '../../src/catalog/types.js';

const BIG_U = 2n ** 64n - 1n;
const BIG_S = -(2n ** 63n);
const TS = 1_700_000_000_123_456_789n;

const batch: ColumnBatch = {
  rowCount: 3,
  columns: [
    { name: 'u8', type: U8 }, { name: 'u16', type: U16 }, { name: 'u32', type: U32 }, { name: 'u64', type: U64 },
    { name: 's8', type: S8 }, { name: 's16', type: S16 }, { name: 's32', type: S32 }, { name: 's64', type: S64 },
    { name: 'f', type: FLOAT }, { name: 's', type: STRING }, { name: 'b', type: BOOL },
    { name: 'ts', type: TIMESTAMP }, { name: 'h', type: BUCKETS },
  ],
  data: [
    { kind: 'number', values: [255, null, 0] },
    { kind: 'number', values: [65535, 1, null] },
    { kind: 'number', values: [4294967295, null, 7] },
    { kind: 'int64', values: [BIG_U, 2n ** 53n + 1n, null] },
    { kind: 'number', values: [-128, 127, null] },
    { kind: 'number', values: [-32768, null, 32767] },
    { kind: 'number', values: [null, -2147483648, 2147483647] },
    { kind: 'int64', values: [BIG_S, null, -(2n ** 53n) - 3n] },
    { kind: 'number', values: [0.5, null, -1e300] },
    { kind: 'string', values: ['bash', null, 'ünïcødé-and-longer-than-12'] },
    { kind: 'bool', values: [true, false, null] },
    { kind: 'int64', values: [TS, null, 0n] },
    {
      kind: 'buckets',
      values: [
        [{ lo: 0n, hi: 1n, count: 3n }, { lo: 2n, hi: 3n, count: 2n ** 60n }],
        null,
        [],
      ],
    },
  ],
};

function valid(d: Data): boolean[] {
  return Array.from({ length: d.length }, (_, i) => d.getValid(i));
}

test('every ValueType gets its Arrow type, in column order, nullable', () => {
  const rb = toRecordBatch(batch);
  assert.equal(rb.numRows, 3);
  assert.deepEqual(rb.schema.fields.map((f) => `${f.name}:${f.type}:${f.nullable}`), [
    'u8:Uint8:true', 'u16:Uint16:true', 'u32:Uint32:true', 'u64:Uint64:true',
    's8:Int8:true', 's16:Int16:true', 's32:Int32:true', 's64:Int64:true',
    'f:Float64:true', 's:Utf8:true', 'b:Bool:true', 'ts:Timestamp<NANOSECOND>:true',
    'h:List<Struct<{lo:Int64, hi:Int64, count:Uint64}>>:true',
  ]);
});

test('integer and float values land in value buffers of the exact width, nulls as validity', () => {
  const rb = toRecordBatch(batch);
  const col = (name: string): Data => rb.getChild(name)!.data[0]! as Data;
  assert.deepEqual([...(col('u8').values as Uint8Array)], [255, 0, 0]);
  assert.deepEqual(valid(col('u8')), [true, false, true]);
  assert.deepEqual([...(col('u16').values as Uint16Array)], [65535, 1, 0]);
  assert.deepEqual(valid(col('u16')), [true, true, false]);
  assert.deepEqual([...(col('u32').values as Uint32Array)], [4294967295, 0, 7]);
  assert.deepEqual([...(col('u64').values as BigUint64Array)], [BIG_U, 2n ** 53n + 1n, 0n]);
  assert.deepEqual(valid(col('u64')), [true, true, false]);
  assert.deepEqual([...(col('s8').values as Int8Array)], [-128, 127, 0]);
  assert.deepEqual([...(col('s16').values as Int16Array)], [-32768, 0, 32767]);
  assert.deepEqual([...(col('s32').values as Int32Array)], [0, -2147483648, 2147483647]);
  assert.deepEqual(valid(col('s32')), [false, true, true]);
  assert.deepEqual([...(col('s64').values as BigInt64Array)], [BIG_S, 0n, -(2n ** 53n) - 3n]);
  assert.deepEqual(valid(col('s64')), [true, false, true]);
  assert.deepEqual([...(col('f').values as Float64Array)], [0.5, 0, -1e300]);
  assert.deepEqual(valid(col('f')), [true, false, true]);
  assert.deepEqual([...(col('ts').values as BigInt64Array)], [TS, 0n, 0n]);
  assert.deepEqual(valid(col('ts')), [true, false, true]);
  assert.equal(col('u8').nullCount, 1);
  assert.equal(col('s8').nullCount, 1);
});

test('strings are UTF-8 with offsets; booleans bit-packed', () => {
  const rb = toRecordBatch(batch);
  const s = rb.getChild('s')!;
  assert.deepEqual([s.get(0), s.get(1), s.get(2)], ['bash', null, 'ünïcødé-and-longer-than-12']);
  assert.deepEqual([...(s.data[0]!.valueOffsets as Int32Array)], [0, 4, 4, 4 + Buffer.byteLength('ünïcødé-and-longer-than-12')]);
  const b = rb.getChild('b')!;
  assert.deepEqual([b.get(0), b.get(1), b.get(2)], [true, false, null]);
  assert.deepEqual([...(b.data[0]!.values as Uint8Array)], [0b001]);
});

test('buckets become a list of (lo, hi, count) structs; a null list is invalid, an empty one is not', () => {
  const rb = toRecordBatch(batch);
  const h = rb.getChild('h')!.data[0]! as Data;
  assert.deepEqual([...(h.valueOffsets as Int32Array)], [0, 2, 2, 2]);
  assert.deepEqual(valid(h), [true, false, true]);
  const items = h.children[0]!;
  assert.deepEqual([...(items.children[0]!.values as BigInt64Array)], [0n, 2n]);
  assert.deepEqual([...(items.children[1]!.values as BigInt64Array)], [1n, 3n]);
  assert.deepEqual([...(items.children[2]!.values as BigUint64Array)], [3n, 2n ** 60n]);
});

test('values that do not fit their type are refused, not wrapped', () => {
  const one = (type: ColumnBatch['columns'][number]['type'], data: ColumnBatch['data'][number]): ColumnBatch =>
    ({ rowCount: 1, columns: [{ name: 'x', type }], data: [data] });
  assert.throws(() => toRecordBatch(one(U8, { kind: 'number', values: [256] })), /column "x": 256 does not fit in u8/);
  assert.throws(() => toRecordBatch(one(S32, { kind: 'number', values: [1.5] })), /1\.5 does not fit in s32/);
  assert.throws(() => toRecordBatch(one(U64, { kind: 'int64', values: [-1n] })), /-1 does not fit in u64/);
  assert.throws(() => toRecordBatch(one(S64, { kind: 'int64', values: [2n ** 63n] })), /does not fit in s64/);
  assert.throws(() => toRecordBatch(one(U64, { kind: 'number', values: [1] })), /int values cannot travel as number data/);
  assert.throws(() => toRecordBatch(one(STRING, { kind: 'string', values: [] })), /column "x" has 0 values, batch has 1 rows/);
});

test('an empty batch has its schema and no rows', () => {
  const rb = toRecordBatch({ rowCount: 0, columns: [{ name: 's', type: STRING }], data: [{ kind: 'string', values: [] }] });
  assert.equal(rb.numRows, 0);
  assert.equal(String(rb.schema.fields[0]!.type), 'Utf8');
});
