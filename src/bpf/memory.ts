// Loads and stores. Each family is an object keyed by access width: b, h, w, dw (1, 2, 4, 8 bytes).
import { insn, type Insn } from './insn.js';
import { Class, Mode, Size, type SizeName } from './opcode.js';
import type { Reg } from './register.js';

type BySize<F> = Readonly<Record<SizeName, F>>;

function bySize<F>(make: (size: number) => F): BySize<F> {
  return { b: make(Size.b), h: make(Size.h), w: make(Size.w), dw: make(Size.dw) };
}

/** dst = *(uN *)(src + off), zero-extended. */
export const ldx: BySize<(dst: Reg, src: Reg, off: number) => Insn> = bySize(
  (size) => (dst, src, off) => insn(Class.ldx | Mode.mem | size, dst, src, off, 0),
);

/** dst = *(sN *)(src + off), sign-extended to 64 bits (MEMSX mode; there is no 8-byte form). */
export const ldxs: Readonly<Record<'b' | 'h' | 'w', (dst: Reg, src: Reg, off: number) => Insn>> = {
  b: (dst, src, off) => insn(Class.ldx | Mode.memsx | Size.b, dst, src, off, 0),
  h: (dst, src, off) => insn(Class.ldx | Mode.memsx | Size.h, dst, src, off, 0),
  w: (dst, src, off) => insn(Class.ldx | Mode.memsx | Size.w, dst, src, off, 0),
};

/** *(uN *)(dstBase + off) = src. */
export const stx: BySize<(dstBase: Reg, off: number, src: Reg) => Insn> = bySize(
  (size) => (dstBase, off, src) => insn(Class.stx | Mode.mem | size, dstBase, src, off, 0),
);

/** *(uN *)(dstBase + off) = imm (sign-extended for dw). */
export const st: BySize<(dstBase: Reg, off: number, imm: number) => Insn> = bySize(
  (size) => (dstBase, off, imm) => insn(Class.st | Mode.mem | size, dstBase, 0, off, imm),
);
