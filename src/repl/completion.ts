// Tab completion, pure: given the text, the cursor and the names the REPL knows (kernel tables,
// DuckDB tables, columns), what the word before the cursor could become. Table names complete one
// dotted segment at a time, so two thousand tracepoints read as a few dozen categories.
import { AGGREGATE_FUNCTIONS } from '../functions/names.js';
import { FORMATS, META_NAMES } from './meta.js';
import { statementAround } from '../query/split.js';

export interface CompletionNames {
  /** Kernel tables (curated, then tracepoint.<category>.<event>) and DuckDB tables. */
  readonly tables: readonly string[];
  /** The columns of a table, empty when it is unknown. */
  readonly columnsOf: (table: string) => readonly string[];
  /** The kernel struct members after a path's dotted parts on a table (`next` → comm, prio, …); empty when none. */
  readonly membersOf?: (table: string, parts: readonly string[]) => readonly string[];
}

export interface Completion {
  /** The text from `start` to the cursor is what the candidates replace. */
  readonly start: number;
  readonly candidates: readonly string[];
}

const KEYWORDS = [
  'SELECT', 'FROM', 'WHERE', 'GROUP', 'BY', 'HAVING', 'ORDER', 'LIMIT', 'FOR', 'EVERY', 'AS', 'ASC', 'DESC',
  'AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'LIKE', 'ILIKE', 'BETWEEN', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END',
  'CAST', 'DISTINCT', 'TRUE', 'FALSE', 'EXPLAIN', 'SHOW', 'TABLES', 'DESCRIBE', 'CREATE', 'TABLE', 'INSERT',
  'INTO', 'JOIN', 'ON', 'WITH', 'UNION', 'ALL', 'COPY', 'TO', 'DROP',
];

const FUNCTIONS = [...AGGREGATE_FUNCTIONS].sort();

/** Words after which a table name comes. */
const TABLE_CONTEXT = /\b(?:from|join|into|table|describe|desc)\s+$/i;

/** Table names following FROM or JOIN in `text`, lower-cased. */
export function tablesIn(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\b(?:from|join)\s+([A-Za-z_][\w.]*)/gi)) {
    const name = m[1]!.toLowerCase();
    if (!found.includes(name)) found.push(name);
  }
  return found;
}

const startsWithCi = (s: string, prefix: string): boolean => s.toLowerCase().startsWith(prefix.toLowerCase());

/** Keeps the part of each name up to the first '.' after the prefix, so one segment completes at a time. */
function oneSegment(names: readonly string[], prefix: string): string[] {
  const out = new Set<string>();
  for (const n of names) {
    const dot = n.indexOf('.', prefix.length);
    out.add(dot === -1 ? n : n.slice(0, dot + 1));
  }
  return [...out];
}

/** Keywords in the case the user is typing in: lower case once a lower-case letter was typed. */
function keywordCase(prefix: string): (k: string) => string {
  return /[a-z]/.test(prefix) ? (k) => k.toLowerCase() : (k) => k;
}

function matching(names: readonly string[], prefix: string): string[] {
  return [...new Set(names.filter((n) => startsWithCi(n, prefix)))].sort((a, b) => a.localeCompare(b));
}

export function complete(text: string, cursor: number, names: CompletionNames): Completion {
  const before = text.slice(0, cursor);
  const start = before.search(/[\w.]*$/);
  const prefix = before.slice(start);
  // The statement around the cursor, found by the SQL scanner (a ';' in a string is not an end).
  const around = statementAround(text, cursor);
  const stmtStart = around.start;
  const statement = text.slice(around.start, around.end);
  const lead = before.slice(stmtStart, start);

  if (/^\s*$/.test(lead) && prefix.startsWith('.')) return { start, candidates: matching(META_NAMES, prefix) };
  const meta = /^\s*(\.\w+)\s+$/.exec(lead);
  if (meta) {
    const args: Record<string, readonly string[]> = { '.schema': names.tables, '.format': FORMATS, '.timer': ['on', 'off'] };
    const choices = args[meta[1]!.toLowerCase()] ?? [];
    return { start, candidates: oneSegment(matching(choices, prefix), prefix) };
  }
  if (TABLE_CONTEXT.test(lead)) return { start, candidates: oneSegment(matching(names.tables, prefix), prefix) };
  if (/\b(?:group|order)\s+$/i.test(lead)) return { start, candidates: matching(['BY'], prefix).map(keywordCase(prefix)) };
  // A dotted word elsewhere is a member path (`next.pr` → next.prio) or a qualified name.
  if (prefix.includes('.')) {
    const parts = prefix.split('.');
    const head = parts.slice(0, -1);
    const members = tablesIn(statement).flatMap((t) => names.membersOf?.(t, head) ?? []);
    return { start, candidates: matching(members.map((m) => `${head.join('.')}.${m}`), prefix) };
  }
  const columns = tablesIn(statement).flatMap((t) => names.columnsOf(t));
  const kw = keywordCase(prefix);
  return {
    start,
    candidates: [...matching(columns, prefix), ...matching(FUNCTIONS, prefix).filter((f) => !columns.includes(f)), ...matching(KEYWORDS, prefix).map(kw)],
  };
}

/** The longest prefix all candidates share (compared ignoring case; spelled as the first). */
export function commonPrefix(candidates: readonly string[]): string {
  const first = candidates[0];
  if (first === undefined) return '';
  let n = first.length;
  for (const c of candidates) {
    let i = 0;
    while (i < n && i < c.length && c[i]!.toLowerCase() === first[i]!.toLowerCase()) i++;
    n = i;
  }
  return first.slice(0, n);
}
