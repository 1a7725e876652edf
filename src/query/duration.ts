// Durations of EVERY and FOR (`500ms`, `10s`, `2m`, `1h`): the units the dialect knows and their
// milliseconds, in one table that the parser and the engine's trailing FOR both read.
const unitMs: ReadonlyMap<string, number> = new Map([
  ['ms', 1],
  ['s', 1000],
  ['m', 60_000],
  ['h', 3_600_000],
]);

/**
 * The longest EVERY or FOR: 365 days. A longer run is better left without FOR (it then runs
 * until stopped); the bound keeps every window bound and end time well inside what clocks,
 * timers and DuckDB timestamps hold.
 */
export const MAX_DURATION_MS = 365 * 24 * 3_600_000;
/** MAX_DURATION_MS as the dialect writes it. */
export const MAX_DURATION_TEXT = '8760h';

/** The count and the unit's milliseconds of digits followed by a known unit, any case. */
function parts(text: string): { count: number; unit: number } | undefined {
  const match = /^(\d+)([a-z]+)$/i.exec(text);
  const unit = match === null ? undefined : unitMs.get(match[2]!.toLowerCase());
  return unit === undefined ? undefined : { count: Number(match![1]), unit };
}

/** Whether `text` is written as a duration, digits and a unit, whether or not its length is allowed (`0s`, `9000h`). */
export function isDurationText(text: string): boolean {
  return parts(text) !== undefined;
}

/**
 * Milliseconds of `500ms`, `10s`, `2m`, `1h`; undefined for anything else, zero included. Does
 * not check MAX_DURATION_MS (the callers say which is wrong): a number too large to be exact is
 * Infinity.
 */
export function durationMs(text: string): number | undefined {
  const p = parts(text);
  if (p === undefined) return undefined;
  const ms = p.count * p.unit;
  if (ms === 0) return undefined;
  // Past 2^53 the number is no longer exact, but it is surely too long.
  return Number.isSafeInteger(ms) ? ms : Infinity;
}
