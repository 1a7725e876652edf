// A timer for any duration. Node's setTimeout takes at most 2^31 - 1 ms (about 24.8 days) and
// fires after 1 ms when given more, so a long FOR would end almost at once; this one chains
// timers of at most that length until the time has come.

/** The longest delay setTimeout honours. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** What the timer needs of the clock and of setTimeout; tests pass a fake. */
export interface TimerClock {
  /** Milliseconds on a clock that never goes back. */
  now(): number;
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realClock: TimerClock = {
  now: () => performance.now(),
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Calls `callback` once `ms` have passed from now (at the earliest). Returns a function that cancels it. */
export function afterMs(ms: number, callback: () => void, clock: TimerClock = realClock): () => void {
  const due = clock.now() + ms;
  let handle: unknown;
  const arm = (): void => {
    const left = due - clock.now();
    if (left <= 0) callback();
    else handle = clock.set(arm, Math.min(Math.ceil(left), MAX_TIMEOUT_MS));
  };
  handle = clock.set(arm, Math.min(Math.max(0, Math.ceil(ms)), MAX_TIMEOUT_MS));
  return () => clock.clear(handle);
}
