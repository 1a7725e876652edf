// The one SQL scanner for text that may be bpfql's dialect or plain DuckDB SQL: it knows quotes,
// quoted identifiers, comments and parentheses, and nothing of either grammar. Splitting a script
// into statements, deciding whose a statement is and finding kernel queries inside other
// statements all read its tokens, so none of them mistakes a word inside a string, a quoted name
// or a comment for code (`SELECT 1 AS "from exec"`, `AS "--"`).

export type SqlTokenKind =
  /** A bare word: keyword, name or function (letters, digits, `_`, `$`). */
  | 'word'
  /** Digits, possibly glued to letters (`10s`, `1.5`, `0x1f`). */
  | 'number'
  /** `'…'`, with `''` inside; unterminated ones run to the end. */
  | 'string'
  /** `"…"`, with `""` inside. */
  | 'quoted'
  | 'comment'
  | 'space'
  /** Any other character, one at a time (`(`, `)`, `;`, `.`, `,`, `:`, operators). */
  | 'symbol';

export interface SqlToken {
  readonly kind: SqlTokenKind;
  /** Offsets into the scanned text, half-open. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The offset just past the quote closing the one at `open`; a doubled quote is an escape. */
function quotedEnd(sql: string, open: number): number {
  const quote = sql[open]!;
  let i = open + 1;
  for (;;) {
    const close = sql.indexOf(quote, i);
    if (close === -1) return sql.length;
    if (sql[close + 1] !== quote) return close + 1;
    i = close + 2;
  }
}

function commentEnd(sql: string, open: number): number {
  if (sql.startsWith('--', open)) {
    const newline = sql.indexOf('\n', open);
    return newline === -1 ? sql.length : newline;
  }
  const close = sql.indexOf('*/', open + 2);
  return close === -1 ? sql.length : close + 2;
}

const WORD = /[A-Za-z0-9_$\u0080-\uffff]/;

function tokenEnd(sql: string, i: number): { kind: SqlTokenKind; end: number } {
  const c = sql[i]!;
  if (c === "'" || c === '"') return { kind: c === "'" ? 'string' : 'quoted', end: quotedEnd(sql, i) };
  if (sql.startsWith('--', i) || sql.startsWith('/*', i)) return { kind: 'comment', end: commentEnd(sql, i) };
  if (/\s/.test(c)) {
    let j = i + 1;
    while (j < sql.length && /\s/.test(sql[j]!)) j++;
    return { kind: 'space', end: j };
  }
  if (/[0-9]/.test(c)) {
    let j = i + 1;
    while (j < sql.length && (WORD.test(sql[j]!) || (sql[j] === '.' && /[0-9]/.test(sql[j + 1] ?? '')))) j++;
    return { kind: 'number', end: j };
  }
  if (WORD.test(c)) {
    let j = i + 1;
    while (j < sql.length && WORD.test(sql[j]!)) j++;
    return { kind: 'word', end: j };
  }
  return { kind: 'symbol', end: i + 1 };
}

/** Every token of `sql`, spaces and comments included, covering the text without gaps. */
export function scanSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  while (i < sql.length) {
    const { kind, end } = tokenEnd(sql, i);
    tokens.push({ kind, start: i, end, text: sql.slice(i, end) });
    i = end;
  }
  return tokens;
}

/** The tokens that are code: no spaces, no comments. */
export function codeTokens(sql: string): SqlToken[] {
  return scanSql(sql).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
}

/** Whether a token is the bare word `word` (case-insensitive). */
export function isWord(t: SqlToken | undefined, word: string): boolean {
  return t !== undefined && t.kind === 'word' && t.text.toLowerCase() === word;
}

/** The name a word or quoted identifier denotes: words fold to lower case, quoted names keep their spelling. */
export function tokenName(t: SqlToken): string | undefined {
  if (t.kind === 'word') return t.text.toLowerCase();
  if (t.kind === 'quoted') return t.text.slice(1, -1).replaceAll('""', '"');
  return undefined;
}
