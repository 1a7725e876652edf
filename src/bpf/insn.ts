// The plain data the assembler works on: instructions and label marks, mixed in one list.
import { AsmError } from './error.js';
import type { Reg } from './register.js';

/** One instruction, field for field as struct bpf_insn, plus what assemble() and the loader resolve. */
export interface Insn {
  readonly kind: 'insn';
  /** The opcode byte. */
  readonly op: number;
  readonly dst: Reg;
  /** The source register, or a pseudo type for ld_imm64 (1 = map fd) and call. */
  readonly src: number;
  readonly off: number;
  readonly imm: number;
  /** The full 64-bit value of an ld_imm64 (two slots); imm holds its low 32 bits. */
  readonly imm64?: bigint;
  /** Label a jump goes to; assemble() turns it into off. */
  readonly target?: string;
  /** Map referenced by an ld_imm64; its fd is patched into imm by encode(). */
  readonly map?: string;
  /** Shown at the end of the instruction's disassembly line. */
  readonly comment?: string;
}

export interface Label {
  readonly kind: 'label';
  readonly name: string;
}

export type Item = Insn | Label;

export function label(name: string): Label {
  return { kind: 'label', name };
}

/** A copy of insn carrying a comment. Comments are one line because the disassembly is. */
export function comment<T extends Insn>(text: string, insn: T): T {
  if (/[\r\n]/.test(text)) throw new AsmError(`comment ${JSON.stringify(text)} spans several lines`);
  return { ...insn, comment: text };
}

/** The builders' common constructor: only the five struct fields, no optional keys. */
export function insn(op: number, dst: Reg, src: number, off: number, imm: number): Insn {
  return { kind: 'insn', op, dst, src, off, imm };
}
