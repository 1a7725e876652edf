// EVERY in aggregate mode: windows are cut on a clock while DuckDB takes them in order behind.
import type { Window } from './run-options.js';

/** Hands windows to onWindow one at a time, in order, without holding up the loop that cuts them. */
export class WindowQueue {
  private tail: Promise<void> = Promise.resolve();
  private failure: { readonly error: unknown } | undefined;
  private signalFailure: () => void = () => undefined;
  /** Resolves once a window's onWindow has thrown, so that a loop asleep until its next cut wakes for it. */
  readonly failed: Promise<void> = new Promise((resolve) => (this.signalFailure = resolve));
  /** Rows of the windows pushed and not yet handed on, each window counting one at least. */
  pendingRows = 0;

  constructor(private readonly onWindow: (w: Window) => Promise<void>) {}

  push(w: Window): void {
    const rows = Math.max(1, w.aggregate?.rowCount ?? 0);
    this.pendingRows += rows;
    this.tail = this.tail
      .then(() => (this.failure === undefined ? this.onWindow(w) : undefined))
      .catch((error: unknown) => {
        this.failure ??= { error };
        this.signalFailure();
      })
      .finally(() => {
        this.pendingRows -= rows;
      });
  }

  /** Throws what a window's onWindow threw, if one did. */
  check(): void {
    if (this.failure !== undefined) throw this.failure.error;
  }

  /** Waits until every window pushed has been handed on; throws as check does. */
  async idle(): Promise<void> {
    await this.tail;
    this.check();
  }
}
