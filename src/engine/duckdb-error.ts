// DuckDB's errors as bpfql diagnostics. DuckDB reports a problem in the SQL it was given — for a
// kernel query that is bpfql's residual SQL over an internal table, not the user's text — so the
// error is mapped back: the word DuckDB points at (or names in its message) is looked up in the
// user's own statement, and internal table names never reach the user.
import { diagnostic, type Diagnostic } from '../diag/diagnostic.js';
import { span, type Span } from '../diag/span.js';
import { codeTokens, scanSql, type SqlToken } from '../query/scan.js';

/** DuckDB error classes that mean the SQL is wrong (exit 2), rather than the environment (exit 1). */
const QUERY_ERROR_KINDS: ReadonlySet<string> = new Set([
  'Parser', 'Binder', 'Catalog', 'Conversion', 'Invalid Input', 'Out of Range', 'Not implemented', 'Constraint',
]);

export interface DuckdbFailure {
  /** `Binder`, `Catalog`, … (the word before ` Error:`). */
  readonly kind: string;
  /** The first line of the message, without the class. */
  readonly message: string;
  /** DuckDB's own "Did you mean" names. */
  readonly suggestions: readonly string[];
  /** Offset DuckDB's caret points at, in the SQL DuckDB ran. */
  readonly position?: number;
}

/** The offset of DuckDB's `LINE n: …` caret in `sql`, when the excerpt can be found there. */
function caretOffset(lines: readonly string[], sql: string): number | undefined {
  const at = lines.findIndex((l) => /^LINE \d+: /.test(l));
  const caretLine = lines[at + 1];
  if (at < 0 || caretLine === undefined) return undefined;
  const m = /^LINE (\d+): (.*)$/.exec(lines[at]!)!;
  const lineNo = Number(m[1]);
  let excerpt = m[2]!;
  let column = caretLine.indexOf('^') - (m[0].length - excerpt.length);
  if (column < 0) return undefined;
  if (excerpt.startsWith('...')) {
    excerpt = excerpt.slice(3);
    column -= 3;
  }
  if (excerpt.endsWith('...')) excerpt = excerpt.slice(0, -3);
  const sqlLines = sql.split('\n');
  const line = sqlLines[lineNo - 1];
  if (line === undefined) return undefined;
  const inLine = line.indexOf(excerpt);
  if (inLine < 0) return undefined;
  const lineStart = sqlLines.slice(0, lineNo - 1).reduce((n, l) => n + l.length + 1, 0);
  return lineStart + inLine + column;
}

/** A DuckDB error about the SQL `sql`; undefined for anything else (I/O, a locked file, …). */
export function duckdbFailure(e: unknown, sql: string): DuckdbFailure | undefined {
  if (!(e instanceof Error)) return undefined;
  const lines = e.message.split('\n');
  const m = /^([A-Za-z ]+?) Error: (.*)$/.exec(lines[0]!);
  if (!m || !QUERY_ERROR_KINDS.has(m[1]!)) return undefined;
  const suggestions = [...e.message.matchAll(/Did you mean "([^"]+)"/g)].map((x) => x[1]!);
  const position = caretOffset(lines, sql);
  return { kind: m[1]!, message: m[2]!, suggestions, ...(position !== undefined ? { position } : {}) };
}

/** Whether a token of the user's text stands for the same thing as `text` from DuckDB's SQL or message. */
function same(t: SqlToken, text: string): boolean {
  if (t.kind === 'word') return t.text.toLowerCase() === text.toLowerCase();
  return t.text === text;
}

/** The words DuckDB's message names: quoted names, `with name X`, a function in `'upper(BIGINT)'`. */
function namedInMessage(message: string): string[] {
  const out: string[] = [];
  const named = /with name (\S+?)(?: does|!|$)/.exec(message);
  if (named) out.push(named[1]!);
  for (const q of message.matchAll(/"([^"]+)"/g)) out.push(q[1]!, `"${q[1]!}"`);
  for (const q of message.matchAll(/'([^']*)'/g)) {
    const fn = /^([A-Za-z_][\w]*)\(/.exec(q[1]!);
    out.push(fn ? fn[1]! : `'${q[1]!}'`);
  }
  return out;
}

/** What DuckDB points at, found in the user's text; undefined when it cannot be told. */
export function locate(f: DuckdbFailure, ranSql: string, userText: string): { span: Span; token: SqlToken } | undefined {
  const user = codeTokens(userText);
  if (ranSql === userText && f.position !== undefined) {
    const t = user.find((u) => u.start <= f.position! && f.position! < u.end);
    if (t) return { span: span(t.start, t.end), token: t };
  }
  const wanted: string[] = [];
  if (f.position !== undefined) {
    const at = scanSql(ranSql).find((t) => t.start <= f.position! && f.position! < t.end);
    if (at && at.kind !== 'space' && at.kind !== 'comment' && !at.text.startsWith('__bpfql')) wanted.push(at.text);
  }
  wanted.push(...namedInMessage(f.message));
  for (const w of wanted) {
    const t = user.find((u) => same(u, w));
    if (t) return { span: span(t.start, t.end), token: t };
  }
  // `missing ): a(` (a bad regular expression): a string constant the message quotes without quotes.
  const quoted = user.find((u) => u.kind === 'string' && u.text.length > 2 && f.message.includes(u.text.slice(1, -1).replaceAll("''", "'")));
  return quoted ? { span: span(quoted.start, quoted.end), token: quoted } : undefined;
}

/** Internal names (bpfql's tables in DuckDB) as the user knows them. */
function userWords(message: string, table: string): string {
  return message.replace(/__bpfql_[a-z]*\d*/g, table);
}

/**
 * The diagnostic for a DuckDB error in SQL bpfql ran for the user's statement `userText`: an
 * unknown function gets its suggestions, a double-quoted "string" the hint to use single quotes,
 * anything else DuckDB's sentence; the range is what DuckDB points at, or the whole statement.
 */
export function duckdbDiagnostic(f: DuckdbFailure, ranSql: string, userText: string, table = 'the kernel rows'): Diagnostic {
  const found = locate(f, ranSql, userText);
  const where = found?.span ?? span(0, userText.trimEnd().length);
  const fn = /^Scalar Function with name (\S+) does not exist/.exec(f.message) ?? /^Function with name (\S+) does not exist/.exec(f.message);
  if (fn) return diagnostic('unknown-function', { name: fn[1]!, suggestions: f.suggestions }, where);
  if (found?.token.kind === 'quoted' && /^Referenced column/.test(f.message)) {
    return diagnostic('double-quoted-string', { name: found.token.text.slice(1, -1).replaceAll('""', '"') }, where);
  }
  return diagnostic('duckdb-error', { kind: f.kind, message: userWords(f.message, table) }, where);
}
