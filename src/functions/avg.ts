// avg(x): the sum in the kernel, divided by the event count in user space.
import type { AggregateFunction } from './aggregate.js';
import { sumAggregate } from './sum.js';

export const avgAggregate: AggregateFunction<'avg'> = {
  ...sumAggregate,
  name: 'avg',
  result: 'double',
  finalize: (cpus, signed, params) => {
    const n = cpus.reduce((s, c) => s + c.count, 0n);
    if (n === 0n) return null;
    const sum = sumAggregate.finalize(cpus, signed, params) as bigint;
    return Number(sum) / Number(n);
  },
};
