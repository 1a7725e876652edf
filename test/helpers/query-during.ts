// Runs a kernel query while a workload runs: the workload starts once the program is attached,
// and the query ends when the workload is done (and `settleMs` later, for events that complete
// after it, like block I/O in interrupt context).
import type { Engine, KernelRunInfo } from '../../src/engine/engine.js';
import type { QueryResult } from '../../src/store/session.js';

export interface QueryRun {
  readonly rows: QueryResult['rows'];
  readonly columns: readonly string[];
  readonly kernel: KernelRunInfo;
  /** The whole result, for tests that format it. */
  readonly result: QueryResult;
}

export async function queryDuring(engine: Engine, sql: string, workload: () => Promise<unknown>, settleMs = 0): Promise<QueryRun> {
  let attached!: () => void;
  const ready = new Promise<void>((resolve) => (attached = resolve));
  const until = ready.then(workload).then(() => new Promise((resolve) => setTimeout(resolve, settleMs)));
  const outcome = await engine.execute(sql, { onAttached: attached, until });
  // The workload's own failure is the test's failure.
  await until;
  if (outcome.kind !== 'rows' || !outcome.kernel) throw new Error(`'${sql}' gave no kernel rows`);
  return { rows: outcome.result.rows, columns: outcome.result.columns.map((c) => c.name), kernel: outcome.kernel, result: outcome.result };
}
