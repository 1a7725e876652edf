// Splits a script into statements on ';'. It reads the shared SQL scanner rather than bpfql's
// lexer: the script may hold plain DuckDB SQL that bpfql's lexer does not know, and only quotes
// and comments matter for finding the semicolons that end statements.
import { scanSql } from './scan.js';

export interface StatementText {
  readonly text: string;
  /** Offset of `text` in the script, so diagnostics can point into the script. */
  readonly start: number;
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
  for (const t of scanSql(script)) {
    if (t.kind === 'symbol' && t.text === ';') {
      finish(t.start);
      start = t.end;
    } else if (t.kind !== 'space' && t.kind !== 'comment') {
      hasCode = true;
    }
  }
  finish(script.length);
  return pieces;
}

/**
 * The bounds of the statement holding offset `at`: after the last code `;` before it, up to the
 * first code `;` after it (or the script's end). A `;` inside a string, quoted name or comment
 * does not end a statement, as in splitStatements.
 */
export function statementAround(script: string, at: number): { readonly start: number; readonly end: number } {
  let start = 0;
  for (const t of scanSql(script)) {
    if (t.kind !== 'symbol' || t.text !== ';') continue;
    if (t.start < at) start = t.end;
    else return { start, end: t.start };
  }
  return { start, end: script.length };
}
