// Quoting for the SQL text bpfql builds around user-supplied names, paths and values; it sits in
// the lowest layer so that the store, the output and the engine share it without importing each other.

/** A DuckDB identifier in double quotes, embedded quotes doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A DuckDB string literal in single quotes, embedded quotes doubled. */
export function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
