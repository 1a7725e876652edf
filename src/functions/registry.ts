// Every aggregate function bpfql computes in the kernel, each defined in a file of its own. The
// planner's tables, the type checker's rules, the names the REPL completes and the DuckDB macros
// all come from this list: a new aggregate is its file and one line here.
import type { AggregateFunction } from './aggregate.js';
import { avgAggregate } from './avg.js';
import { countAggregate } from './count.js';
import { maxAggregate, minAggregate } from './extremum.js';
import { histAggregate } from './hist.js';
import { lhistAggregate } from './lhist.js';
import { fixedQuantileAggregate, quantileAggregate } from './quantile.js';
import { stddevAggregate } from './stddev.js';
import { sumAggregate } from './sum.js';
import { varianceAggregate } from './variance.js';

export const AGGREGATES = [
  countAggregate,
  sumAggregate,
  minAggregate,
  maxAggregate,
  avgAggregate,
  stddevAggregate,
  varianceAggregate,
  histAggregate,
  lhistAggregate,
  quantileAggregate,
  fixedQuantileAggregate('p50'),
  fixedQuantileAggregate('p90'),
  fixedQuantileAggregate('p95'),
  fixedQuantileAggregate('p99'),
  fixedQuantileAggregate('p999'),
] as const;

export type AggregateName = (typeof AGGREGATES)[number]['name'];

const BY_NAME: ReadonlyMap<string, AggregateFunction> = new Map(AGGREGATES.map((f) => [f.name, f]));

export function isKernelAggregate(name: string): name is AggregateName {
  return BY_NAME.has(name);
}

export function aggregateFunction(name: AggregateName): AggregateFunction {
  return BY_NAME.get(name)!;
}
