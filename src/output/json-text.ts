// JSON text for plain result values. JSON.stringify can't take a bigint, and turning one into a
// string or a double would change it, so integers beyond 2^53 are written as exact literals.

import type { QueryColumn, Row } from './result.js';

/** Compact JSON for a plain value (see QueryResult); NaN and ±Infinity become null as in JSON.stringify. */
export function jsonText(v: unknown): string {
  switch (typeof v) {
    case 'bigint':
      return v.toString();
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'string':
    case 'boolean':
      return JSON.stringify(v);
    case 'object':
      if (v === null) return 'null';
      if (Array.isArray(v)) return `[${v.map(jsonText).join(',')}]`;
      return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${jsonText(x)}`).join(',')}}`;
    case 'undefined':
    case 'function':
    case 'symbol':
      // These have no JSON form; a result never holds them.
      return 'null';
  }
}

/** Writes a row of `columns` as one compact JSON object keyed by the column names. */
export function jsonRowText(columns: readonly QueryColumn[]): (row: Row) => string {
  const keys = columns.map((c) => JSON.stringify(c.name));
  return (row) => `{${keys.map((k, i) => `${k}:${jsonText(row[i])}`).join(',')}}`;
}
