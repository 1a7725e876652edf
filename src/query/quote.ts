// Quoting in the SQL bpfql writes, for DuckDB and for its own parser: the one place that knows
// when a name needs double quotes and how names and text are quoted.
import { keywordTokens } from './lexer.js';

/** bpfql's keywords, which must be quoted to be read as names. */
const ourKeywords: ReadonlySet<string> = new Set([...keywordTokens].map((t) => t.name.toLowerCase()));

/**
 * Words DuckDB's grammar does not take as a bare column or table name beyond ours: its reserved
 * and type_function keywords (duckdb_keywords()). Quoting a name is always safe, so this errs on
 * the long side.
 */
const duckdbReserved: ReadonlySet<string> = new Set([
  'all', 'analyse', 'analyze', 'any', 'array', 'asof', 'asymmetric', 'at', 'authorization', 'binary', 'both',
  'check', 'collate', 'collation', 'column', 'columns', 'concurrently', 'constraint', 'cross', 'default',
  'deferrable', 'do', 'except', 'fetch', 'foreign', 'freeze', 'full', 'generated', 'glob', 'grant', 'initially',
  'inner', 'intersect', 'isnull', 'join', 'lambda', 'lateral', 'leading', 'left', 'map', 'natural', 'notnull',
  'offset', 'on', 'only', 'outer', 'overlaps', 'pivot', 'pivot_longer', 'pivot_wider', 'placing', 'positional',
  'primary', 'qualify', 'references', 'returning', 'right', 'semi', 'anti', 'similar', 'some', 'struct',
  'summarize', 'symmetric', 'tablesample', 'to', 'trailing', 'try_cast', 'union', 'unique', 'unpack', 'unpivot',
  'using', 'variadic', 'verbose', 'window', 'with',
]);

const plainName = /^[a-z_][a-z0-9_]*$/;

function doubleQuoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A column, table or alias name as both DuckDB and bpfql read it back: bare when it is lower-case
 * and no keyword in either dialect, else in double quotes (a bare name folds to lower case).
 */
export function quoteIdent(name: string): string {
  return plainName.test(name) && !ourKeywords.has(name) && !duckdbReserved.has(name) ? name : doubleQuoted(name);
}

/** A function or type name: DuckDB's keywords may name functions (`left(s, 2)`), bpfql's may not. */
export function quoteFunctionName(name: string): string {
  return plainName.test(name) && !ourKeywords.has(name) ? name : doubleQuoted(name);
}

/** A string literal in single quotes, embedded quotes doubled. */
export function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
