// A full garbage collection in the quiet after a round of windows, at most one per intervalMs.
//
// Why serve needs one: every DuckDB statement of a window leaves native objects behind (its
// result and data chunks, the appender, its chunk and column types), which DuckDB's Node bindings
// free only in the finalizers of their JS wrappers, and V8 does not count that memory (it lives in
// DuckDB's jemalloc). Measured over 5 minutes of 10 metrics at 100,000 getppid/s: V8 collected
// the wrappers only when its own old generation asked for it, about every 75 s; in between,
// DuckDB's live bytes went from 3.6 to 14.7 MB and V8's heap from 17 to 26 MB, the RSS rose
// with them, and jemalloc kept the pages of the highest point. With this collection DuckDB's
// live bytes stayed within 3-7 MB and V8's heap within 20-23 MB.
//
// Why by time, not by the heap's growth: V8's heap is a poor measure of what is waiting. The
// bindings do not report DuckDB's memory to V8, so a window's statements leave megabytes of native
// results behind while V8's heap grows by a few hundred kilobytes. Collecting only after 2 MB of
// heap growth (about every 20 s here), the bench's server rose from 118 to 138 MB over eight
// minutes; collecting after every round of windows (10 s), it rose to 131 MB in under three
// minutes and stayed within 130.7-131.8 MB after (diagnostic runs of the sixth and seventh
// sessions, bench/RESULTS.md). A full collection of serve's ~20 MB heap takes 25-48 ms here, so
// at most one per intervalMs keeps it under 0.5 % of one CPU however short the windows are.
//
// Why a check waits at most maxWaitMs: windows that close less than quietMs apart (EVERY 1s, or
// many metrics whose windows are staggered) would otherwise put the check off for good. A server
// of one histogram metric at EVERY 1s did no collection of ours and no trim for as long as it ran
// (four minutes traced with --trace-gc, tenth session): V8's heap in use rose about 0.5 MB a minute
// until its own old generation asked for a collection, and glibc's arenas kept the pages they had.
//
// Why glibc's arenas are trimmed after every round: what is freed, by the collection's finalizers
// or by the round's own work, goes back to glibc's per-thread arenas, which give pages in their
// middle back to the kernel only when asked (malloc_trim). Without it the RSS of the bench's
// server rose about 2 MB a minute for eight minutes; a trim walks the arenas' free lists, a few
// milliseconds per round of windows.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mallocTrim } from '../../kernel/sys.js';

/** What the collector needs of V8; tests pass a fake. */
export interface Heap {
  /** A full collection, done before it returns. */
  collect(): void;
  /** Hands the native allocators' free pages back to the kernel. */
  trim(): void;
}

export interface IdleGcOptions {
  /** The least time between two collections. */
  readonly intervalMs: number;
  /** The quiet after the latest window before the check: windows of a round close together. */
  readonly quietMs: number;
  /** The longest a check waits after a window for that quiet. */
  readonly maxWaitMs: number;
  /** The wait after the check before the trim: V8 runs the wrappers' finalizers after a collection. */
  readonly trimAfterMs: number;
}

export const IDLE_GC: IdleGcOptions = { intervalMs: 10_000, quietMs: 1000, maxWaitMs: 10_000, trimAfterMs: 200 };

let exposedGc: (() => void) | undefined;

/**
 * V8's gc(). Node puts it on the global object only when started with --expose-gc, which the
 * `bpfql` command is not; a context made while the flag is set has it, and it collects the
 * whole heap (every context's). The flag is cleared again: no code of ours looks for the global.
 */
function fullGc(): void {
  if (exposedGc === undefined) {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    setFlagsFromString('--no-expose-gc');
    if (typeof gc !== 'function') throw new Error('V8 gave no gc() with --expose-gc');
    exposedGc = gc as () => void;
  }
  exposedGc();
}

export const V8_HEAP: Heap = {
  collect: fullGc,
  trim: () => {
    mallocTrim();
  },
};

export class IdleGc {
  private timer: NodeJS.Timeout | undefined;
  private trimTimer: NodeJS.Timeout | undefined;
  /** When the last collection of ours ran (the clock's ms). */
  private last: number;
  /** When the first window not yet checked closed. */
  private waitingSince: number | undefined;

  constructor(private readonly heap: Heap = V8_HEAP, private readonly opts: IdleGcOptions = IDLE_GC, private readonly now: () => number = () => performance.now()) {
    this.last = now();
  }

  /**
   * A window has been handled: the check follows once no other has closed for quietMs, or
   * maxWaitMs after the first window not yet checked, whichever is sooner.
   */
  windowClosed(): void {
    const now = this.now();
    this.waitingSince ??= now;
    const due = Math.min(now + this.opts.quietMs, this.waitingSince + this.opts.maxWaitMs);
    clearTimeout(this.timer);
    // Unref'd: a check due does not keep a server that is ending alive.
    this.timer = setTimeout(() => this.check(), Math.max(0, due - now)).unref();
  }

  /** Collects if intervalMs have passed since the last collection (says whether it did); a trim follows either way. */
  check(): boolean {
    this.timer = undefined;
    this.waitingSince = undefined;
    clearTimeout(this.trimTimer);
    this.trimTimer = setTimeout(() => this.heap.trim(), this.opts.trimAfterMs).unref();
    if (this.now() - this.last < this.opts.intervalMs) return false;
    this.heap.collect();
    this.last = this.now();
    return true;
  }

  stop(): void {
    clearTimeout(this.timer);
    clearTimeout(this.trimTimer);
    this.timer = undefined;
    this.trimTimer = undefined;
    this.waitingSince = undefined;
  }
}
