// Decides which statements are bpfql's and which go to DuckDB unchanged. bpfql's: those naming a
// kernel table (FROM/JOIN, DESCRIBE, a table function such as uprobe(…)), SHOW TABLES, and those
// written in bpfql's dialect — `FOR <duration>`, `EVERY <duration>`, or a bpftrace-style probe
// (`FROM tracepoint:syscalls:sys_enter_openat`) — so that their mistakes get bpfql's diagnostics
// instead of DuckDB's. It reads the shared scanner's tokens, so strings, quoted identifiers and
// comments never count as code.
import type { Catalog } from '../catalog/catalog.js';
import { TABLE_FUNCTIONS } from '../catalog/probe-tables.js';
import { codeTokens, isWord, tokenName, type SqlToken } from '../query/scan.js';

export type StatementClass = 'kernel' | 'duckdb';

/** A dotted table name starting at token `i`: its text and the index after it. */
export function dottedName(tokens: readonly SqlToken[], i: number): { name: string; next: number } | undefined {
  const parts: string[] = [];
  let j = i;
  for (;;) {
    const t = tokens[j];
    // `*` after a dot stands for every event of a category (`tracepoint.sched.*`).
    const part = t && (parts.length > 0 && isSymbol(t, '*') ? '*' : tokenName(t));
    if (part === undefined) return parts.length === 0 ? undefined : { name: parts.join('.'), next: j };
    parts.push(part);
    j++;
    if (!(tokens[j]?.kind === 'symbol' && tokens[j]!.text === '.')) return { name: parts.join('.'), next: j };
    j++;
  }
}

function isSymbol(t: SqlToken | undefined, text: string): boolean {
  return t !== undefined && t.kind === 'symbol' && t.text === text;
}

/** `FOR 5s` / `EVERY 1s`: a duration clause, which DuckDB's grammar never has. */
function usesDialect(tokens: readonly SqlToken[]): boolean {
  return tokens.some((t, i) => (isWord(t, 'for') || isWord(t, 'every')) && tokens[i + 1]?.kind === 'number');
}

/** Whether a table name after FROM/JOIN at token `i` is a kernel table or a bpftrace probe. */
export function namesKernelTable(tokens: readonly SqlToken[], i: number, catalog: Catalog): boolean {
  const ref = dottedName(tokens, i);
  if (ref === undefined) return false;
  // `uprobe('/bin/bash', 'readline')`, `profile(99)`: a kernel table named by a call.
  if (isSymbol(tokens[ref.next], '(') && TABLE_FUNCTIONS.includes(ref.name.toLowerCase())) return true;
  // `tracepoint:syscalls:sys_enter_openat`, `kprobe:vfs_read`: bpftrace's spelling of a probe.
  if (isSymbol(tokens[ref.next], ':') && tokens[i]!.kind === 'word') return true;
  // `syscalls.openat`: a kernel table's name with more after it is a kernel table misspelt.
  return catalog.isKernelTableName(ref.name) || (ref.name.includes('.') && catalog.isKernelTableName(ref.name.split('.')[0]!));
}

export function classify(sql: string, catalog: Catalog): StatementClass {
  const tokens = codeTokens(sql);
  const body = isSymbol(tokens[tokens.length - 1], ';') ? tokens.slice(0, -1) : tokens;
  if (body.length === 2 && isWord(body[0], 'show') && isWord(body[1], 'tables')) return 'kernel';
  if (isWord(body[0], 'describe') || isWord(body[0], 'desc')) {
    if (isWord(body[1], 'struct') && body.length === 3) return 'kernel';
    const ref = dottedName(body, 1);
    return ref !== undefined && ref.next === body.length && catalog.isKernelTableName(ref.name) ? 'kernel' : 'duckdb';
  }
  for (let i = 0; i < body.length; i++) {
    if ((isWord(body[i], 'from') || isWord(body[i], 'join')) && namesKernelTable(body, i + 1, catalog)) return 'kernel';
  }
  return usesDialect(body) ? 'kernel' : 'duckdb';
}
