// The state of the statistics of spread (stddev, variance): the sample variance, from exact
// integer sums. The kernel has no floating point, so it keeps, per CPU, Σx as a 128-bit integer
// and Σx² as a 192-bit one (x² of a 64-bit value takes 128 bits, and the sum needs room to grow),
// which makes the merge exact for any input. x² is built from 32-bit halves:
// x² = H² 2^64 + 2 H L 2^32 + L². User space takes (n Σx² - (Σx)²) / (n (n - 1)).
import type { Item } from '../bpf/index.js';
import { add, arsh, comment, jge, jsge, label, ldx, lsh, mov, mov32, mul, neg, rsh, stx } from '../bpf/index.js';
import type { Reg } from '../bpf/register.js';
import { R1, R2, R3, R4, R5, R10 } from '../bpf/register.js';
import type { AggregateEmit, AggregateFunction, CpuState } from './aggregate.js';
import { noParams } from './aggregate.js';
import { readWords } from './cpu-states.js';

/** Offsets inside the state: Σx (low, high), then Σx² (low, middle, high). */
const SUM = 0, SQ = 16;
const STATE_BYTES = 40;

/** low += addend, carrying into high. */
function addWithCarry(low: Reg, high: Reg, addend: Reg, skip: string): Item[] {
  return [add.reg(low, addend), jge.reg(low, addend, skip), add.imm(high, 1), label(skip)];
}

function emitMoments(e: AggregateEmit, v: Reg): Item[] {
  const o = e.offset;
  const p = `moments_${e.id}`;
  return [
    comment('moments: Σx += x (128 bits)', ldx.dw(R1, R10, e.argSlot)),
    ldx.dw(R2, v, o + SUM),
    ldx.dw(R3, v, o + SUM + 8),
    ...(e.signed ? [comment('sign extension', mov.reg(R4, R1)), arsh.imm(R4, 63), add.reg(R3, R4)] : []),
    ...addWithCarry(R2, R3, R1, `${p}_c0`),
    stx.dw(v, o + SUM, R2),
    stx.dw(v, o + SUM + 8, R3),
    ...(e.signed ? [comment('|x|', jsge.imm(R1, 0, `${p}_abs`)), neg(R1), label(`${p}_abs`)] : []),
    comment('x² in r5:r4, from H = |x| >> 32 and L = |x| & 0xffffffff', mov.reg(R2, R1)),
    rsh.imm(R2, 32),
    mov32.reg(R1, R1),
    comment('L²', mov.reg(R4, R1)),
    mul.reg(R4, R1),
    comment('H²', mov.reg(R5, R2)),
    mul.reg(R5, R2),
    comment('2 H L 2^32: H L added twice', mul.reg(R2, R1)),
    mov.reg(R3, R2),
    rsh.imm(R3, 32),
    add.reg(R5, R3),
    add.reg(R5, R3),
    lsh.imm(R2, 32),
    ...addWithCarry(R4, R5, R2, `${p}_c1`),
    ...addWithCarry(R4, R5, R2, `${p}_c2`),
    // x² < 2^128, so its high word is at most 2^64 - 2 and takes the low word's carry safely.
    comment('Σx² += x² (192 bits)', ldx.dw(R1, v, o + SQ)),
    ldx.dw(R2, v, o + SQ + 8),
    ...addWithCarry(R1, R5, R4, `${p}_c3`),
    stx.dw(v, o + SQ, R1),
    ldx.dw(R3, v, o + SQ + 16),
    ...addWithCarry(R2, R3, R5, `${p}_c4`),
    stx.dw(v, o + SQ + 8, R2),
    stx.dw(v, o + SQ + 16, R3),
  ];
}

/** Σx, read as a 128-bit two's complement number when x is signed. */
function readSum(view: DataView, at: number, signed: boolean): bigint {
  const v = readWords(view, at, 2);
  return signed && v >= 1n << 127n ? v - (1n << 128n) : v;
}

/** The sample variance of the values the CPUs saw: NULL for fewer than two, as in DuckDB. */
export function sampleVariance(cpus: readonly CpuState[], signed: boolean): number | null {
  let n = 0n, sum = 0n, squares = 0n;
  for (const c of cpus) {
    if (c.count === 0n) continue;
    n += c.count;
    sum += readSum(c.view, c.offset + SUM, signed);
    squares += readWords(c.view, c.offset + SQ, 3);
  }
  if (n < 2n) return null;
  const spread = n * squares - sum * sum;
  return Number(spread) / Number(n * (n - 1n));
}

/**
 * Everything of a statistic of spread but its name and its finalize: what the statistic makes of
 * the sample variance. They share one state over the same argument.
 */
export const momentsState = {
  needsArg: true,
  argument: 'number',
  paramNames: [],
  params: noParams,
  result: 'double',
  stateBytes: () => STATE_BYTES,
  stateFamily: 'moments',
  emitUpdate: emitMoments,
} as const satisfies Omit<AggregateFunction, 'name' | 'finalize'>;
