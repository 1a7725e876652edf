// The aggregates the kernel computes, by name.
import type { AggregateName } from '../../planner/plan.js';
import type { KernelAggregate } from './aggregate.js';
import { avgAggregate } from './avg.js';
import { countAggregate } from './count.js';
import { maxAggregate, minAggregate } from './extremum.js';
import { histAggregate } from './hist.js';
import { lhistAggregate } from './lhist.js';
import { fixedQuantileAggregate, quantileAggregate } from './quantile.js';
import { stddevAggregate } from './stddev.js';
import { sumAggregate } from './sum.js';

export const KERNEL_AGGREGATES: { readonly [N in AggregateName]: KernelAggregate } = {
  count: countAggregate,
  sum: sumAggregate,
  min: minAggregate,
  max: maxAggregate,
  avg: avgAggregate,
  stddev: stddevAggregate,
  hist: histAggregate,
  lhist: lhistAggregate,
  quantile: quantileAggregate,
  p50: fixedQuantileAggregate('p50'),
  p90: fixedQuantileAggregate('p90'),
  p95: fixedQuantileAggregate('p95'),
  p99: fixedQuantileAggregate('p99'),
  p999: fixedQuantileAggregate('p999'),
};

export function isKernelAggregate(name: string): name is AggregateName {
  return Object.hasOwn(KERNEL_AGGREGATES, name);
}
