// Byte layout of kernel keys and records: how wide each value is and where it sits.
import { addressWidth } from '../catalog/addresses.js';
import type { Column } from '../catalog/column.js';
import { ARGV_BYTES } from '../catalog/column.js';
import { FD_PATH_BYTES } from '../catalog/fd-path.js';
import type { ValueType } from '../catalog/types.js';
import { BOOL, S64, U64 } from '../catalog/types.js';
import type { KExpr } from './kexpr.js';
import { isBoolean } from './kexpr.js';
import type { KernelField } from './plan.js';

/** Capacity of strings read from the record or user memory (paths); longer ones are cut. */
export const STRING_CAPACITY = 128;
export const COMM_CAPACITY = 16;
/** Bytes of a `__data_loc` array (not a string) kept in the kernel; longer ones are cut. */
export const DATA_LOC_BYTES = 128;

export function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Whether the kernel keeps the column's value in a buffer (strings, addresses, BLOBs), not a register. */
export function isBufferColumn(c: Column): boolean {
  return (c.type.kind === 'string' || c.type.kind === 'bytes' || c.type.kind === 'strings') && c.source.kind !== 'stack' && c.source.kind !== 'cgroup' && c.source.kind !== 'kernel-symbol';
}

/** Bytes a string, address or byte-array column takes in a key or record (always a multiple of 8). */
export function stringCapacity(c: Column): number {
  switch (c.source.kind) {
    case 'builtin': case 'entry-builtin': return COMM_CAPACITY;
    case 'char-array': case 'constant-text': return align8(c.source.size);
    case 'pointee-string': return c.source.size === undefined ? STRING_CAPACITY : align8(c.source.size);
    // A flexible array (size 0) still takes a word, which stays zero.
    case 'byte-array': return Math.max(8, align8(c.source.size));
    case 'address': return addressWidth(c.source.family !== undefined);
    // Its length (8 bytes), then the bytes.
    case 'data-loc-bytes': return 8 + DATA_LOC_BYTES;
    case 'data-loc-string': case 'user-string': case 'entry-user-string': case 'reg-user-string': return STRING_CAPACITY;
    // A stack is its 8-byte id in the kernel, a cgroup text column the cgroup id; the text is made in user space.
    case 'field': case 'task': case 'entry-field': case 'latency': case 'ctx-reg': case 'stack': case 'cgroup': case 'cgroup-set': case 'cgroup-ancestor': case 'constant': case 'pointee':
    case 'kernel-symbol': case 'switch-state':
      return 8;
    // Their length (8 bytes), then the bytes.
    case 'exec-args': return 8 + ARGV_BYTES;
    case 'kernel-path': return c.source.text === true ? align8(c.source.size) : 8;
    // A path: its header (8 bytes), then the names; an inode number is an integer.
    case 'fd-file': return c.source.part === 'path' ? 8 + FD_PATH_BYTES : 8;
  }
}

/** The type a kernel value has once in DuckDB: integers widen to 64 bits, like the kernel's arithmetic. */
export function widened(expr: KExpr, declared: ValueType): ValueType {
  if (isBoolean(expr)) return BOOL;
  if (declared.kind !== 'int') return declared;
  if (expr.kind === 'column' && declared.bits === 64 && !declared.signed) return U64;
  return expr.signed || declared.bits < 64 ? S64 : U64;
}

/** A value the kernel writes into a key or record, before it has a place there. */
export interface FieldValue {
  readonly name: string;
  readonly expr: KExpr;
  readonly type: ValueType;
  /** Bytes it takes: 8 for integers, the capacity for strings. */
  readonly width: number;
}

/** The values one after another, each at a multiple of 8 bytes; `size` is the bytes they take together. */
export function layoutFields(values: readonly FieldValue[]): { fields: KernelField[]; size: number } {
  let offset = 0;
  const fields = values.map((v) => {
    const f: KernelField = { name: v.name, expr: v.expr, type: v.type, offset, width: v.width };
    offset += align8(v.width);
    return f;
  });
  return { fields, size: offset };
}
