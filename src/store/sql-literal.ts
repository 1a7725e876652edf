// Result rows (output/result.ts's plain values) back into DuckDB as SQL literals, cast to the
// column's type: how rows that left DuckDB as plain data go in again (the Parquet history). The
// cast restores what the plain form flattened: DuckDB's text of timestamps, intervals and blobs,
// MAPs (plain: lists of key/value structs), integers beyond 2^53 as bigint.
import { quoteString } from '../query/quote.js';

/** A plain value as a DuckDB literal (no cast). */
export function sqlLiteral(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'NULL';
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    case 'number':
      return numberLiteral(value);
    case 'bigint':
      return value.toString();
    case 'string':
      return quoteString(value);
    case 'object':
      if (value === null) return 'NULL';
      if (Array.isArray(value)) return `[${value.map(sqlLiteral).join(', ')}]`;
      return `{${Object.entries(value).map(([k, v]) => `${quoteString(k)}: ${sqlLiteral(v)}`).join(', ')}}`;
    case 'function': case 'symbol':
      throw new Error(`a ${typeof value} is not a row value`);
  }
}

/**
 * `value` as it reads in the column of DuckDB type `type` (its SQL text, as QueryColumn gives it).
 * A MAP's plain form is its entries as `{ key, value }` structs, which DuckDB does not cast to a
 * MAP: a MAP column's entries go through map_from_entries; a MAP inside another type is refused.
 */
export function castLiteral(value: unknown, type: string): string {
  if (value === null || value === undefined) return 'NULL';
  const at = type.indexOf('MAP(');
  if (at === 0 && type.endsWith(')') && type.indexOf('MAP(', 1) < 0) return `CAST(map_from_entries(${sqlLiteral(value)}) AS ${type})`;
  if (at >= 0) throw new Error(`a value of type ${type} cannot be written back: only a MAP column itself is, not a MAP inside a list or struct`);
  return `CAST(${sqlLiteral(value)} AS ${type})`;
}

function numberLiteral(n: number): string {
  if (Number.isNaN(n)) return `'nan'::DOUBLE`;
  if (!Number.isFinite(n)) return n > 0 ? `'inf'::DOUBLE` : `'-inf'::DOUBLE`;
  // Exponent notation (1e+21) reads as a DOUBLE; a bare -0 would read as the integer 0.
  return Object.is(n, -0) ? `'-0.0'::DOUBLE` : String(n);
}
