// The kernel stamps events with bpf_ktime_get_ns (CLOCK_MONOTONIC); rows show the wall clock.

/** A wall clock set by more than this takes a new offset; smaller differences are the reading's own error. */
const STEP_NS = 50_000_000n;

let offset: bigint | undefined;

/**
 * Nanoseconds to add to a CLOCK_MONOTONIC time to get wall-clock time (ns since the Unix epoch).
 *
 * One offset for the whole process: Date.now() has a millisecond's resolution, so each reading is
 * up to 1 ms off, and differently each time. With an offset per query, the two tables of a join
 * put the same instant up to a millisecond apart (a block request seen completing before it was
 * issued); with one, every table's times differ exactly as the kernel's clock says. A new offset
 * is taken only when the wall clock was set (a step of more than 50 ms).
 */
export function monotonicToWallOffset(): bigint {
  const now = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
  if (offset === undefined || now - offset > STEP_NS || offset - now > STEP_NS) offset = now;
  return offset;
}
