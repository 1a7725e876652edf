// Jump builders. Conditional jumps compare dst with an immediate or a register and go to a
// named label; assemble() turns the label into a slot offset. JMP compares 64 bits, JMP32 the
// low 32.
import { insn, type Insn } from './insn.js';
import { Class, JmpCode, Source } from './opcode.js';
import type { Reg } from './register.js';

export interface JumpOp {
  readonly imm: (dst: Reg, imm: number, target: string) => Insn;
  readonly reg: (dst: Reg, src: Reg, target: string) => Insn;
}

function jumpOp(cls: number, code: number): JumpOp {
  return {
    imm: (dst, imm, target) => ({ ...insn(cls | code | Source.k, dst, 0, 0, imm), target }),
    reg: (dst, src, target) => ({ ...insn(cls | code | Source.x, dst, src, 0, 0), target }),
  };
}

/** Unconditional jump. */
export function ja(target: string): Insn {
  return { ...insn(Class.jmp | JmpCode.ja | Source.k, 0, 0, 0, 0), target };
}

export const jeq = jumpOp(Class.jmp, JmpCode.jeq);
export const jne = jumpOp(Class.jmp, JmpCode.jne);
export const jgt = jumpOp(Class.jmp, JmpCode.jgt);
export const jge = jumpOp(Class.jmp, JmpCode.jge);
export const jlt = jumpOp(Class.jmp, JmpCode.jlt);
export const jle = jumpOp(Class.jmp, JmpCode.jle);
export const jsgt = jumpOp(Class.jmp, JmpCode.jsgt);
export const jsge = jumpOp(Class.jmp, JmpCode.jsge);
export const jslt = jumpOp(Class.jmp, JmpCode.jslt);
export const jsle = jumpOp(Class.jmp, JmpCode.jsle);
export const jset = jumpOp(Class.jmp, JmpCode.jset);

export const jeq32 = jumpOp(Class.jmp32, JmpCode.jeq);
export const jne32 = jumpOp(Class.jmp32, JmpCode.jne);
export const jgt32 = jumpOp(Class.jmp32, JmpCode.jgt);
export const jge32 = jumpOp(Class.jmp32, JmpCode.jge);
export const jlt32 = jumpOp(Class.jmp32, JmpCode.jlt);
export const jle32 = jumpOp(Class.jmp32, JmpCode.jle);
export const jsgt32 = jumpOp(Class.jmp32, JmpCode.jsgt);
export const jsge32 = jumpOp(Class.jmp32, JmpCode.jsge);
export const jslt32 = jumpOp(Class.jmp32, JmpCode.jslt);
export const jsle32 = jumpOp(Class.jmp32, JmpCode.jsle);
export const jset32 = jumpOp(Class.jmp32, JmpCode.jset);

/** Whether an instruction with this opcode may carry a label target (conditional jumps and JMP's ja). */
export function takesTarget(op: number): boolean {
  const cls = op & 0x07;
  const code = op & 0xf0;
  if (cls === Class.jmp) return code !== JmpCode.call && code !== JmpCode.exit;
  // JMP32's ja is the 32-bit "gotol", whose offset lives in imm: not built here.
  if (cls === Class.jmp32) return code !== JmpCode.ja && code !== JmpCode.call && code !== JmpCode.exit;
  return false;
}
