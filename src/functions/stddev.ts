// stddev(x): the sample standard deviation, as DuckDB's stddev (= stddev_samp) computes it: NULL
// for fewer than two values. The square root of the sample variance, from the exact sums of
// moments.ts; DuckDB computes its own stddev when the query streams.
import type { AggregateFunction } from './aggregate.js';
import { momentsState, sampleVariance } from './moments.js';

export const stddevAggregate: AggregateFunction<'stddev'> = {
  ...momentsState,
  name: 'stddev',
  finalize: (cpus, signed) => {
    const variance = sampleVariance(cpus, signed);
    return variance === null ? null : Math.sqrt(variance);
  },
};
