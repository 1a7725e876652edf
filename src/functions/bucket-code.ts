// Instruction pieces the bucketed aggregates (hist, lhist, the quantiles) share: an integer log2
// in a fixed number of steps, and "count one more in bucket i" with the index clamped so the
// verifier can prove the access stays inside the map value.
import type { Item } from '../bpf/index.js';
import { add, jeq, jle, label, ldx, lsh, mov, rsh, stx } from '../bpf/index.js';
import type { Reg } from '../bpf/register.js';

/**
 * dst += floor(log2(x)) for x >= 1, by halving the search range six times (32, 16, …, 1 bits):
 * no loop, six forward branches. x is consumed; tmp is clobbered.
 */
export function emitLog2(dst: Reg, x: Reg, tmp: Reg, prefix: string): Item[] {
  const out: Item[] = [];
  for (const bits of [32, 16, 8, 4, 2, 1]) {
    const skip = `${prefix}_log2_${bits}`;
    out.push(mov.reg(tmp, x), rsh.imm(tmp, bits), jeq.imm(tmp, 0, skip), mov.reg(x, tmp), add.imm(dst, bits), label(skip));
  }
  return out;
}

/**
 * counters[index] += 1, where the u64 counters start at `value + offset`. The index is clamped to
 * `last` first: callers compute indexes that never exceed it, but the verifier needs the bound.
 * index and tmp are clobbered.
 */
export function emitBump(value: Reg, offset: number, index: Reg, last: number, tmp: Reg, prefix: string): Item[] {
  const inRange = `${prefix}_in_range`;
  return [
    jle.imm(index, last, inRange),
    mov.imm(index, last),
    label(inRange),
    lsh.imm(index, 3),
    mov.reg(tmp, value),
    add.reg(tmp, index),
    ldx.dw(index, tmp, offset),
    add.imm(index, 1),
    stx.dw(tmp, offset, index),
  ];
}
