// Atomic read-modify-write on memory (STX class, ATOMIC mode); imm names the operation.
// Only 4- and 8-byte widths exist. The fetch forms write the old value back into src;
// cmpxchg compares with R0 and always loads the old value into R0.
import { insn, type Insn } from './insn.js';
import { AtomicOp, Class, FETCH, Mode, Size } from './opcode.js';
import type { Reg } from './register.js';

export interface AtomicWidths {
  readonly w: (dstBase: Reg, off: number, src: Reg) => Insn;
  readonly dw: (dstBase: Reg, off: number, src: Reg) => Insn;
}

function atomicOp(imm: number): AtomicWidths {
  return {
    w: (dstBase, off, src) => insn(Class.stx | Mode.atomic | Size.w, dstBase, src, off, imm),
    dw: (dstBase, off, src) => insn(Class.stx | Mode.atomic | Size.dw, dstBase, src, off, imm),
  };
}

export const atomic = {
  add: atomicOp(AtomicOp.add),
  and: atomicOp(AtomicOp.and),
  or: atomicOp(AtomicOp.or),
  xor: atomicOp(AtomicOp.xor),
  fetchAdd: atomicOp(AtomicOp.add | FETCH),
  fetchAnd: atomicOp(AtomicOp.and | FETCH),
  fetchOr: atomicOp(AtomicOp.or | FETCH),
  fetchXor: atomicOp(AtomicOp.xor | FETCH),
  xchg: atomicOp(AtomicOp.xchg),
  cmpxchg: atomicOp(AtomicOp.cmpxchg),
} as const;
