// Names of aggregate functions, so the planner can tell aggregates from scalar functions even
// when DuckDB (not the kernel) computes them: DuckDB's own, and bpfql's.
import { AGGREGATES } from './registry.js';

/** DuckDB's aggregates bpfql recognises: the common ones of its documentation. */
const DUCKDB_AGGREGATES = [
  'count', 'sum', 'min', 'max', 'avg', 'mean', 'median', 'mode', 'stddev', 'stddev_pop', 'stddev_samp',
  'variance', 'var_pop', 'var_samp', 'quantile', 'quantile_cont', 'quantile_disc', 'approx_count_distinct',
  'approx_quantile', 'string_agg', 'list', 'array_agg', 'first', 'last', 'any_value', 'arg_min', 'arg_max',
  'min_by', 'max_by', 'bit_and', 'bit_or', 'bit_xor', 'bool_and', 'bool_or', 'product', 'histogram',
  'entropy', 'kurtosis', 'skewness', 'fsum', 'sumkahan',
];

export const AGGREGATE_FUNCTIONS: ReadonlySet<string> = new Set([...DUCKDB_AGGREGATES, ...AGGREGATES.map((f) => f.name)]);

export function isAggregateCall(name: string): boolean {
  return AGGREGATE_FUNCTIONS.has(name.toLowerCase());
}
