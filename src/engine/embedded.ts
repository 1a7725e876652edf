// Kernel queries inside larger statements: `WITH e AS (SELECT … FROM exec … FOR 5s) SELECT … FROM e
// JOIN read_parquet(…)`. Each parenthesised SELECT that names a kernel table runs as a kernel
// query into a table of its own; the statement, with those subqueries replaced by the tables,
// then goes to DuckDB.
import type { Catalog } from '../catalog/catalog.js';
import { codeTokens, isWord } from '../query/scan.js';
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
  // The code tokens of the whole text, scanned once: what follows a '(' is its first token (a
  // token of the text between the parentheses would be read again at every ')' otherwise).
  const tokens = codeTokens(sql);
  const open: number[] = [];
  tokens.forEach((t, i) => {
    if (t.kind !== 'symbol') return;
    if (t.text === '(') {
      open.push(i);
    } else if (t.text === ')' && open.length > 0) {
      const at = open.pop()!;
      const start = tokens[at]!.end;
      const nested = found.some((f) => f.start >= start && f.end <= t.start);
      if (nested || !isWord(tokens[at + 1], 'select')) return;
      const text = sql.slice(start, t.start);
      if (classify(text, catalog) === 'kernel') found.push({ start, end: t.start, text });
    }
  });
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
