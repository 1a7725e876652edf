// Function-boundary instructions: calling a kernel helper and returning from the program.
import { insn, type Insn } from './insn.js';
import { Class, JmpCode, Source } from './opcode.js';

/** Call a kernel helper by id (see Helper). Arguments go in R1–R5, the result comes back in R0. */
export function call(helper: number): Insn {
  return insn(Class.jmp | JmpCode.call | Source.k, 0, 0, 0, helper);
}

/** Return R0 to the caller. */
export function exit(): Insn {
  return insn(Class.jmp | JmpCode.exit | Source.k, 0, 0, 0, 0);
}
