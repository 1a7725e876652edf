// Kernel bytes of address, byte-array and __data_loc array columns as the runtime decodes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Column } from '../../src/catalog/column.js';
import { BYTES, STRING } from '../../src/catalog/types.js';
import type { KernelField } from '../../src/planner/plan.js';
import { FieldColumns } from '../../src/runtime/decode-aggregates.js';

function field(column: Column, offset: number, width: number): KernelField {
  return { name: column.name, expr: { kind: 'column', column, signed: false }, type: column.type, offset, width };
}

test('addresses become text by family, byte arrays their bytes, __data_loc arrays the bytes their length says', () => {
  const daddr: Column = { name: 'daddr', type: STRING, source: { kind: 'address', offset: 56, family: 28 }, description: '' };
  const v6: Column = { name: 'daddr_v6', type: STRING, source: { kind: 'address', offset: 56 }, description: '' };
  const key: Column = { name: 'key', type: BYTES, source: { kind: 'byte-array', offset: 8, size: 6 }, description: '' };
  const addrs: Column = { name: 'addrs', type: BYTES, source: { kind: 'data-loc-bytes', offset: 12 }, description: '' };
  const fields = [field(daddr, 0, 24), field(v6, 24, 16), field(key, 40, 8), field(addrs, 48, 136)];
  const rec = Buffer.alloc(184);
  rec.set([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 7], 0);
  rec[16] = 2; // AF_INET
  rec[24 + 15] = 1; // ::1
  rec.set([1, 2, 3, 4, 5, 6], 40);
  rec.writeBigUInt64LE(3n, 48);
  rec.set([9, 8, 7], 56);
  const cols = new FieldColumns(fields);
  cols.push(rec, 0);
  rec[16] = 10; // the same bytes on an AF_INET6 socket
  cols.push(rec, 0);
  const data = cols.data((t) => t);
  assert.deepEqual(data[0], { kind: 'string', values: ['10.0.0.7', '::ffff:10.0.0.7'] });
  assert.deepEqual(data[1], { kind: 'string', values: ['::1', '::1'] });
  assert.deepEqual(data[2], { kind: 'bytes', values: [Uint8Array.from([1, 2, 3, 4, 5, 6]), Uint8Array.from([1, 2, 3, 4, 5, 6])] });
  assert.deepEqual(data[3], { kind: 'bytes', values: [Uint8Array.from([9, 8, 7]), Uint8Array.from([9, 8, 7])] });
});
