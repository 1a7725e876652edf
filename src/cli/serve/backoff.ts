// When to try a failed push again: exponential backoff with jitter, unless the receiver said when
// (Retry-After on 429 and 503, as the OTLP/HTTP spec asks clients to honour).

export interface Backoff {
  /** The wait before the first retry, before jitter. */
  readonly baseMs: number;
  /** The longest wait the doubling reaches. */
  readonly maxMs: number;
  /** The longest Retry-After honoured: a receiver's hour-long answer must not stall the queue for an hour. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 500, maxMs: 30_000, maxRetryAfterMs: 300_000 };

/**
 * The wait before retry number `retry` (1 for the first): base·2^(retry−1), at most maxMs, of which
 * a random half is taken off, so that many servers cut off together do not retry in step.
 */
export function backoffMs(retry: number, b: Backoff, random: () => number): number {
  const full = Math.min(b.maxMs, b.baseMs * 2 ** Math.max(0, retry - 1));
  return full / 2 + (random() * full) / 2;
}

/** A Retry-After header's wait in ms (delay-seconds or an HTTP date), capped; undefined if absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number, b: Backoff): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - nowMs);
  }
  return Math.min(ms, b.maxRetryAfterMs);
}
