// Kernel queries inside larger statements: `WITH e AS (SELECT … FROM exec … FOR 5s) SELECT … FROM e
// JOIN read_parquet(…)`. Each parenthesised SELECT that names a kernel table runs as a kernel
// query into a table of its own; the statement, with those subqueries replaced by the tables,
// then goes to DuckDB.
import type { Catalog } from '../catalog/catalog.js';
import { codeTokens, isWord, scanSql } from '../query/scan.js';
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
  for (const t of scanSql(sql)) {
    if (t.kind !== 'symbol') continue;
    if (t.text === '(') {
      open.push(t.end);
    } else if (t.text === ')' && open.length > 0) {
      const start = open.pop()!;
      const text = sql.slice(start, t.start);
      const nested = found.some((f) => f.start >= start && f.end <= t.start);
      if (!nested && isWord(codeTokens(text)[0], 'select') && classify(text, catalog) === 'kernel') found.push({ start, end: t.start, text });
    }
  }
  return found;
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
