// What a running kernel query reports to live views (the REPL): its counters. The result as it
// would be if the query ended now (aggregate mode) is the store's to compute, from the snapshot
// (see store/materialize.ts).
import type { AggregateMode, StreamMode } from '../planner/plan.js';
import type { Completeness } from './completeness.js';
import { COMPLETE } from './completeness.js';
import type { KernelProgress } from './run-options.js';

export interface RunProgress {
  readonly elapsedMs: number;
  /** Stream mode: rows drained so far. Aggregate mode: groups so far. */
  readonly rows: number;
  /**
   * Events the kernel counted: rows in stream mode; in aggregate mode the sum of the query's
   * count(*) column, undefined when the query has none.
   */
  readonly events?: number;
  readonly completeness: Completeness;
}

export function runProgress(mode: AggregateMode | StreamMode, p: KernelProgress): RunProgress {
  const base = { elapsedMs: p.elapsedMs, rows: p.rows, completeness: p.completeness ?? COMPLETE };
  if (mode.kind === 'stream') return { ...base, events: p.rows };
  if (!p.snapshot) return base;
  const countSlot = mode.aggregates.findIndex((a) => a.fn === 'count' && a.arg === undefined);
  const counts = countSlot < 0 ? undefined : p.snapshot.data[mode.keys.length + countSlot];
  if (!counts || (counts.kind !== 'int64' && counts.kind !== 'number')) return base;
  let events = 0;
  for (const v of counts.values) events += Number(v ?? 0);
  return { ...base, events };
}
