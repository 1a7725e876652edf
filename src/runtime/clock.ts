// The kernel stamps events with bpf_ktime_get_ns (CLOCK_MONOTONIC); rows show the wall clock.

/** Nanoseconds to add to a CLOCK_MONOTONIC time to get wall-clock time (ns since the Unix epoch). */
export function monotonicToWallOffset(): bigint {
  return BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
}
