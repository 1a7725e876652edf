// What a running kernel query reports to live views (the REPL): its counters, and in aggregate
// mode the result as it would be if the query ended now, computed by the plan's own residual SQL
// over a snapshot of the map, so the live view shows exactly the columns the final result has.
import type { QueryResult, Session } from '../store/session.js';
import type { Plan } from '../planner/plan.js';
import { KERNEL_TABLE } from '../planner/plan.js';
import type { Completeness } from './completeness.js';
import { COMPLETE } from './completeness.js';
import type { KernelProgress } from './kernel-run.js';

export interface Progress {
  readonly elapsedMs: number;
  /** Stream mode: rows drained so far. Aggregate mode: groups so far. */
  readonly rows: number;
  /**
   * Events the kernel counted: rows in stream mode; in aggregate mode the sum of the query's
   * count(*) column, undefined when the query has none.
   */
  readonly events?: number;
  readonly completeness: Completeness;
  /** Aggregate mode: the current result. */
  readonly current?: QueryResult;
}

/** The table a snapshot is loaded into for one tick; dropped right after. */
const LIVE_TABLE = '__bpfql_live';

export async function progressOf(session: Session, plan: Plan, p: KernelProgress): Promise<Progress> {
  const base = { elapsedMs: p.elapsedMs, rows: p.rows, completeness: p.completeness ?? COMPLETE };
  const mode = plan.kernel.mode;
  if (mode.kind === 'stream') return { ...base, events: p.rows };
  if (!p.snapshot) return base;
  const countSlot = mode.aggregates.findIndex((a) => a.fn === 'count' && a.arg === undefined);
  const counts = countSlot < 0 ? undefined : p.snapshot.data[mode.keys.length + countSlot];
  let events: number | undefined;
  if (counts && (counts.kind === 'int64' || counts.kind === 'number')) {
    events = 0;
    for (const v of counts.values) events += Number(v ?? 0);
  }
  await session.createTable(LIVE_TABLE, plan.kernelColumns, { replace: true });
  await session.appendColumns(LIVE_TABLE, p.snapshot);
  const current = await session.run(plan.residualSql.replaceAll(KERNEL_TABLE, LIVE_TABLE));
  await session.run(`DROP TABLE ${LIVE_TABLE}`);
  return { ...base, ...(events !== undefined ? { events } : {}), current };
}
