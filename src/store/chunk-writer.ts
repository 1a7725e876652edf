// Copies a row range of an Arrow column into a DuckDB vector of a data chunk. Fixed-width values go
// over with one memcpy (copy_data_to_vector) from the Arrow value buffer; strings of at most 12
// bytes are laid out inline as DuckDB 16-byte string structs in scratch memory and copied in one
// go, longer ones are handed to DuckDB one by one; lists and structs recurse into their children.
//
// Arrow JS conventions relied on: fixed-width `values` and `valueOffsets` start at the array's
// first row (slicing moves them), while validity and boolean bits are addressed at `offset + row`.
// The caller has checked (vector-type.ts) that the vector's type matches the Arrow type exactly.

import duckdb from '@duckdb/node-bindings';
import type { Vector } from '@duckdb/node-bindings';
import { DataType } from 'apache-arrow';
import type { Data } from 'apache-arrow';

/** Reusable scratch memory: grows, never shrinks; every use is finished before the next begins. */
export class Scratch {
  private buffer = new ArrayBuffer(1 << 16);

  /** A zero-offset view of at least `byteLength` bytes (contents undefined). */
  bytes(byteLength: number): Uint8Array<ArrayBuffer> {
    if (byteLength > this.buffer.byteLength) {
      this.buffer = new ArrayBuffer(Math.max(byteLength, this.buffer.byteLength * 2));
    }
    return new Uint8Array(this.buffer, 0, byteLength);
  }
}

/** DuckDB string_t: 4-byte length, then 12 inline bytes or a 4-byte prefix and a pointer. */
const STRING_T = 16;
const INLINE_MAX = 12;
/** duckdb_list_entry: 64-bit offset and length into the child vector. */
const LIST_ENTRY = 16;

/** The ArrayBuffer under a view; DuckDB's copy functions take no shared memory. */
function bufferOf(view: ArrayBufferView): ArrayBuffer {
  if (!(view.buffer instanceof ArrayBuffer)) throw new TypeError('Arrow buffers in shared memory are not supported');
  return view.buffer;
}

function viewOf(values: unknown, what: string): ArrayBufferView {
  if (!ArrayBuffer.isView(values)) throw new TypeError(`Arrow ${what} column has no value buffer`);
  return values;
}

function bytesOf(values: unknown, what: string): Uint8Array {
  if (!(values instanceof Uint8Array)) throw new TypeError(`Arrow ${what} column has no byte buffer`);
  return values;
}

function offsetsOf(data: Data): Int32Array {
  const offsets: unknown = data.valueOffsets;
  if (!(offsets instanceof Int32Array)) throw new TypeError(`Arrow ${String(data.type)} column has no 32-bit offsets`);
  return offsets;
}

function writeValidity(vector: Vector, data: Data, start: number, count: number, scratch: Scratch): void {
  const bitmap = data.nullBitmap;
  // Arrow's typings promise a bitmap; a column built without nulls may still have none.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  if (!bitmap || bitmap.byteLength === 0 || data.nullCount === 0) return;
  duckdb.vector_ensure_validity_writable(vector);
  const firstBit = data.offset + start;
  const byteCount = (count + 7) >> 3;
  if ((firstBit & 7) === 0) {
    // Arrow's LSB-first bitmap is the byte image of DuckDB's little-endian uint64 validity words.
    duckdb.copy_data_to_vector_validity(vector, 0, bufferOf(bitmap), bitmap.byteOffset + (firstBit >> 3), byteCount);
    return;
  }
  const out = scratch.bytes(byteCount).fill(0);
  for (let i = 0; i < count; i++) {
    const bit = firstBit + i;
    if ((bitmap[bit >> 3]! >> (bit & 7)) & 1) out[i >> 3]! |= 1 << (i & 7);
  }
  duckdb.copy_data_to_vector_validity(vector, 0, out.buffer, 0, byteCount);
}

function writeFixed(vector: Vector, data: Data, width: number, start: number, count: number): void {
  const values = viewOf(data.values, String(data.type));
  duckdb.copy_data_to_vector(vector, 0, bufferOf(values), values.byteOffset + start * width, count * width);
}

function writeBool(vector: Vector, data: Data, start: number, count: number, scratch: Scratch): void {
  if (duckdb.sizeof_bool !== 1) throw new Error(`DuckDB bool of ${duckdb.sizeof_bool} bytes is not supported`);
  const bits = bytesOf(data.values, 'Bool');
  const out = scratch.bytes(count);
  const first = data.offset + start;
  for (let i = 0; i < count; i++) {
    const bit = first + i;
    out[i] = (bits[bit >> 3]! >> (bit & 7)) & 1;
  }
  duckdb.copy_data_to_vector(vector, 0, out.buffer, 0, count);
}

function writeUtf8(vector: Vector, data: Data, start: number, count: number, scratch: Scratch): void {
  const offsets = offsetsOf(data);
  const chars = bytesOf(data.values, 'Utf8');
  const out = scratch.bytes(count * STRING_T);
  const words = new Uint32Array(out.buffer, 0, count * 4);
  let long = 0;
  for (let i = 0; i < count; i++) {
    const from = offsets[start + i]!;
    const length = offsets[start + i + 1]! - from;
    // DuckDB compares inline strings as whole words, so the unused inline bytes must be zero.
    words[4 * i + 1] = 0;
    words[4 * i + 2] = 0;
    words[4 * i + 3] = 0;
    if (length <= INLINE_MAX) {
      words[4 * i] = length;
      const at = STRING_T * i + 4;
      for (let k = 0; k < length; k++) out[at + k] = chars[from + k]!;
    } else {
      words[4 * i] = 0;
      long++;
    }
  }
  duckdb.copy_data_to_vector(vector, 0, out.buffer, 0, count * STRING_T);
  // After the bulk copy, so that these replace the empty placeholders rather than the reverse.
  for (let i = 0; long > 0 && i < count; i++) {
    const from = offsets[start + i]!;
    const to = offsets[start + i + 1]!;
    if (to - from > INLINE_MAX) {
      duckdb.vector_assign_string_element_len(vector, i, chars.subarray(from, to));
      long--;
    }
  }
}

function writeList(vector: Vector, data: Data, start: number, count: number, scratch: Scratch): void {
  const offsets = offsetsOf(data);
  const base = offsets[start]!;
  const out = scratch.bytes(count * LIST_ENTRY);
  const words = new Uint32Array(out.buffer, 0, count * 4);
  for (let i = 0; i < count; i++) {
    // Arrow offsets are 32-bit, so the high words of DuckDB's 64-bit entries are zero.
    words[4 * i] = offsets[start + i]! - base;
    words[4 * i + 1] = 0;
    words[4 * i + 2] = offsets[start + i + 1]! - offsets[start + i]!;
    words[4 * i + 3] = 0;
  }
  duckdb.copy_data_to_vector(vector, 0, out.buffer, 0, count * LIST_ENTRY);
  const total = offsets[start + count]! - base;
  duckdb.list_vector_reserve(vector, total);
  duckdb.list_vector_set_size(vector, total);
  writeVector(duckdb.list_vector_get_child(vector), data.children[0]!, base, total, scratch);
}

/** Writes rows [start, start + count) of `data` into rows [0, count) of `vector`. */
export function writeVector(vector: Vector, data: Data, start: number, count: number, scratch: Scratch): void {
  writeValidity(vector, data, start, count, scratch);
  const t = data.type;
  if (DataType.isInt(t)) writeFixed(vector, data, t.bitWidth >> 3, start, count);
  // Precision HALF, SINGLE, DOUBLE = 0, 1, 2: widths 2, 4, 8.
  else if (DataType.isFloat(t)) writeFixed(vector, data, 2 << t.precision, start, count);
  else if (DataType.isTimestamp(t)) writeFixed(vector, data, 8, start, count);
  else if (DataType.isBool(t)) writeBool(vector, data, start, count, scratch);
  else if (DataType.isUtf8(t) || DataType.isBinary(t)) writeUtf8(vector, data, start, count, scratch);
  else if (DataType.isList(t)) writeList(vector, data, start, count, scratch);
  else if (DataType.isStruct(t)) {
    data.children.forEach((child, k) => writeVector(duckdb.struct_vector_get_child(vector, k), child, start, count, scratch));
  } else throw new TypeError(`Arrow ${String(t)} columns can't be copied into DuckDB`);
}
