// DuckDB's side of the aggregates the kernel computes and DuckDB lacks (hist, lhist, p50…p999).
// When a query streams raw rows instead (the kernel cannot compute all of it, or
// kernelAggregation is off), DuckDB computes them with these macros, which each function defines
// to agree with its kernel code. The others (stddev, quantile, …) are DuckDB's own, which the
// kernel's versions follow.
import { AGGREGATES } from './registry.js';

/** Statements that define the macros; temporary, so a database file keeps none of them. */
export function duckdbAggregateMacros(): readonly string[] {
  return AGGREGATES.flatMap((f) => (f.duckdbMacro === undefined ? [] : [f.duckdbMacro]));
}
