// `bpfql serve --otlp URL`: every closed window's families pushed to an OpenTelemetry collector over
// OTLP/HTTP (protobuf). It lives with the server, not in src/output: output formats bytes and
// writes files, while this holds timers, a queue and sockets for the life of the process.
//
// One push per window close; windows that close while a push is in flight (or waiting to retry)
// wait in a bounded queue and all go in the next push, one data point per window (windows closing
// within coalesceMs of each other are one). A collector that
// is down fills the queue: the oldest window is dropped for each new one, and the drops are
// counted in bpfql_otlp_dropped_windows_total, which every push carries (and health() gives).
import type { Label, MetricFamily, MetricWindow, WindowSink } from '../../output/metrics/model.js';
import type { MetricsSnapshot, OtlpResource } from '../../output/metrics/otlp.js';
import { encodeMetricsRequest } from '../../output/metrics/otlp.js';
import type { Backoff } from './backoff.js';
import { DEFAULT_BACKOFF, backoffMs, retryAfterMs } from './backoff.js';
import { assertNever } from '../../diag/assert-never.js';
import { UsageError } from '../args.js';

export interface OtlpSinkOptions {
  /** The collector's /v1/metrics URL (otlpMetricsUrl). */
  readonly url: URL;
  readonly resource: OtlpResource;
  /** One request's time limit. */
  readonly timeoutMs?: number;
  /** Windows waiting to be pushed, at most. */
  readonly queueLimit?: number;
  /** Tries of one push (the first and its retries) before its windows are dropped. */
  readonly attempts?: number;
  readonly backoff?: Backoff;
  /** Windows waiting whose ends are closer than this are pushed as one snapshot, the later. */
  readonly coalesceMs?: number;
  /** How long close() may take to push what is pending. */
  readonly closeDeadlineMs?: number;
  /** Where failures are told (the server's stderr); each failed push once. */
  readonly report?: (message: string) => void;
  /** The labels of the exporter's own series (the server's host label). */
  readonly labels?: readonly Label[];
  readonly random?: () => number;
}

/** How one request went. */
type Outcome =
  | { readonly kind: 'sent' }
  | { readonly kind: 'retry'; readonly reason: string; readonly afterMs: number | undefined }
  | { readonly kind: 'rejected'; readonly reason: string };

/** The collector's metrics URL from `--otlp`: a base URL gets OTLP's `/v1/metrics` path; one naming it is kept. */
export function otlpMetricsUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--otlp needs a URL such as http://127.0.0.1:4318, not '${text}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--otlp needs an http:// or https:// URL, not '${text}'`);
  if (url.username !== '' || url.password !== '') throw new UsageError('--otlp takes no user or password in the URL (they would show in ps)');
  if (!url.pathname.endsWith('/v1/metrics')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/metrics`;
  return url;
}

/** HTTP statuses worth retrying, as the OTLP/HTTP spec lists them (and any other 5xx). */
function retryable(status: number): boolean {
  return status === 429 || status >= 500;
}

export class OtlpSink implements WindowSink {
  private readonly pending: MetricsSnapshot[] = [];
  /** The running drain(), if any; `pumping` says whether it still takes windows (see drain). */
  private pump: Promise<void> = Promise.resolve();
  private pumping = false;
  private closing: Promise<void> | undefined;
  /** Aborted when close()'s deadline passes: ends a request in flight and a wait between retries. */
  private readonly stop = new AbortController();
  private readonly startMs = Date.now();
  private sent = 0;
  private dropped = 0;
  private retries = 0;
  private readonly timeoutMs: number;
  private readonly queueLimit: number;
  private readonly attempts: number;
  private readonly backoff: Backoff;
  private readonly closeDeadlineMs: number;
  private readonly coalesceMs: number;
  private readonly report: (message: string) => void;
  private readonly random: () => number;

  constructor(private readonly opts: OtlpSinkOptions) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.queueLimit = opts.queueLimit ?? 60;
    this.attempts = opts.attempts ?? 5;
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.closeDeadlineMs = opts.closeDeadlineMs ?? 5_000;
    this.coalesceMs = opts.coalesceMs ?? 250;
    this.report = opts.report ?? ((): void => undefined);
    this.random = opts.random ?? Math.random;
  }

  window(window: MetricWindow, families: readonly MetricFamily[]): void {
    if (this.closing !== undefined) return;
    const newest = this.pending.at(-1);
    // Metrics started together close their windows together: one snapshot, the later, holds them
    // all (families are every metric's state), so a burst of closes is one data point per series.
    if (newest !== undefined && Math.abs(window.endMs - newest.timeMs) < this.coalesceMs) {
      this.pending[this.pending.length - 1] = { timeMs: Math.max(window.endMs, newest.timeMs), families };
      return;
    }
    this.pending.push({ timeMs: window.endMs, families });
    if (this.pending.length > this.queueLimit) {
      this.pending.shift();
      this.dropped++;
    }
    if (!this.pumping) {
      this.pumping = true;
      this.pump = this.drain();
    }
  }

  /** The exporter's own counters, as families (pushed with every request; the server may expose them too). */
  health(): MetricFamily[] {
    const counter = (name: string, help: string, value: number): MetricFamily => ({
      name, help, type: 'counter', startMs: this.startMs, points: [{ kind: 'number', labels: this.opts.labels ?? [], value }],
    });
    return [
      counter('bpfql_otlp_sent_windows', 'Windows the OTLP collector accepted (windows closing together count once).', this.sent),
      counter('bpfql_otlp_dropped_windows', 'Windows never delivered to the OTLP collector (queue full, rejected, retries exhausted, or pending at exit).', this.dropped),
      counter('bpfql_otlp_retries', 'OTLP pushes tried again after a failure.', this.retries),
    ];
  }

  close(): Promise<void> {
    this.closing ??= this.finish();
    return this.closing;
  }

  private async finish(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.closeDeadlineMs);
    });
    try {
      await Promise.race([this.pump, deadline]);
    } finally {
      clearTimeout(timer);
    }
    this.stop.abort();
    await this.pump;
    if (this.pending.length > 0) {
      this.report(`OTLP: ${this.pending.length} window(s) not pushed before exit`);
      this.dropped += this.pending.splice(0).length;
    }
  }

  /** Pushes until nothing is pending; everything waiting at the start of a push goes in it. */
  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0 && !this.stop.signal.aborted) {
        const batch = this.pending.splice(0);
        if (await this.deliver(batch)) this.sent += batch.length;
        else this.dropped += batch.length;
      }
    } finally {
      // In the same step as the loop's last check: a window arriving after it starts a new drain.
      this.pumping = false;
    }
  }

  /** One push of `batch`, retried as the outcome allows; false if it was given up. */
  private async deliver(batch: MetricsSnapshot[]): Promise<boolean> {
    let body: Uint8Array;
    try {
      body = this.encode(batch);
    } catch (e) {
      this.report(`OTLP: cannot encode ${batch.length} window(s): ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.post(body);
      switch (outcome.kind) {
        case 'sent':
          return true;
        case 'rejected':
          this.report(`OTLP: ${this.opts.url.href} rejected ${batch.length} window(s): ${outcome.reason}`);
          return false;
        case 'retry':
          if (attempt >= this.attempts || this.stop.signal.aborted) {
            this.report(`OTLP: ${batch.length} window(s) dropped after ${attempt} tries: ${outcome.reason}`);
            return false;
          }
          this.retries++;
          await this.sleep(outcome.afterMs ?? backoffMs(attempt, this.backoff, this.random));
          break;
        default:
          return assertNever(outcome);
      }
    }
  }

  /**
   * The request body: the batch, the newest window also carrying the exporter's own counters
   * (unless the server already put them among the families it exposes).
   */
  private encode(batch: readonly MetricsSnapshot[]): Uint8Array {
    const last = batch.length - 1;
    const withHealth = batch.map((s, i) => {
      if (i !== last) return s;
      const own = this.health().filter((h) => !s.families.some((f) => f.name === h.name));
      return { timeMs: s.timeMs, families: [...s.families, ...own] };
    });
    return encodeMetricsRequest(withHealth, this.opts.resource);
  }

  private async post(body: Uint8Array): Promise<Outcome> {
    try {
      const res = await fetch(this.opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body,
        signal: AbortSignal.any([this.stop.signal, AbortSignal.timeout(this.timeoutMs)]),
        redirect: 'error',
      });
      // Read to the end, so that the connection can be reused.
      await res.arrayBuffer();
      if (res.ok) return { kind: 'sent' };
      const reason = `HTTP ${res.status} ${res.statusText}`.trim();
      if (!retryable(res.status)) return { kind: 'rejected', reason };
      return { kind: 'retry', reason, afterMs: retryAfterMs(res.headers.get('retry-after'), Date.now(), this.backoff) };
    } catch (e) {
      return { kind: 'retry', reason: failure(e), afterMs: undefined };
    }
  }

  /** Waits `ms`, or less if close()'s deadline passes first. */
  private sleep(ms: number): Promise<void> {
    const signal = this.stop.signal;
    return new Promise((resolve) => {
      if (signal.aborted) {
        resolve();
        return;
      }
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
    });
  }
}

/** Why a request failed, in words: fetch hides the socket's error in `cause`. */
function failure(e: unknown): string {
  if (e instanceof Error) {
    if (e.name === 'TimeoutError') return 'timed out';
    if (e.name === 'AbortError') return 'stopped at exit';
    const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
    return `${e.message}${cause}`;
  }
  return String(e);
}

