// Aggregate mode: the program keeps per-CPU aggregates in a map, read when the query ends.
import { AGG_MAP } from '../bpf-templates/aggregate-program.js';
import type { ColumnBatch } from '../catalog/types.js';
import { possibleCpus } from '../kernel/cpus.js';
import type { BpfMap } from '../kernel/map.js';
import type { KernelPlan } from '../planner/plan.js';
import { AggregateDecoder } from './decode-aggregates.js';
import { readStats } from './read-stats.js';
import type { KernelRunOptions } from './run-options.js';
import type { Collected, Running } from './running.js';
import { Sleeper } from './sleeper.js';
import type { RowNames } from './row-names.js';

/** @param stacks names stack ids, for plans with stack columns (see stackTextFor). */
export function readAggregates(plan: KernelPlan, agg: BpfMap, drain = false, names: RowNames = {}): ColumnBatch {
  if (plan.mode.kind !== 'aggregate') throw new Error('not an aggregate plan');
  // Each batch is decoded in place as it is read, not copied: the buffers are sized for a full
  // batch (16 MB for a map of quantiles), and copying them each window cost a server of standing
  // queries most of its CPU and tens of MB of RSS.
  const decoder = new AggregateDecoder(plan.mode, possibleCpus(), names);
  agg.forEachBatch((keys, values, count) => decoder.add({ keys, values, count }), { drain });
  return decoder.finish();
}

/** The map is read once, when the query ends (and for live views as it runs). */
export async function aggregate(run: Running, opts: KernelRunOptions): Promise<Collected> {
  const agg = run.maps.get(AGG_MAP)!;
  const sleeper = new Sleeper([run.ended]);
  while (!run.stopped) {
    await sleeper.sleep(250);
    // run.stopped may have changed while awaiting; narrowing does not see that.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
    if (opts.onTick && !run.stopped) {
      const snapshot = readAggregates(run.plan, agg, false, run.names);
      await opts.onTick({ rows: snapshot.rowCount, elapsedMs: performance.now() - run.started, completeness: readStats(run.stats, run.programs), snapshot });
    }
  }
  const aggregate = readAggregates(run.plan, agg, false, run.names);
  return { aggregate, rows: aggregate.rowCount };
}
