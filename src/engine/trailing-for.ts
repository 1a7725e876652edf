// `SELECT … FROM (SELECT … FROM exec) FOR 5s`: a FOR ending a statement around kernel subqueries
// is the duration of each of them that has none of its own. It is found among the shared
// scanner's tokens, so a FOR inside a comment or a string is none.
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import type { Duration } from '../query/ast.js';
import { durationMs, isDurationText, MAX_DURATION_MS, MAX_DURATION_TEXT } from '../query/duration.js';
import { isWord, scanSql } from '../query/scan.js';

/**
 * A `FOR <duration>` ending the statement after offset `after`, if there is one: a space, FOR, a
 * space and digits with a unit, followed only by spaces, comments and one ';'. `start` is where
 * the space before FOR starts. A duration the dialect refuses (zero, or longer than
 * MAX_DURATION_MS) is a diagnostic at it, as in a query.
 */
export function trailingFor(sql: string, after: number): { start: number; duration: Duration } | undefined {
  const tokens = scanSql(sql.slice(after));
  let end = tokens.length;
  let semicolon = false;
  for (; end > 0; end--) {
    const t = tokens[end - 1]!;
    if (t.kind === 'symbol' && t.text === ';' && !semicolon) semicolon = true;
    else if (t.kind !== 'space' && t.kind !== 'comment') break;
  }
  if (end < 4) return undefined;
  const [space, word, gap, value] = [tokens[end - 4]!, tokens[end - 3]!, tokens[end - 2]!, tokens[end - 1]!];
  if (space.kind !== 'space' || !isWord(word, 'for') || gap.kind !== 'space' || value.kind !== 'number' || !isDurationText(value.text)) return undefined;
  const start = after + space.start;
  const text = value.text;
  const at = { start: after + value.start, end: after + value.end };
  const ms = durationMs(text);
  if (ms === undefined) throw new QueryError([diagnostic('bad-duration', { text }, at)]);
  if (ms > MAX_DURATION_MS) throw new QueryError([diagnostic('duration-too-long', { text, max: MAX_DURATION_TEXT }, at)]);
  return { start, duration: { ms, text, span: { start, end: sql.length } } };
}
