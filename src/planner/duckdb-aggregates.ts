// DuckDB's side of the aggregates the kernel computes and DuckDB lacks. When a query streams raw
// rows instead (the kernel cannot compute all of it, or kernelAggregation is off), DuckDB computes
// hist, lhist and p50…p999 with these macros, bucketing exactly as the kernel does, so the two plans
// agree. stddev and quantile are DuckDB's own: its stddev is stddev_samp and its quantile is
// quantile_disc, which the kernel's versions follow (quantiles within their stated error).
import { HIST_TOP_LOG2 } from '../bpf-templates/aggregates/hist.js';
import { FIXED_QUANTILES } from '../bpf-templates/aggregates/quantile.js';

const MIN64 = '(-9223372036854775808)';
const MAX64 = '9223372036854775807';

/** A bucket list from a bucket-start expression and the bucket's end as a function of its start `e.key`. */
function bucketList(start: string, end: string): string {
  return `list_transform(list_sort(map_entries(histogram(${start}))), lambda e: {'lo': e.key::BIGINT, 'hi': (${end})::BIGINT, 'count': e.value::UBIGINT})`;
}

/** hist(x): see hist.ts for the buckets. bin(x) spells x in binary, so its length is 1 + floor(log2 x). */
function histMacro(): string {
  const top = `${1n << BigInt(HIST_TOP_LOG2)}`;
  const start = `CASE WHEN x < 0 THEN ${MIN64} WHEN x = 0 THEN 0 ELSE 1::BIGINT << least(length(bin(x)) - 1, ${HIST_TOP_LOG2}) END`;
  const end = `CASE WHEN e.key < 0 THEN -1 WHEN e.key = 0 THEN 0 WHEN e.key = ${top} THEN ${MAX64} ELSE e.key * 2 - 1 END`;
  return `CREATE OR REPLACE TEMP MACRO hist(x) AS ${bucketList(start, end)}`;
}

/** lhist(x, lo, hi, step): see lhist.ts. HUGEINT keeps x - lo from overflowing. */
function lhistMacro(): string {
  const [x, lo, hi, step] = ['x', 'lo', 'hi', 'step'].map((n) => `${n}::HUGEINT`) as [string, string, string, string];
  const start = `CASE WHEN ${x} < ${lo} THEN ${MIN64} WHEN ${x} >= ${hi} THEN ${hi} ELSE ${lo} + (${x} - ${lo}) // ${step} * ${step} END`;
  const end = `CASE WHEN e.key < ${lo} THEN ${lo} - 1 WHEN e.key >= ${hi} THEN ${MAX64} ELSE least(e.key + ${step}, ${hi}) - 1 END`;
  return `CREATE OR REPLACE TEMP MACRO lhist(x, lo, hi, step) AS ${bucketList(`(${start})::BIGINT`, end)}`;
}

/** Statements that define the macros; temporary, so a database file keeps none of them. */
export function duckdbAggregateMacros(): readonly string[] {
  const fixed = Object.entries(FIXED_QUANTILES).map(([name, q]) => `CREATE OR REPLACE TEMP MACRO ${name}(x) AS quantile_disc(x, ${q})`);
  return [histMacro(), lhistMacro(), ...fixed];
}
