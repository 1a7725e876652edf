// State shared while one program is generated: the instruction list, the stack frame, fresh
// labels and which registers are free. Deterministic: the same plan gives the same program.
import type { Item } from '../bpf/index.js';
import type { Reg } from '../bpf/register.js';
import { Frame } from './frame.js';

export class Codegen {
  readonly items: Item[] = [];
  readonly frame = new Frame();
  private labels = 0;

  emit(...items: Item[]): void {
    this.items.push(...items);
  }

  fresh(prefix: string): string {
    return `${prefix}_${this.labels++}`;
  }
}

/** Registers an expression may use; taking one removes it until it is given back. */
export class RegPool {
  private readonly free: Reg[];

  constructor(regs: readonly Reg[]) {
    this.free = [...regs];
  }

  take(): Reg {
    const r = this.free.shift();
    if (r === undefined) throw new Error('expression too deep for the registers available');
    return r;
  }

  give(r: Reg): void {
    this.free.unshift(r);
  }
}
