// The aggregates the kernel computes, by name.
import type { AggregateName } from '../../planner/plan.js';
import type { KernelAggregate } from './aggregate.js';
import { avgAggregate } from './avg.js';
import { countAggregate } from './count.js';
import { maxAggregate, minAggregate } from './extremum.js';
import { sumAggregate } from './sum.js';

export const KERNEL_AGGREGATES: { readonly [N in AggregateName]: KernelAggregate } = {
  count: countAggregate,
  sum: sumAggregate,
  min: minAggregate,
  max: maxAggregate,
  avg: avgAggregate,
};

export function isKernelAggregate(name: string): name is AggregateName {
  return Object.hasOwn(KERNEL_AGGREGATES, name);
}
