// Bar charts in text: histogram buckets as one bar per bucket (the way bpftrace prints them), and
// single values as a bar against the largest value of their column.

export interface BucketValue {
  readonly lo: number | bigint;
  readonly hi: number | bigint;
  readonly count: number | bigint;
}

/** A hist()/lhist() value as it comes out of DuckDB: a list of {lo, hi, count}. */
export function isBuckets(v: unknown): v is readonly BucketValue[] {
  return Array.isArray(v) && v.every((b: unknown) => {
    if (typeof b !== 'object' || b === null) return false;
    const o = b as Record<string, unknown>;
    return ['lo', 'hi', 'count'].every((k) => typeof o[k] === 'number' || typeof o[k] === 'bigint') && Object.keys(o).length === 3;
  });
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar `width` cells long at most, for value/max, in eighths of a cell. */
export function bar(value: number, max: number, width: number): string {
  if (!(max > 0) || !(value > 0) || width <= 0) return '';
  const eighths = Math.max(1, Math.round((Math.min(value, max) / max) * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8]!;
}

/** 1024-based suffixes for exact multiples, as bpftrace labels its power-of-two buckets. */
export function compactNumber(n: bigint): string {
  const units = ['', 'K', 'M', 'G', 'T', 'P'];
  let v = n;
  let u = 0;
  while (u < units.length - 1 && v !== 0n && v % 1024n === 0n) {
    v /= 1024n;
    u++;
  }
  return `${v}${units[u]}`;
}

/**
 * One line per bucket: `[lo, hi+1)  count |bar|`, the bars scaled to the largest count and the
 * whole no wider than `width`.
 */
export function histogramLines(buckets: readonly BucketValue[], width: number): string[] {
  if (buckets.length === 0) return ['(no values)'];
  const labels = buckets.map((b) => `[${compactNumber(BigInt(b.lo))}, ${compactNumber(BigInt(b.hi) + 1n)})`);
  const counts = buckets.map((b) => String(b.count));
  const labelWidth = Math.max(...labels.map((l) => l.length));
  const countWidth = Math.max(...counts.map((c) => c.length));
  const barWidth = Math.max(1, Math.min(40, width - labelWidth - countWidth - 5));
  const max = Math.max(...buckets.map((b) => Number(b.count)));
  return buckets.map((b, i) => `${labels[i]!.padEnd(labelWidth)} ${counts[i]!.padStart(countWidth)} |${bar(Number(b.count), max, barWidth).padEnd(barWidth)}|`);
}
