// The log-linear buckets of the kernel's quantiles, from the README's definition (written
// again here, not taken from the code under test): magnitudes below 32 exact; above, each
// [2^k, 2^(k+1)) cut into 32 equal parts; the estimate is a bucket's middle, rounded down.

/** The estimate for a magnitude: the middle of its bucket, rounded down. */
export function logLinearMiddle(m: bigint): bigint {
  if (m < 32n) return m;
  let k = 0n;
  while (m >> (k + 1n) > 0n) k++;
  const width = 2n ** (k - 5n);
  const lo = (m / width) * width;
  return lo + (width - 1n) / 2n;
}

/** Every edge of every log-linear bucket (of magnitudes up to 2^64 - 1). */
export function logLinearEdges(): bigint[] {
  const vs: bigint[] = [];
  for (let m = 0n; m < 32n; m++) vs.push(m);
  for (let k = 5n; k < 64n; k++) {
    const width = 2n ** (k - 5n);
    for (let s = 0n; s < 32n; s++) {
      const lo = (32n + s) * width;
      vs.push(lo, lo + width - 1n);
    }
  }
  return [...new Set(vs)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

/** The log-linear bucket index of a magnitude, from the same definition (negatives: + 1920). */
export function logLinearIndex(m: bigint): number {
  if (m < 32n) return Number(m);
  let k = 0n;
  while (m >> (k + 1n) > 0n) k++;
  return Number((k - 4n) * 32n + (m >> (k - 5n)) - 32n);
}

