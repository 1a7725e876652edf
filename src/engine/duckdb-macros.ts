// Defines, once per session, the DuckDB macros that compute bpfql's aggregates DuckDB lacks
// (hist, lhist, p50…p999), for queries whose aggregates DuckDB computes from streamed rows.
import { duckdbAggregateMacros } from '../planner/duckdb-aggregates.js';
import type { Session } from '../sink/session.js';

export async function defineAggregateMacros(session: Session): Promise<void> {
  for (const sql of duckdbAggregateMacros()) await session.run(sql);
}
