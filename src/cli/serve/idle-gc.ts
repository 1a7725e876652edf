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
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** What the collector needs of V8; tests pass a fake. */
export interface Heap {
  /** Bytes of V8's heap in use now. */
  used(): number;
  /** A full collection, done before it returns. */
  collect(): void;
}

export interface IdleGcOptions {
  /** Growth of the heap in use, since the lowest seen after a collection, that calls for one. */
  readonly growthBytes: number;
  /** The quiet after the latest window before the check: windows of a round close together. */
  readonly quietMs: number;
}

export const IDLE_GC: IdleGcOptions = { growthBytes: 2 * 1024 * 1024, quietMs: 1000 };

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

export const V8_HEAP: Heap = { used: () => getHeapStatistics().used_heap_size, collect: fullGc };

export class IdleGc {
  private timer: NodeJS.Timeout | undefined;
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

  /** Collects if the heap grew by growthBytes; says whether it did. */
  check(): boolean {
    this.timer = undefined;
    const used = this.heap.used();
    this.base = Math.min(this.base, used);
    if (used - this.base < this.opts.growthBytes) return false;
    this.heap.collect();
    this.base = this.heap.used();
    return true;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
