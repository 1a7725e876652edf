// Compares the two results of a differential query: same column names, and the same rows as
// multisets (row order is compared by neither side's ORDER BY, which may leave ties in any order).
// Numbers compare as numbers: the kernel's BIGINT and DuckDB's HUGEINT or UBIGINT of one value
// are equal. Columns of kind `float` agree within 1e-9 (relative), `approx` ones (quantiles) within
// the README's bound, |estimate - exact| <= |exact| / 64, with the streamed side exact.
import type { QueryResult } from '../../src/store/session.js';
import type { ColumnKind } from './gen.js';

export const FLOAT_TOLERANCE = 1e-9;
/** The README's bound on a kernel quantile: |estimate - exact| <= |exact| / QUANTILE_DIVISOR. */
export const QUANTILE_DIVISOR = 64n;

type Row = readonly unknown[];

/** A value as text where equal values (whatever their JS or DuckDB type) give equal text. */
export function canonical(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint') return `i${v}`;
  if (typeof v === 'number') return Number.isInteger(v) ? `i${BigInt(v)}` : `f${v}`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return `b${v}`;
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => `${k}:${canonical(x)}`).join(',')}}`;
  }
  return `?${String(v)}`;
}

function numeric(v: unknown): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
}

function asBigInt(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return undefined;
}

export function floatsAgree(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b;
  const x = numeric(a);
  const y = numeric(b);
  if (x === undefined || y === undefined) return false;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  return Math.abs(x - y) <= FLOAT_TOLERANCE * Math.max(1, Math.abs(x), Math.abs(y));
}

/** Whether `estimate` is within the quantile bound of `exact` (integers, or both NULL). */
export function quantileAgrees(estimate: unknown, exact: unknown): boolean {
  if (estimate === null || exact === null) return estimate === exact;
  const e = asBigInt(estimate);
  const x = asBigInt(exact);
  if (e === undefined || x === undefined) return false;
  const diff = e > x ? e - x : x - e;
  return diff * QUANTILE_DIVISOR <= (x < 0n ? -x : x);
}

function agrees(kind: ColumnKind, planned: unknown, streamed: unknown): boolean {
  switch (kind) {
    case 'exact': return canonical(planned) === canonical(streamed);
    case 'float': return floatsAgree(planned, streamed);
    case 'approx': return quantileAgrees(planned, streamed);
  }
}

/** Sorts rows by their exact columns, then by the others as numbers, so that equal rows pair up. */
export function sortRows(rows: readonly Row[], kinds: readonly ColumnKind[]): Row[] {
  const keyed = rows.map((row) => ({ row, key: row.map((v, i) => (kinds[i] === 'exact' ? canonical(v) : '')).join('\u0001') }));
  keyed.sort((a, b) => {
    if (a.key !== b.key) return a.key < b.key ? -1 : 1;
    for (let i = 0; i < kinds.length; i++) {
      if (kinds[i] === 'exact') continue;
      const x = numeric(a.row[i]) ?? -Infinity;
      const y = numeric(b.row[i]) ?? -Infinity;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
  return keyed.map((k) => k.row);
}

export function showRow(row: Row): string {
  return JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

function showRows(rows: readonly Row[], max = 12): string {
  const shown = rows.slice(0, max).map((r) => `    ${showRow(r)}`);
  return [...shown, ...(rows.length > max ? [`    … ${rows.length - max} more`] : [])].join('\n');
}

/** Why the first side's result (planned) differs from the second's (streamed), or undefined when they agree; `sides` names them in the text. */
export function compareResults(planned: QueryResult, streamed: QueryResult, kinds: readonly ColumnKind[], sides: readonly [string, string] = ['planned', 'streamed']): string | undefined {
  const [one, two] = sides;
  const names = (r: QueryResult): string => r.columns.map((c) => c.name).join(', ');
  if (names(planned) !== names(streamed)) return `columns differ: ${one} (${names(planned)}), ${two} (${names(streamed)})`;
  if (kinds.length !== planned.columns.length) return `the generator gave ${kinds.length} column kinds for ${planned.columns.length} columns`;
  const a = sortRows(planned.rows, kinds);
  const b = sortRows(streamed.rows, kinds);
  const both = `  ${one} (${a.length} rows):\n${showRows(a)}\n  ${two} (${b.length} rows):\n${showRows(b)}`;
  if (a.length !== b.length) return `row counts differ: ${one} ${a.length}, ${two} ${b.length}\n${both}`;
  for (let r = 0; r < a.length; r++) {
    for (let c = 0; c < kinds.length; c++) {
      if (!agrees(kinds[c]!, a[r]![c], b[r]![c])) {
        return `row ${r} column '${planned.columns[c]!.name}' (${kinds[c]}): ${one} ${showRow([a[r]![c]])}, ${two} ${showRow([b[r]![c]])}\n${both}`;
      }
    }
  }
  return undefined;
}
