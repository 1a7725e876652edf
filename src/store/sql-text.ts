// Quoting for the SQL text the store and the output build around user-supplied names, paths and values.

/** A DuckDB identifier in double quotes, embedded quotes doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A DuckDB string literal in single quotes, embedded quotes doubled. */
export function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
