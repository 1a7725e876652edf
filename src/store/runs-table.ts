// bpfql_runs: one row per kernel query run in this database, with how complete its result was.
import type { Session } from './session.js';
import { quoteString } from '../query/sql-text.js';

export const RUNS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS bpfql_runs (
    run_id BIGINT, query VARCHAR, result_table VARCHAR, mode VARCHAR, started_at TIMESTAMP, ended_at TIMESTAMP,
    kernel_rows BIGINT, lost_records BIGINT, failed_map_updates BIGINT, lost_pairs BIGINT, missed_events BIGINT);
  -- Added after the first release: a database file made before it gains the column.
  ALTER TABLE bpfql_runs ADD COLUMN IF NOT EXISTS lost_stacks BIGINT DEFAULT 0`;

/** One run, as bpfql_runs records it. */
export interface RunRecord {
  readonly query: string;
  /** The table its result went to. */
  readonly table: string;
  /** The kernel plan's mode: 'aggregate' or 'stream'. */
  readonly mode: string;
  readonly startedAt: Date;
  readonly endedAt: Date;
  /** Rows or groups the kernel produced. */
  readonly kernelRows: number;
  /** What the kernel could not record. */
  readonly losses: { readonly lostRecords: number; readonly failedUpdates: number; readonly lostPairs: number; readonly lostStacks: number; readonly missedEvents: number };
}

export async function recordRun(session: Session, run: RunRecord): Promise<void> {
  const c = run.losses;
  await session.run(`INSERT INTO bpfql_runs (run_id, query, result_table, mode, started_at, ended_at, kernel_rows, lost_records, failed_map_updates, lost_pairs, missed_events, lost_stacks)
    SELECT coalesce(max(run_id), 0) + 1, ${quoteString(run.query)}, ${quoteString(run.table)},
    ${quoteString(run.mode)}, make_timestamp(${run.startedAt.getTime() * 1000}), make_timestamp(${run.endedAt.getTime() * 1000}),
    ${run.kernelRows}, ${c.lostRecords}, ${c.failedUpdates}, ${c.lostPairs}, ${c.missedEvents}, ${c.lostStacks} FROM bpfql_runs`);
}
