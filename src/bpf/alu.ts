// Arithmetic builders. Each operation is an object with .imm(dst, imm) and .reg(dst, src),
// in two widths: ALU64 (r registers) and ALU (w registers: 32-bit, the upper half zeroed).
import { insn, type Insn } from './insn.js';
import { AluCode, Class, Source } from './opcode.js';
import type { Reg } from './register.js';

export interface AluOp {
  readonly imm: (dst: Reg, imm: number) => Insn;
  readonly reg: (dst: Reg, src: Reg) => Insn;
}

/** off is 0 except for signed division and modulo, which reuse the DIV/MOD codes with off = 1. */
function aluOp(cls: number, code: number, off = 0): AluOp {
  return {
    imm: (dst, imm) => insn(cls | code | Source.k, dst, 0, off, imm),
    reg: (dst, src) => insn(cls | code | Source.x, dst, src, off, 0),
  };
}

export const mov = aluOp(Class.alu64, AluCode.mov);
export const add = aluOp(Class.alu64, AluCode.add);
export const sub = aluOp(Class.alu64, AluCode.sub);
export const mul = aluOp(Class.alu64, AluCode.mul);
export const div = aluOp(Class.alu64, AluCode.div);
export const mod = aluOp(Class.alu64, AluCode.mod);
export const sdiv = aluOp(Class.alu64, AluCode.div, 1);
export const smod = aluOp(Class.alu64, AluCode.mod, 1);
export const or = aluOp(Class.alu64, AluCode.or);
export const and = aluOp(Class.alu64, AluCode.and);
export const xor = aluOp(Class.alu64, AluCode.xor);
export const lsh = aluOp(Class.alu64, AluCode.lsh);
export const rsh = aluOp(Class.alu64, AluCode.rsh);
export const arsh = aluOp(Class.alu64, AluCode.arsh);

export const mov32 = aluOp(Class.alu, AluCode.mov);
export const add32 = aluOp(Class.alu, AluCode.add);
export const sub32 = aluOp(Class.alu, AluCode.sub);
export const mul32 = aluOp(Class.alu, AluCode.mul);
export const div32 = aluOp(Class.alu, AluCode.div);
export const mod32 = aluOp(Class.alu, AluCode.mod);
export const sdiv32 = aluOp(Class.alu, AluCode.div, 1);
export const smod32 = aluOp(Class.alu, AluCode.mod, 1);
export const or32 = aluOp(Class.alu, AluCode.or);
export const and32 = aluOp(Class.alu, AluCode.and);
export const xor32 = aluOp(Class.alu, AluCode.xor);
export const lsh32 = aluOp(Class.alu, AluCode.lsh);
export const rsh32 = aluOp(Class.alu, AluCode.rsh);
export const arsh32 = aluOp(Class.alu, AluCode.arsh);

/** NEG is defined only with the K source bit. */
export function neg(dst: Reg): Insn {
  return insn(Class.alu64 | AluCode.neg | Source.k, dst, 0, 0, 0);
}

export function neg32(dst: Reg): Insn {
  return insn(Class.alu | AluCode.neg | Source.k, dst, 0, 0, 0);
}

// Byte order conversions: the ALU class's source bit picks the target order (K = little,
// X = big endian); imm is the width. On this little-endian host leNN only truncates.
const toLe = (width: number) => (dst: Reg): Insn => insn(Class.alu | AluCode.end | Source.k, dst, 0, 0, width);
const toBe = (width: number) => (dst: Reg): Insn => insn(Class.alu | AluCode.end | Source.x, dst, 0, 0, width);
// ALU64 with END swaps unconditionally, whatever the host order.
const swap = (width: number) => (dst: Reg): Insn => insn(Class.alu64 | AluCode.end | Source.k, dst, 0, 0, width);

export const le16 = toLe(16);
export const le32 = toLe(32);
export const le64 = toLe(64);
export const be16 = toBe(16);
export const be32 = toBe(32);
export const be64 = toBe(64);
export const bswap16 = swap(16);
export const bswap32 = swap(32);
export const bswap64 = swap(64);
