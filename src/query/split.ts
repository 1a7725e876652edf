// Splits a script into statements on ';'. A small scanner of its own rather than the lexer: the
// script may hold plain DuckDB SQL that bpfql's lexer does not know, and only quotes and
// comments matter for finding the semicolons that end statements.

export interface StatementText {
  readonly text: string;
  /** Offset of `text` in the script, so diagnostics can point into the script. */
  readonly start: number;
}

/** The offset just past the quote closing the one at `open`; a doubled quote is an escape. */
function skipQuoted(script: string, open: number): number {
  const quote = script[open]!;
  let i = open + 1;
  for (;;) {
    const close = script.indexOf(quote, i);
    if (close === -1) return script.length;
    if (script[close + 1] !== quote) return close + 1;
    i = close + 2;
  }
}

function skipComment(script: string, open: number): number {
  if (script.startsWith('--', open)) {
    const newline = script.indexOf('\n', open);
    return newline === -1 ? script.length : newline + 1;
  }
  const close = script.indexOf('*/', open + 2);
  return close === -1 ? script.length : close + 2;
}

/**
 * The statements of `script`, without their ';' and surrounding whitespace. Pieces holding only
 * whitespace and comments are dropped. An unterminated string or comment runs to the end, so the
 * parser can report it.
 */
export function splitStatements(script: string): StatementText[] {
  const pieces: StatementText[] = [];
  let start = 0;
  let hasCode = false;
  const finish = (end: number): void => {
    if (hasCode) {
      const raw = script.slice(start, end);
      const lead = raw.length - raw.trimStart().length;
      pieces.push({ text: raw.trim(), start: start + lead });
    }
    hasCode = false;
  };
  let i = 0;
  while (i < script.length) {
    const c = script[i]!;
    if (c === "'" || c === '"') {
      hasCode = true;
      i = skipQuoted(script, i);
    } else if (script.startsWith('--', i) || script.startsWith('/*', i)) {
      i = skipComment(script, i);
    } else if (c === ';') {
      finish(i);
      i++;
      start = i;
    } else {
      if (!/\s/.test(c)) hasCode = true;
      i++;
    }
  }
  finish(script.length);
  return pieces;
}
