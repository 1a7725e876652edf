// The fields of the opcode byte, as laid out in the kernel's instruction-set document
// (Documentation/bpf/standardization/instruction-set.rst). Builders OR these together;
// the disassembler and the checks in assemble() take them apart again.

/** Low three bits: the instruction class. */
export const Class = {
  ld: 0x00,
  ldx: 0x01,
  st: 0x02,
  stx: 0x03,
  alu: 0x04,
  jmp: 0x05,
  jmp32: 0x06,
  alu64: 0x07,
} as const;
export type ClassName = keyof typeof Class;

const classNames: readonly ClassName[] = ['ld', 'ldx', 'st', 'stx', 'alu', 'jmp', 'jmp32', 'alu64'];

export function classOf(op: number): ClassName {
  return classNames[op & 0x07]!;
}

/** Bit 3 of ALU and jump opcodes: the operand is the immediate (K) or the source register (X). */
export const Source = { k: 0x00, x: 0x08 } as const;

export function usesSrcReg(op: number): boolean {
  return (op & 0x08) === Source.x;
}

/** Bits 4–7 of ALU opcodes. */
export const AluCode = {
  add: 0x00,
  sub: 0x10,
  mul: 0x20,
  div: 0x30,
  or: 0x40,
  and: 0x50,
  lsh: 0x60,
  rsh: 0x70,
  neg: 0x80,
  mod: 0x90,
  xor: 0xa0,
  mov: 0xb0,
  arsh: 0xc0,
  end: 0xd0,
} as const;

/** Bits 4–7 of JMP and JMP32 opcodes. */
export const JmpCode = {
  ja: 0x00,
  jeq: 0x10,
  jgt: 0x20,
  jge: 0x30,
  jset: 0x40,
  jne: 0x50,
  jsgt: 0x60,
  jsge: 0x70,
  call: 0x80,
  exit: 0x90,
  jlt: 0xa0,
  jle: 0xb0,
  jslt: 0xc0,
  jsle: 0xd0,
} as const;

export function codeOf(op: number): number {
  return op & 0xf0;
}

/** Bits 3–4 of load/store opcodes: the access width. */
export const Size = { w: 0x00, h: 0x08, b: 0x10, dw: 0x18 } as const;
export type SizeName = keyof typeof Size;

const sizeNames: readonly SizeName[] = ['w', 'h', 'b', 'dw'];

export function sizeOf(op: number): SizeName {
  return sizeNames[(op >> 3) & 0x03]!;
}

/** Bits 5–7 of load/store opcodes. ABS and IND (legacy packet access) are never emitted. */
export const Mode = { imm: 0x00, mem: 0x60, memsx: 0x80, atomic: 0xc0 } as const;

export function modeOf(op: number): number {
  return op & 0xe0;
}

/** The imm field of an STX|ATOMIC instruction names the operation. */
export const AtomicOp = { add: 0x00, or: 0x40, and: 0x50, xor: 0xa0, xchg: 0xe1, cmpxchg: 0xf1 } as const;
/** Modifier bit of AtomicOp: the old memory value is written back to the source register. */
export const FETCH = 0x01;

/** The only wide instruction: a 64-bit immediate load that occupies two 8-byte slots. */
export const LD_IMM64 = Class.ld | Mode.imm | Size.dw;
/** src_reg of an ld_imm64 whose imm is a map file descriptor. */
export const PSEUDO_MAP_FD = 1;
/** src_reg of an ld_imm64 that loads the address of a map's value: imm the map's fd, the second slot's imm an offset in the value. */
export const PSEUDO_MAP_VALUE = 2;

/** Number of 8-byte slots an instruction with this opcode occupies. */
export function slotWidth(op: number): 1 | 2 {
  return op === LD_IMM64 ? 2 : 1;
}
