// Whether a side's result is the whole truth: a side that lost records or map updates is not, and
// one whose aggregation map filled up lost them for a documented reason (the map's capacity).
import type { KernelRunInfo } from '../../src/engine/engine.js';

type RunFacts = Pick<KernelRunInfo, 'completeness' | 'kernelRows'> & { readonly plan: { readonly kernel: { readonly mode: { readonly kind: string; readonly maxEntries?: number } } } };

/** Whether a run's aggregation map reached its capacity, so that updates of new groups failed. */
export function mapFull(info: RunFacts): boolean {
  const mode = info.plan.kernel.mode;
  return mode.kind === 'aggregate' && mode.maxEntries !== undefined && info.completeness.failedUpdates > 0 && info.kernelRows >= mode.maxEntries;
}

export function lossOf(info: RunFacts): string | undefined {
  const c = info.completeness;
  return c.lostRecords > 0 || c.failedUpdates > 0 ? `${c.lostRecords} records lost, ${c.failedUpdates} map updates failed` : undefined;
}

/**
 * The first side filled its map and lost nothing else, and the second side is complete or filled
 * its map the same way: comparing the hooks, both sides run the same plan, so a workload with more
 * groups than the map holds fills both, and which groups got in depends on timing alone.
 */
export function bothFullOrComplete(a: RunFacts, b: RunFacts): boolean {
  const onlyFull = (i: RunFacts): boolean => mapFull(i) && i.completeness.lostRecords === 0;
  return onlyFull(a) && (lossOf(b) === undefined || onlyFull(b));
}
