// Baselines: a run's numeric results kept in one Parquet file, and a later run compared with them.
//
// The file holds one row per value: (table, key, metric, value). `key` is a JSON object of the
// row's VARCHAR and BOOLEAN columns (the columns that say which row it is, e.g. {"comm":"make"}),
// `metric` the name of a numeric column, `value` its value as a DOUBLE. Other columns
// (timestamps, lists, structs) are neither keys nor compared. One long table keeps results of
// any shape in one file that DuckDB can read back with read_parquet().
import type { Session } from '../../store/session.js';
import { exportQuery } from '../../output/export.js';
import { quoteIdent, quoteString } from '../../query/sql-text.js';

export interface TableShape {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
}

export interface BaselineValue {
  readonly table: string;
  readonly key: string;
  readonly metric: string;
  readonly value: number;
}

export interface Comparison {
  readonly table: string;
  readonly key: string;
  readonly metric: string;
  readonly baseline: number;
  readonly current: number;
  /** Growth in percent of the baseline; null when the baseline is 0 and the value grew. */
  readonly changePct: number | null;
  /** The value grew by more than the tolerance. */
  readonly regressed: boolean;
}

export interface Unmatched {
  readonly table: string;
  readonly key: string;
  readonly metric: string;
  /** new: only in this run; missing: only in the baseline; duplicate: the key names several rows. */
  readonly reason: 'new' | 'missing' | 'duplicate';
}

export interface BaselineComparison {
  readonly comparisons: readonly Comparison[];
  readonly unmatched: readonly Unmatched[];
}

const NUMERIC = /^(?:U?(?:TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL(?:\(\d+,\s*\d+\))?)$/;
const KEY = /^(?:VARCHAR|BOOLEAN)$/;

export function isMetricType(type: string): boolean {
  return NUMERIC.test(type);
}

export function isKeyType(type: string): boolean {
  return KEY.test(type);
}

/** SQL giving the baseline rows (table, key, metric, value) of the tables' current contents. */
export function baselineSql(tables: readonly TableShape[]): string {
  const parts: string[] = [];
  for (const t of tables) {
    const keys = t.columns.filter((c) => isKeyType(c.type));
    const key = keys.length === 0
      ? `'{}'`
      : `CAST(to_json({${keys.map((c) => `${quoteString(c.name)}: ${quoteIdent(c.name)}`).join(', ')}}) AS VARCHAR)`;
    for (const c of t.columns.filter((col) => isMetricType(col.type))) {
      parts.push(`SELECT ${quoteString(t.name)} AS "table", ${key} AS key, ${quoteString(c.name)} AS metric, CAST(${quoteIdent(c.name)} AS DOUBLE) AS value FROM ${quoteIdent(t.name)}`);
    }
  }
  if (parts.length === 0) return `SELECT NULL::VARCHAR AS "table", NULL::VARCHAR AS key, NULL::VARCHAR AS metric, NULL::DOUBLE AS value WHERE false`;
  return parts.join('\nUNION ALL\n');
}

const id = (v: { readonly table: string; readonly key: string; readonly metric: string }): string => `${v.table}\u0000${v.key}\u0000${v.metric}`;

function grouped(values: readonly BaselineValue[]): Map<string, BaselineValue[]> {
  const map = new Map<string, BaselineValue[]>();
  for (const v of values) {
    const list = map.get(id(v));
    if (list) list.push(v);
    else map.set(id(v), [v]);
  }
  return map;
}

/** By table, then key, then metric: the NUL separator sorts below every other character. */
function byName(a: Parameters<typeof id>[0], b: Parameters<typeof id>[0]): number {
  const x = id(a);
  const y = id(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function compareValue(table: string, key: string, metric: string, baseline: number, current: number, tolerancePct: number): Comparison {
  const base = Math.abs(baseline);
  const growth = current - baseline;
  // Growth from 0 is unbounded: all of it is a regression.
  const regressed = base === 0 ? growth > 0 : growth * 100 > tolerancePct * base;
  const changePct = base === 0 ? (growth === 0 ? 0 : null) : (growth / base) * 100;
  return { table, key, metric, baseline, current, changePct, regressed };
}

/** Compares every value present once in both runs; the rest are listed as unmatched. */
export function compareBaseline(baseline: readonly BaselineValue[], current: readonly BaselineValue[], tolerancePct: number): BaselineComparison {
  const before = grouped(baseline);
  const now = grouped(current);
  const comparisons: Comparison[] = [];
  const unmatched: Unmatched[] = [];
  for (const [k, [first, ...rest]] of now) {
    const { table, key, metric } = first!;
    const old = before.get(k);
    if (old === undefined) unmatched.push({ table, key, metric, reason: 'new' });
    else if (rest.length > 0 || old.length > 1) unmatched.push({ table, key, metric, reason: 'duplicate' });
    else comparisons.push(compareValue(table, key, metric, old[0]!.value, first!.value, tolerancePct));
  }
  for (const [k, [first]] of before) {
    if (!now.has(k)) unmatched.push({ table: first!.table, key: first!.key, metric: first!.metric, reason: 'missing' });
  }
  return { comparisons: comparisons.sort(byName), unmatched: unmatched.sort(byName) };
}

/** The shapes of the given tables, columns in table order. */
export async function tableShapes(session: Session, names: readonly string[]): Promise<TableShape[]> {
  const shapes: TableShape[] = [];
  for (const name of names) {
    const r = await session.run(`SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ${quoteString(name)} AND schema_name = 'main' ORDER BY column_index`);
    shapes.push({ name, columns: r.rows.map((row) => ({ name: String(row[0]), type: String(row[1]) })) });
  }
  return shapes;
}

function valuesOf(rows: readonly (readonly unknown[])[]): BaselineValue[] {
  return rows.map((r) => ({ table: String(r[0]), key: String(r[1]), metric: String(r[2]), value: Number(r[3]) }));
}

export async function currentValues(session: Session, tables: readonly TableShape[]): Promise<BaselineValue[]> {
  return valuesOf((await session.run(`SELECT * FROM (${baselineSql(tables)}) WHERE value IS NOT NULL`)).rows);
}

export async function saveBaseline(session: Session, tables: readonly TableShape[], path: string, metadata: Readonly<Record<string, string>>): Promise<void> {
  await exportQuery(session, `SELECT * FROM (${baselineSql(tables)}) WHERE value IS NOT NULL ORDER BY ALL`, path, { metadata });
}

export async function loadBaseline(session: Session, path: string): Promise<BaselineValue[]> {
  try {
    return valuesOf((await session.run(`SELECT "table", key, metric, value FROM read_parquet(${quoteString(path)}) WHERE value IS NOT NULL`)).rows);
  } catch (e) {
    throw new Error(`cannot read the baseline ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
