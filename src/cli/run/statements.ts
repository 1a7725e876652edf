// The statements of `bpfql run`, checked (parsed, planned, and their DuckDB part bound) before anything is attached: kernel queries run while the
// command runs, each into a named table; plain DuckDB statements run after the command has exited
// and every query has ended (to derive tables for assertions).
import { QueryError, diagnostic } from '../../diag/diagnostic.js';
import type { StatementClass } from '../../engine/classify.js';
import type { SelectQuery, Statement } from '../../query/ast.js';
import { parseStatement } from '../../query/parse.js';
import { splitStatements } from '../../query/split.js';
import { assertNever } from '../../diag/assert-never.js';

/** One `-e` text or `-f` file: `name` is how diagnostics call it. */
export interface ScriptSource {
  readonly name: string;
  readonly text: string;
}

interface Located {
  readonly source: ScriptSource;
  /** Offset of the statement in its source. */
  readonly start: number;
  /** The statement as written. */
  readonly statement: string;
}

export type RunStatement =
  /** A kernel query; `execute` is the text given to the engine, `table` where its result lands. */
  | (Located & { readonly kind: 'trace'; readonly table: string; readonly execute: string })
  | (Located & { readonly kind: 'sql' });

export interface StatementEnv {
  classify(text: string): StatementClass;
  /** The statement is not a kernel query but holds some, e.g. `SELECT ... FROM (SELECT ... FROM exec)`. */
  embedsKernelQueries(text: string): boolean;
  /**
   * Plans and checks without running (`text`: the statement, which diagnostics point into);
   * throws QueryError for a query that can't run, the DuckDB part's mistakes included.
   */
  prepare(query: SelectQuery, text: string): void | Promise<void>;
}

/** A QueryError of one statement, with the source its spans point into. */
export class StatementError extends Error {
  constructor(readonly error: QueryError, readonly source: ScriptSource) {
    super(error.message);
    this.name = 'StatementError';
  }
}

function shifted(e: QueryError, by: number): QueryError {
  return new QueryError(e.diagnostics.map((d) => ({ ...d, span: { start: d.span.start + by, end: d.span.end + by } })));
}

function unsupported(feature: string, stmt: Statement): QueryError {
  return new QueryError([diagnostic('unsupported', { feature }, stmt.span)]);
}

/** Parses a kernel statement; one that only holds kernel queries gets a clearer error than the parser's. */
function parseKernel(text: string, env: StatementEnv): Statement {
  try {
    return parseStatement(text);
  } catch (e) {
    if (!(e instanceof QueryError) || !env.embedsKernelQueries(text)) throw e;
    throw new QueryError([diagnostic('unsupported', {
      feature: 'a kernel query inside another statement in bpfql run (make it CREATE TABLE t AS ..., then use t in a later statement)',
    }, { start: 0, end: text.length })]);
  }
}

interface Parsed extends Located {
  readonly parsed?: Statement;
}

/** The query a kernel statement runs, refusing those that trace nothing or depend on each other. */
function queryOf(stmt: Statement): SelectQuery {
  switch (stmt.kind) {
    case 'query':
    case 'create-table-as':
      return stmt.query;
    case 'insert-into':
      // The queries end together when the command exits, so the table's creator may not have finished.
      throw unsupported('INSERT INTO in bpfql run (use CREATE TABLE ... AS)', stmt);
    case 'explain':
      throw unsupported('EXPLAIN in bpfql run (it traces nothing)', stmt);
    case 'show-tables':
      throw unsupported('SHOW TABLES in bpfql run (it traces nothing)', stmt);
    case 'describe': case 'describe-struct':
      throw unsupported('DESCRIBE in bpfql run (it traces nothing)', stmt);
    default:
      return assertNever(stmt);
  }
}

/**
 * Splits, classifies, parses and plans every statement, in order. A bare query's result is
 * `last` when it is the only bare query, otherwise q1, q2, ... in order. Throws StatementError.
 */
export async function planStatements(sources: readonly ScriptSource[], env: StatementEnv): Promise<RunStatement[]> {
  const parsed: Parsed[] = [];
  for (const source of sources) {
    for (const piece of splitStatements(source.text)) {
      const located = { source, start: piece.start, statement: piece.text };
      try {
        if (env.classify(piece.text) === 'duckdb') {
          parsed.push(located);
          continue;
        }
        const stmt = parseKernel(piece.text, env);
        await env.prepare(queryOf(stmt), piece.text);
        parsed.push({ ...located, parsed: stmt });
      } catch (e) {
        throw e instanceof QueryError ? new StatementError(shifted(e, piece.start), source) : e;
      }
    }
  }
  const bare = parsed.filter((p) => p.parsed?.kind === 'query').length;
  const tables = new Set<string>();
  let nextBare = 0;
  return parsed.map((p): RunStatement => {
    const { source, start, statement } = p;
    if (p.parsed === undefined) return { kind: 'sql', source, start, statement };
    const stmt = p.parsed;
    let table: string;
    let execute = statement;
    if (stmt.kind === 'create-table-as') {
      table = stmt.table;
    } else if (bare === 1) {
      table = 'last';
    } else {
      table = `q${++nextBare}`;
      execute = `CREATE TABLE ${table} AS ${statement}`;
    }
    const key = table.toLowerCase();
    if (tables.has(key)) {
      throw new StatementError(shifted(unsupported(`a second query into table ${table}`, stmt), start), source);
    }
    tables.add(key);
    return { kind: 'trace', source, start, statement, table, execute };
  });
}
