// variance(x): the sample variance, as DuckDB's variance (= var_samp) computes it: NULL for fewer
// than two values. In the kernel, the exact sums of moments.ts (shared with stddev(x) of the same
// x); DuckDB computes its own variance when the query streams.
import type { AggregateFunction } from './aggregate.js';
import { momentsState, sampleVariance } from './moments.js';

export const varianceAggregate: AggregateFunction<'variance'> = {
  ...momentsState,
  name: 'variance',
  finalize: sampleVariance,
};
