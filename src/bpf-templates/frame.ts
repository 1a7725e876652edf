// The program's stack frame: named regions below R10, 8-byte aligned, at most 512 bytes.
import { diagnostic, QueryError } from '../diag/diagnostic.js';

export const STACK_LIMIT = 512;
/**
 * Stack a template may give to keys, string buffers and aggregate arguments; the rest is enough
 * for helper results, task_struct reads, a paired entry and the small keys of map lookups.
 */
export const DATA_STACK_BYTES = STACK_LIMIT - 128;

export class Frame {
  private used = 0;

  /** Reserves `bytes` (rounded up to 8) and returns the region's offset from R10 (negative). */
  alloc(bytes: number, what: string): number {
    this.used += (bytes + 7) & ~7;
    if (this.used > STACK_LIMIT) {
      throw new QueryError([diagnostic('unsupported', { feature: `a program needing more than ${STACK_LIMIT} bytes of stack (at ${what}); group by fewer or shorter strings` }, { start: 0, end: 0 })]);
    }
    return -this.used;
  }

  get size(): number {
    return this.used;
  }
}
