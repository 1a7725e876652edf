// Decoded kernel results (ColumnBatch) → Arrow RecordBatch. Each ValueType has one Arrow type,
// chosen so that its value buffer has exactly the width of the DuckDB column type from
// duckdbType(): the store copies these buffers without conversion. Integers by bits and
// signedness, float → Float64, string → Utf8, bytes → Binary, bool → Bool, timestamp → Timestamp(ns),
// buckets → List<Struct<lo: Int64, hi: Int64, count: Uint64>>, strings → List<Utf8>. Strings stay plain Utf8: DuckDB's
// C API as bound here can't build dictionary vectors, so a dictionary would not save a copy.

import {
  Binary, Bool, Data, Field, Float64, Int, Int8, Int16, Int32, Int64, List, RecordBatch, Schema, Struct,
  TimestampNanosecond, Uint8, Uint16, Uint32, Uint64, Utf8, makeData,
} from 'apache-arrow';
import type { Bucket, ColumnBatch, ColumnData, IntBits, ValueType } from '../catalog/types.js';
import { assertNever } from '../diag/assert-never.js';

const bucketStruct = new Struct([
  new Field('lo', new Int64(), false),
  new Field('hi', new Int64(), false),
  new Field('count', new Uint64(), false),
]);
const bucketList = new List(new Field('item', bucketStruct, false));
const stringList = new List(new Field('item', new Utf8(), false));

function intArrowType(bits: IntBits, signed: boolean): Int {
  switch (bits) {
    case 8: return signed ? new Int8() : new Uint8();
    case 16: return signed ? new Int16() : new Uint16();
    case 32: return signed ? new Int32() : new Uint32();
    case 64: return signed ? new Int64() : new Uint64();
  }
}

interface Validity { readonly nullBitmap: Uint8Array | undefined; readonly nullCount: number }

/** Arrow validity: bit i (LSB first) set when value i is present; no bitmap when none is null. */
function validityOf(values: readonly unknown[]): Validity {
  let nullCount = 0;
  for (const v of values) if (v === null) nullCount++;
  if (nullCount === 0) return { nullBitmap: undefined, nullCount };
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== null) bitmap[i >> 3]! |= 1 << (i & 7);
  }
  return { nullBitmap: bitmap, nullCount };
}

function mismatch(name: string, t: ValueType, data: ColumnData): Error {
  return new TypeError(`column "${name}": ${t.kind} values cannot travel as ${data.kind} data`);
}

function narrowIntData(name: string, bits: 8 | 16 | 32, signed: boolean, values: readonly (number | null)[]): Data {
  const min = signed ? -(2 ** (bits - 1)) : 0;
  const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  const n = values.length;
  const array = signed
    ? (bits === 8 ? new Int8Array(n) : bits === 16 ? new Int16Array(n) : new Int32Array(n))
    : (bits === 8 ? new Uint8Array(n) : bits === 16 ? new Uint16Array(n) : new Uint32Array(n));
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    // Typed arrays wrap or truncate silently; a wrong value must not pass as a right one.
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new RangeError(`column "${name}": ${v} does not fit in ${signed ? 's' : 'u'}${bits}`);
    }
    array[i] = v;
  }
  return makeData({ type: intArrowType(bits, signed), length: n, ...validityOf(values), data: array });
}

function fill64<A extends BigInt64Array | BigUint64Array>(name: string, array: A, values: readonly (bigint | null)[]): A {
  const signed = array instanceof BigInt64Array;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    if ((signed ? BigInt.asIntN(64, v) : BigInt.asUintN(64, v)) !== v) {
      throw new RangeError(`column "${name}": ${v} does not fit in ${signed ? 's' : 'u'}64`);
    }
    array[i] = v;
  }
  return array;
}

function int64Array(name: string, values: readonly (bigint | null)[]): BigInt64Array {
  return fill64(name, new BigInt64Array(values.length), values);
}

function uint64Array(name: string, values: readonly (bigint | null)[]): BigUint64Array {
  return fill64(name, new BigUint64Array(values.length), values);
}

function float64Data(values: readonly (number | null)[]): Data<Float64> {
  const array = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) array[i] = values[i] ?? 0;
  return makeData({ type: new Float64(), length: values.length, ...validityOf(values), data: array });
}

const encoder = new TextEncoder();

/** Arrow's offsets of variable-length values (a null is empty), and the length of all of them. */
function listOffsets(values: readonly ({ readonly length: number } | null)[]): { offsets: Int32Array; total: number } {
  const offsets = new Int32Array(values.length + 1);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    total += values[i]?.length ?? 0;
    offsets[i + 1] = total;
  }
  return { offsets, total };
}

function binaryData(values: readonly (Uint8Array | null)[]): Data<Binary> {
  const n = values.length;
  const { offsets, total } = listOffsets(values);
  const bytes = new Uint8Array(total);
  values.forEach((v, i) => v && bytes.set(v, offsets[i]));
  return makeData({ type: new Binary(), length: n, ...validityOf(values), valueOffsets: offsets, data: bytes });
}

function utf8Data(values: readonly (string | null)[]): Data<Utf8> {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  let bytes = new Uint8Array(Math.max(64, n * 16));
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const s = values[i];
    if (s !== null && s !== undefined && s.length > 0) {
      // A UTF-16 code unit takes at most 3 bytes in UTF-8, so this much room always suffices.
      const need = pos + s.length * 3;
      if (need > bytes.length) {
        const grown = new Uint8Array(Math.max(need, bytes.length * 2));
        grown.set(bytes.subarray(0, pos));
        bytes = grown;
      }
      pos += encoder.encodeInto(s, bytes.subarray(pos)).written;
    }
    offsets[i + 1] = pos;
  }
  return makeData({ type: new Utf8(), length: n, ...validityOf(values), valueOffsets: offsets, data: bytes.subarray(0, pos) });
}

function boolData(values: readonly (boolean | null)[]): Data<Bool> {
  const bits = new Uint8Array((values.length + 7) >> 3);
  for (let i = 0; i < values.length; i++) {
    if (values[i] === true) bits[i >> 3]! |= 1 << (i & 7);
  }
  return makeData({ type: new Bool(), length: values.length, ...validityOf(values), data: bits });
}

function bucketsData(name: string, values: readonly (readonly Bucket[] | null)[]): Data<List<Struct>> {
  const n = values.length;
  const { offsets, total } = listOffsets(values);
  const flat: Bucket[] = [];
  for (const list of values) if (list !== null) flat.push(...list);
  const lo = int64Array(name, flat.map((b) => b.lo));
  const hi = int64Array(name, flat.map((b) => b.hi));
  const count = uint64Array(name, flat.map((b) => b.count));
  const children = [
    makeData({ type: new Int64(), length: total, nullCount: 0, data: lo }),
    makeData({ type: new Int64(), length: total, nullCount: 0, data: hi }),
    makeData({ type: new Uint64(), length: total, nullCount: 0, data: count }),
  ];
  const items = makeData({ type: bucketStruct, length: total, nullCount: 0, children });
  return makeData({ type: bucketList, length: n, ...validityOf(values), valueOffsets: offsets, child: items });
}

function stringListData(values: readonly (readonly string[] | null)[]): Data<List<Utf8>> {
  const { offsets } = listOffsets(values);
  const flat: string[] = [];
  for (const list of values) if (list !== null) flat.push(...list);
  return makeData({ type: stringList, length: values.length, ...validityOf(values), valueOffsets: offsets, child: utf8Data(flat) });
}

function columnData(name: string, t: ValueType, data: ColumnData): Data {
  switch (t.kind) {
    case 'int':
      if (t.bits === 64) {
        if (data.kind !== 'int64') throw mismatch(name, t, data);
        const validity = validityOf(data.values);
        return t.signed
          ? makeData({ type: new Int64(), length: data.values.length, ...validity, data: int64Array(name, data.values) })
          : makeData({ type: new Uint64(), length: data.values.length, ...validity, data: uint64Array(name, data.values) });
      }
      if (data.kind !== 'number') throw mismatch(name, t, data);
      return narrowIntData(name, t.bits, t.signed, data.values);
    case 'float':
      if (data.kind !== 'number') throw mismatch(name, t, data);
      return float64Data(data.values);
    case 'string':
      if (data.kind !== 'string') throw mismatch(name, t, data);
      return utf8Data(data.values);
    case 'bool':
      if (data.kind !== 'bool') throw mismatch(name, t, data);
      return boolData(data.values);
    case 'bytes':
      if (data.kind !== 'bytes') throw mismatch(name, t, data);
      return binaryData(data.values);
    case 'timestamp': {
      if (data.kind !== 'int64') throw mismatch(name, t, data);
      const array = int64Array(name, data.values);
      return makeData({ type: new TimestampNanosecond(), length: array.length, ...validityOf(data.values), data: array });
    }
    case 'buckets':
      if (data.kind !== 'buckets') throw mismatch(name, t, data);
      return bucketsData(name, data.values);
    case 'strings':
      if (data.kind !== 'strings') throw mismatch(name, t, data);
      return stringListData(data.values);
    default:
      return assertNever(t);
  }
}

/** One Arrow RecordBatch holding the batch's columns under their names; nulls become validity bits. */
export function toRecordBatch(batch: ColumnBatch): RecordBatch {
  if (batch.columns.length !== batch.data.length) {
    throw new TypeError(`batch has ${batch.columns.length} columns but ${batch.data.length} data arrays`);
  }
  const fields: Field[] = [];
  const children: Data[] = [];
  batch.columns.forEach((column, i) => {
    const data = batch.data[i]!;
    if (data.values.length !== batch.rowCount) {
      throw new RangeError(`column "${column.name}" has ${data.values.length} values, batch has ${batch.rowCount} rows`);
    }
    const d = columnData(column.name, column.type, data);
    fields.push(new Field(column.name, d.type, true));
    children.push(d);
  });
  const schema = new Schema(fields);
  const rows = makeData({ type: new Struct(fields), length: batch.rowCount, nullCount: 0, children });
  return new RecordBatch(schema, rows);
}
