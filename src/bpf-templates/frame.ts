// The program's stack frame: named regions below R10, 8-byte aligned, at most 512 bytes.
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import { STACK_LIMIT } from '../planner/program-limits.js';

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
