// Query results as plain JS data, the form the output formats, the REPL and the CLI consume.

import {
  DuckDBArrayValue, DuckDBDecimalValue, DuckDBListValue, DuckDBMapValue, DuckDBStructValue,
  DuckDBUnionValue, DuckDBVariantValue,
} from '@duckdb/node-api';
import type { DuckDBValue } from '@duckdb/node-api';
import { plainInteger } from './plain-integer.js';

export interface QueryColumn {
  readonly name: string;
  /** DuckDB's SQL text for the type, e.g. `UBIGINT` or `STRUCT(lo BIGINT, ...)[]`. */
  readonly type: string;
}

/**
 * Rows hold plain values: null; boolean; number (every integer within ±2^53, floats, DECIMAL);
 * bigint (integers beyond ±2^53); string (VARCHAR, and DuckDB's own text for every other scalar:
 * TIMESTAMP_NS is `2024-01-02 03:04:05.123456789`, trailing zeros of the fraction dropped, and
 * likewise DATE, TIMESTAMP, INTERVAL, UUID, BLOB);
 * arrays (LIST, ARRAY); objects (STRUCT); MAP as an array of `{ key, value }` objects.
 */
export interface QueryResult {
  readonly columns: readonly QueryColumn[];
  readonly rows: readonly Row[];
}

/** One row: a value per column, in the columns' order. */
export type Row = readonly unknown[];

/** A DuckDB value as plain JS data (see QueryResult). */
export function plainValue(v: DuckDBValue): unknown {
  switch (typeof v) {
    case 'boolean':
    case 'number':
    case 'string':
      return v;
    case 'bigint':
      return plainInteger(v);
    case 'object': case 'undefined': case 'function': case 'symbol':
      break;
  }
  if (v === null) return null;
  if (v instanceof DuckDBListValue || v instanceof DuckDBArrayValue) return v.items.map(plainValue);
  if (v instanceof DuckDBStructValue) {
    return Object.fromEntries(Object.entries(v.entries).map(([k, x]) => [k, plainValue(x)]));
  }
  if (v instanceof DuckDBMapValue) return v.entries.map((e) => ({ key: plainValue(e.key), value: plainValue(e.value) }));
  if (v instanceof DuckDBDecimalValue) return v.toDouble();
  if (v instanceof DuckDBUnionValue || v instanceof DuckDBVariantValue) return plainValue(v.value);
  return v.toString();
}
