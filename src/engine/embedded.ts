// Kernel queries inside larger statements: `WITH e AS (SELECT … FROM exec … FOR 5s) SELECT … FROM e
// JOIN read_parquet(…)`. Each parenthesised SELECT that names a kernel table runs as a kernel
// query into a table of its own; the statement, with those subqueries replaced by the tables,
// then goes to DuckDB.
import type { Catalog } from '../catalog/catalog.js';
import { classify } from './classify.js';

export interface Subquery {
  /** Offsets of the text between the parentheses. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The innermost parenthesised SELECTs that name a kernel table, in order. */
export function kernelSubqueries(sql: string, catalog: Catalog): Subquery[] {
  const found: Subquery[] = [];
  const open: number[] = [];
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      i = skipQuoted(sql, i, ch);
    } else if (ch === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 1;
    } else if (ch === '(') {
      open.push(i);
    } else if (ch === ')' && open.length > 0) {
      const start = open.pop()! + 1;
      const text = sql.slice(start, i);
      const nested = found.some((f) => f.start >= start && f.end <= i);
      if (!nested && /^\s*select\b/i.test(text) && classify(text, catalog) === 'kernel') found.push({ start, end: i, text });
    }
  }
  return found;
}

function skipQuoted(sql: string, i: number, quote: string): number {
  for (let j = i + 1; j < sql.length; j++) {
    if (sql[j] === quote) {
      if (sql[j + 1] === quote) j++;
      else return j;
    }
  }
  return sql.length;
}

/** The statement with each subquery replaced by `SELECT * FROM <table>`. */
export function replaceSubqueries(sql: string, subs: readonly Subquery[], tables: readonly string[]): string {
  let out = '';
  let at = 0;
  subs.forEach((s, i) => {
    out += `${sql.slice(at, s.start)}SELECT * FROM ${tables[i]}`;
    at = s.end;
  });
  return out + sql.slice(at);
}
