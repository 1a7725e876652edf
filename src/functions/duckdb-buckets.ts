// The SQL the bucketing aggregates' DuckDB macros share: the bucket list built from each value's
// bucket start, in the kernel's result shape (STRUCT(lo, hi, count)[], non-empty buckets in order).

/** The BIGINT ends, spelled so DuckDB reads them as BIGINT. */
export const SQL_MIN64 = '(-9223372036854775808)';
export const SQL_MAX64 = '9223372036854775807';

/** A bucket list from a bucket-start expression and the bucket's end as a function of its start `e.key`. */
export function bucketList(start: string, end: string): string {
  return `list_transform(list_sort(map_entries(histogram(${start}))), lambda e: {'lo': e.key::BIGINT, 'hi': (${end})::BIGINT, 'count': e.value::UBIGINT})`;
}
