// The DuckDB column type whose in-memory vector layout equals an Arrow type's buffers. The chunk
// writer copies bytes without checks, so an append is only allowed when every table column has
// exactly the type named here.

import {
  BIGINT, BLOB, BOOLEAN, DOUBLE, FLOAT, INTEGER, LIST, SMALLINT, STRUCT, TIMESTAMP, TIMESTAMP_MS,
  TIMESTAMP_NS, TIMESTAMP_S, TINYINT, UBIGINT, UINTEGER, USMALLINT, UTINYINT, VARCHAR,
} from '@duckdb/node-api';
import type { DuckDBType } from '@duckdb/node-api';
import { DataType, Precision, TimeUnit } from 'apache-arrow';

function intType(bitWidth: number, signed: boolean): DuckDBType | undefined {
  switch (bitWidth) {
    case 8: return signed ? TINYINT : UTINYINT;
    case 16: return signed ? SMALLINT : USMALLINT;
    case 32: return signed ? INTEGER : UINTEGER;
    case 64: return signed ? BIGINT : UBIGINT;
    default: return undefined;
  }
}

function timestampType(unit: TimeUnit): DuckDBType {
  switch (unit) {
    case TimeUnit.SECOND: return TIMESTAMP_S;
    case TimeUnit.MILLISECOND: return TIMESTAMP_MS;
    case TimeUnit.MICROSECOND: return TIMESTAMP;
    case TimeUnit.NANOSECOND: return TIMESTAMP_NS;
  }
}

/** The DuckDB type an Arrow column can be copied into, or undefined when the store can't copy it. */
export function vectorTypeOf(t: DataType): DuckDBType | undefined {
  if (DataType.isInt(t)) return intType(t.bitWidth, t.isSigned);
  if (DataType.isFloat(t)) {
    if (t.precision === Precision.DOUBLE) return DOUBLE;
    return t.precision === Precision.SINGLE ? FLOAT : undefined;
  }
  if (DataType.isBool(t)) return BOOLEAN;
  if (DataType.isUtf8(t)) return VARCHAR;
  if (DataType.isBinary(t)) return BLOB;
  // A zone would make it TIMESTAMPTZ, whose only width is microseconds; keep to plain timestamps.
  if (DataType.isTimestamp(t)) return t.timezone ? undefined : timestampType(t.unit);
  if (DataType.isList(t)) {
    const item = vectorTypeOf(t.children[0]!.type as DataType);
    return item && LIST(item);
  }
  if (DataType.isStruct(t)) {
    const entries: Record<string, DuckDBType> = {};
    for (const f of t.children) {
      const entry = vectorTypeOf(f.type as DataType);
      if (!entry) return undefined;
      entries[f.name] = entry;
    }
    return STRUCT(entries);
  }
  return undefined;
}
