// `WHERE comm = "bash"`: in SQL double quotes name a column, so DuckDB users who mean a string get
// "unknown column 'bash'". When an unknown column was written in double quotes, say what they meant.
import { diagnostic, QueryError } from '../diag/diagnostic.js';

/** `e` with unknown-column diagnostics at a double-quoted name in `text` turned into 'double-quoted-string'. */
export function doubleQuotedStrings(e: unknown, text: string): unknown {
  if (!(e instanceof QueryError)) return e;
  return new QueryError(e.diagnostics.map((d) =>
    d.code === 'unknown-column' && text[d.span.start] === '"' ? diagnostic('double-quoted-string', { name: d.params.name }, d.span) : d));
}
