// A full garbage collection in the quiet after a round of windows, when V8's heap has grown.
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
// Why "when the heap grew": a forced full collection of serve's ~17 MB heap took 25-48 ms here;
// growth of 2 MB came about every 20 s at the rate above (about 0.15 % of one CPU), and a server
// whose windows leave little behind collects rarely.
//
// Why glibc's arenas are trimmed after every round: what is freed, by the collection's finalizers
// or by the round's own work, goes back to glibc's per-thread arenas, which give pages in their
// middle back to the kernel only when asked (malloc_trim). Without it the RSS of the bench's
// server rose about 2 MB a minute for eight minutes; a trim walks the arenas' free lists, a few
// milliseconds per round of windows.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mallocTrim } from '../../kernel/sys.js';

/** What the collector needs of V8; tests pass a fake. */
export interface Heap {
  /** Bytes of V8's heap in use now. */
  used(): number;
  /** A full collection, done before it returns. */
  collect(): void;
  /** Hands the native allocators' free pages back to the kernel. */
  trim(): void;
}

export interface IdleGcOptions {
  /** Growth of the heap in use, since the lowest seen after a collection, that calls for one. */
  readonly growthBytes: number;
  /** The quiet after the latest window before the check: windows of a round close together. */
  readonly quietMs: number;
  /** The wait after the check before the trim: V8 runs the wrappers' finalizers after a collection. */
  readonly trimAfterMs: number;
}

export const IDLE_GC: IdleGcOptions = { growthBytes: 2 * 1024 * 1024, quietMs: 1000, trimAfterMs: 200 };

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
  used: () => getHeapStatistics().used_heap_size,
  collect: fullGc,
  trim: () => {
    mallocTrim();
  },
};

export class IdleGc {
  private timer: NodeJS.Timeout | undefined;
  private trimTimer: NodeJS.Timeout | undefined;
  /** The least heap in use seen since the last collection (ours or V8's own). */
  private base: number;

  constructor(private readonly heap: Heap = V8_HEAP, private readonly opts: IdleGcOptions = IDLE_GC) {
    this.base = heap.used();
  }

  /** A window has been handled: the check follows once no other has closed for quietMs. */
  windowClosed(): void {
    clearTimeout(this.timer);
    // Unref'd: a check due does not keep a server that is ending alive.
    this.timer = setTimeout(() => this.check(), this.opts.quietMs).unref();
  }

  /** Collects if the heap grew by growthBytes (says whether it did); a trim follows either way. */
  check(): boolean {
    this.timer = undefined;
    clearTimeout(this.trimTimer);
    this.trimTimer = setTimeout(() => this.heap.trim(), this.opts.trimAfterMs).unref();
    const used = this.heap.used();
    this.base = Math.min(this.base, used);
    if (used - this.base < this.opts.growthBytes) return false;
    this.heap.collect();
    this.base = this.heap.used();
    return true;
  }

  stop(): void {
    clearTimeout(this.timer);
    clearTimeout(this.trimTimer);
    this.timer = undefined;
    this.trimTimer = undefined;
  }
}
