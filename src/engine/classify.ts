// Decides which statements are bpfql's (they name a kernel table, or are SHOW TABLES / EXPLAIN /
// DESCRIBE of a kernel table) and which go to DuckDB unchanged.
import type { Catalog } from '../catalog/catalog.js';

/** Strips strings, quoted identifiers and comments so that keywords inside them are not seen. */
function codeOnly(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''");
}

export type StatementClass = 'kernel' | 'duckdb';

export function classify(sql: string, catalog: Catalog): StatementClass {
  const code = codeOnly(sql).trim();
  if (/^show\s+tables\s*;?$/i.test(code)) return 'kernel';
  const describe = /^(?:describe|desc)\s+([A-Za-z_][\w.]*)\s*;?$/i.exec(code);
  if (describe) return catalog.isKernelTableName(describe[1]!) ? 'kernel' : 'duckdb';
  for (const m of code.matchAll(/\b(?:from|join)\s+([A-Za-z_][\w]*(?:\s*\.\s*[A-Za-z_]\w*)*)/gi)) {
    if (catalog.isKernelTableName(m[1]!.replace(/\s+/g, ''))) return 'kernel';
  }
  if (/\bfrom\s+uprobe\s*\(/i.test(code)) return 'kernel';
  return 'duckdb';
}
