// `--assert SQL`: DuckDB SQL over the run's results whose first row's first column is the verdict.
// The whole row is kept, so `SELECT n <= 2000 AS ok, n FROM opens` reports n along with the verdict.
import type { QueryResult, Session } from '../../store/session.js';

export interface AssertionResult {
  readonly sql: string;
  readonly passed: boolean;
  /** The first row, by column name (empty when the query returned no row or failed). */
  readonly values: Readonly<Record<string, unknown>>;
  /** Why the assertion could not be decided: no row, a verdict that is not a boolean, an SQL error. */
  readonly error?: string;
}

/** Decides an assertion from its query result: only a first column that is true passes. */
export function verdictOf(sql: string, result: QueryResult): AssertionResult {
  const row = result.rows[0];
  if (row === undefined) return { sql, passed: false, values: {}, error: 'the query returned no row' };
  const values = Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]]));
  const verdict = row[0];
  if (verdict === true || verdict === false) return { sql, passed: verdict, values };
  if (verdict === null) return { sql, passed: false, values };
  return { sql, passed: false, values, error: `the first column is ${result.columns[0]?.type ?? 'missing'}, not a boolean verdict` };
}

/** Runs each assertion in order; a failing query fails its assertion and the rest still run. */
export async function runAssertions(session: Session, sqls: readonly string[]): Promise<AssertionResult[]> {
  const results: AssertionResult[] = [];
  for (const sql of sqls) {
    try {
      results.push(verdictOf(sql, await session.run(sql)));
    } catch (e) {
      results.push({ sql, passed: false, values: {}, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return results;
}
