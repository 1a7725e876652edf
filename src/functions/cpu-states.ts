// Reading the CPUs' states of an aggregate in user space: the u64 words its kernel code wrote.
import type { CpuState } from './aggregate.js';

export function readU64(view: DataView, offset: number, signed: boolean): bigint {
  return signed ? view.getBigInt64(offset, true) : view.getBigUint64(offset, true);
}

/** An unsigned little-endian integer of `words` u64s. */
export function readWords(view: DataView, at: number, words: number): bigint {
  let v = 0n;
  for (let i = words - 1; i >= 0; i--) v = (v << 64n) | view.getBigUint64(at + 8 * i, true);
  return v;
}

/** Sums u64 counters at `offset + 8 * i` over the CPUs, for i < n. */
export function mergeCounters(cpus: readonly CpuState[], n: number): bigint[] {
  const out: bigint[] = new Array<bigint>(n).fill(0n);
  for (const c of cpus) {
    if (c.count === 0n) continue;
    for (let i = 0; i < n; i++) {
      const at = c.offset + 8 * i;
      // Most buckets of a histogram or quantile are empty: two 32-bit reads skip them without
      // making a BigInt (thousands of buckets per key, read every window by bpfql serve).
      if (c.view.getUint32(at, true) === 0 && c.view.getUint32(at + 4, true) === 0) continue;
      out[i]! += c.view.getBigUint64(at, true);
    }
  }
  return out;
}
