// --webhook URL: alerts POSTed as JSON. One request at a time, in order; what arrives while one is
// out waits in a bounded queue and goes as the next request's JSON array (so a burst costs a few
// requests, not one per alert). A full queue drops the new alert, and a request that fails or takes
// longer than the timeout loses its alerts: both are counted and said at the end, never retried
// (a slow receiver must not make bpfql hold alerts without bound).
import type { LineOutput } from './line-output.js';

export interface WebhookLimits {
  /** Alerts waiting to be sent at most; more are dropped. */
  readonly maxQueue: number;
  /** Alerts in one request at most. */
  readonly maxBatch: number;
  readonly timeoutMs: number;
}

export const WEBHOOK_LIMITS: WebhookLimits = { maxQueue: 10_000, maxBatch: 500, timeoutMs: 5_000 };

/** The URL of --webhook, or why it is not one bpfql posts to. */
export function webhookUrl(text: string): URL | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `--webhook needs a URL such as http://127.0.0.1:9000/alerts, not '${text}'`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `--webhook takes an http or https URL, not '${url.protocol}'`;
  return url;
}

export class Webhook implements LineOutput {
  readonly name = 'webhook';
  private readonly queue: string[] = [];
  private sending: Promise<void> | undefined;
  private sent = 0;
  private dropped = 0;
  private lost = 0;
  private lastError: string | undefined;
  /** Once closing: when to give up on what is still queued. */
  private closeBy: number | undefined;

  constructor(private readonly url: URL, private readonly limits: WebhookLimits = WEBHOOK_LIMITS) {}

  send(line: string): void {
    if (this.queue.length >= this.limits.maxQueue) {
      this.dropped++;
      return;
    }
    this.queue.push(line);
    this.sending ??= this.drain().finally(() => (this.sending = undefined));
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      if (this.closeBy !== undefined && Date.now() > this.closeBy) {
        this.dropped += this.queue.splice(0).length;
        return;
      }
      const batch = this.queue.splice(0, this.limits.maxBatch);
      try {
        const r = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: `[${batch.join(',')}]`,
          signal: AbortSignal.timeout(this.limits.timeoutMs),
        });
        // The body is not wanted, but must be read for the connection to be reused.
        await r.arrayBuffer();
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        this.sent += batch.length;
      } catch (e) {
        this.lost += batch.length;
        this.lastError = e instanceof Error ? e.message : String(e);
      }
    }
  }

  /** At the end, what is still queued then gets one timeout's time more to go. */
  async close(): Promise<void> {
    this.closeBy = Date.now() + this.limits.timeoutMs;
    while (this.sending !== undefined) await this.sending;
  }

  summary(): Record<string, unknown> {
    return { output: this.name, sent: this.sent, dropped: this.dropped, failed: this.lost, ...(this.lastError !== undefined ? { error: this.lastError } : {}) };
  }
}
