// bpfql_runs: one row per kernel query run in this database, with how complete its result was.
import type { Session } from './session.js';
import type { KernelRunInfo } from '../engine/engine.js';

export const RUNS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS bpfql_runs (
    run_id BIGINT, query VARCHAR, result_table VARCHAR, mode VARCHAR, started_at TIMESTAMP, ended_at TIMESTAMP,
    kernel_rows BIGINT, lost_records BIGINT, failed_map_updates BIGINT, lost_pairs BIGINT, missed_events BIGINT)`;

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

export async function recordRun(session: Session, query: string, table: string, info: KernelRunInfo): Promise<void> {
  const c = info.completeness;
  await session.run(`INSERT INTO bpfql_runs SELECT coalesce(max(run_id), 0) + 1, ${sqlString(query)}, ${sqlString(table)},
    ${sqlString(info.plan.kernel.mode.kind)}, make_timestamp(${info.startedAt.getTime() * 1000}), make_timestamp(${info.endedAt.getTime() * 1000}),
    ${info.kernelRows}, ${c.lostRecords}, ${c.failedUpdates}, ${c.lostPairs}, ${c.missedEvents} FROM bpfql_runs`);
}
