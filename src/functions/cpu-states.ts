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

/**
 * The u64 counters at `offset + 8 * i` (i < n) that are not zero, summed over the CPUs, as
 * [i, sum] in the order of i. A bucketed state has thousands of counters, most of them empty, and
 * bpfql serve reads every key's each window: empty ones are skipped by a 32-bit typed-array test,
 * without making BigInts (a DataView where the state is not 4-byte aligned).
 */
export function nonZeroCounters(cpus: readonly CpuState[], n: number): [number, bigint][] {
  const sums = new Map<number, bigint>();
  for (const c of cpus) {
    if (c.count === 0n) continue;
    const start = c.view.byteOffset + c.offset;
    const halves = start % 4 === 0 ? new Uint32Array(c.view.buffer, start, 2 * n) : undefined;
    for (let i = 0; i < n; i++) {
      const at = c.offset + 8 * i;
      const empty = halves ? halves[2 * i] === 0 && halves[2 * i + 1] === 0 : c.view.getUint32(at, true) === 0 && c.view.getUint32(at + 4, true) === 0;
      if (!empty) sums.set(i, (sums.get(i) ?? 0n) + c.view.getBigUint64(at, true));
    }
  }
  return [...sums].sort((a, b) => a[0] - b[0]);
}

/** Sums u64 counters at `offset + 8 * i` over the CPUs, for i < n. */
export function mergeCounters(cpus: readonly CpuState[], n: number): bigint[] {
  const out: bigint[] = new Array<bigint>(n).fill(0n);
  for (const [i, sum] of nonZeroCounters(cpus, n)) out[i] = sum;
  return out;
}
