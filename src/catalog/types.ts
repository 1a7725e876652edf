import { assertNever } from '../diag/assert-never.js';
// Value types shared by the catalog, the planner, the runtime and the store. Each maps to one DuckDB type
// and one Arrow type; the kernel layout of a value is decided by the planner, not here.

export type IntBits = 8 | 16 | 32 | 64;

export type ValueType =
  | { readonly kind: 'int'; readonly bits: IntBits; readonly signed: boolean }
  | { readonly kind: 'float' }
  | { readonly kind: 'string' }
  | { readonly kind: 'bool' }
  /** Wall-clock time, nanoseconds since the Unix epoch (DuckDB TIMESTAMP_NS). */
  | { readonly kind: 'timestamp' }
  /** Raw bytes (DuckDB BLOB): byte arrays of tracepoint records. */
  | { readonly kind: 'bytes' }
  /** Histogram buckets: LIST(STRUCT(lo BIGINT, hi BIGINT, count UBIGINT)). */
  | { readonly kind: 'buckets' }
  /** A list of texts (DuckDB VARCHAR[]): a program's arguments. */
  | { readonly kind: 'strings' };

export const U8: ValueType = { kind: 'int', bits: 8, signed: false };
export const U16: ValueType = { kind: 'int', bits: 16, signed: false };
export const U32: ValueType = { kind: 'int', bits: 32, signed: false };
export const U64: ValueType = { kind: 'int', bits: 64, signed: false };
export const S8: ValueType = { kind: 'int', bits: 8, signed: true };
export const S16: ValueType = { kind: 'int', bits: 16, signed: true };
export const S32: ValueType = { kind: 'int', bits: 32, signed: true };
export const S64: ValueType = { kind: 'int', bits: 64, signed: true };
export const FLOAT: ValueType = { kind: 'float' };
export const STRING: ValueType = { kind: 'string' };
export const BOOL: ValueType = { kind: 'bool' };
export const TIMESTAMP: ValueType = { kind: 'timestamp' };
export const BUCKETS: ValueType = { kind: 'buckets' };
export const BYTES: ValueType = { kind: 'bytes' };
export const STRINGS: ValueType = { kind: 'strings' };

/** The DuckDB SQL name of a value type. */
export function duckdbType(t: ValueType): string {
  switch (t.kind) {
    case 'int': {
      const names = { 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' } as const;
      return (t.signed ? '' : 'U') + names[t.bits];
    }
    case 'float': return 'DOUBLE';
    case 'string': return 'VARCHAR';
    case 'bool': return 'BOOLEAN';
    case 'timestamp': return 'TIMESTAMP_NS';
    case 'bytes': return 'BLOB';
    // Written as DuckDB writes the type back (its field names quoted), so that a result's column
    // type is the same text whether DuckDB made the result or bpfql did (engine/direct-result.ts).
    case 'buckets': return 'STRUCT("lo" BIGINT, "hi" BIGINT, "count" UBIGINT)[]';
    case 'strings': return 'VARCHAR[]';
    default:
      return assertNever(t);
  }
}

export function typeName(t: ValueType): string {
  if (t.kind === 'int') return `${t.signed ? 's' : 'u'}${t.bits}`;
  if (t.kind === 'strings') return 'list of strings';
  return t.kind === 'bytes' ? 'blob' : t.kind;
}

/** One histogram bucket: values v with lo <= v <= hi were seen `count` times. */
export interface Bucket { readonly lo: bigint; readonly hi: bigint; readonly count: bigint }

/**
 * One column of decoded result data. Integers of 64 bits travel as bigint arrays, narrower ones
 * and floats as number arrays; null marks a value that is absent.
 */
export type ColumnData =
  | { readonly kind: 'int64'; readonly values: readonly (bigint | null)[] }
  | { readonly kind: 'number'; readonly values: readonly (number | null)[] }
  | { readonly kind: 'string'; readonly values: readonly (string | null)[] }
  | { readonly kind: 'bool'; readonly values: readonly (boolean | null)[] }
  | { readonly kind: 'bytes'; readonly values: readonly (Uint8Array | null)[] }
  | { readonly kind: 'buckets'; readonly values: readonly (readonly Bucket[] | null)[] }
  | { readonly kind: 'strings'; readonly values: readonly (readonly string[] | null)[] };

export interface ResultColumn { readonly name: string; readonly type: ValueType }

/** A column of no values, in the ColumnData kind a column of type `t` travels in. */
export function emptyColumnData(t: ValueType): ColumnData {
  switch (t.kind) {
    case 'int': return t.bits === 64 ? { kind: 'int64', values: [] } : { kind: 'number', values: [] };
    case 'timestamp': return { kind: 'int64', values: [] };
    case 'float': return { kind: 'number', values: [] };
    case 'string': return { kind: 'string', values: [] };
    case 'bool': return { kind: 'bool', values: [] };
    case 'bytes': return { kind: 'bytes', values: [] };
    case 'buckets': return { kind: 'buckets', values: [] };
    case 'strings': return { kind: 'strings', values: [] };
    default:
      return assertNever(t);
  }
}

/** Decoded rows in columnar form, as they leave the kernel and before they enter DuckDB. */
export interface ColumnBatch {
  readonly columns: readonly ResultColumn[];
  readonly data: readonly ColumnData[];
  readonly rowCount: number;
}
