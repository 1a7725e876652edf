// The eBPF assembler: registers, instruction builders, labels, assembly to bytes and back,
// and disassembly. Opcode tables and field checks stay internal.
export { FP, R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, type Reg } from './register.js';
export { comment, label, type Insn, type Item, type Label } from './insn.js';
export {
  add, add32, and, and32, arsh, arsh32, be16, be32, be64, bswap16, bswap32, bswap64, div, div32,
  le16, le32, le64, lsh, lsh32, mod, mod32, mov, mov32, mul, mul32, neg, neg32, or, or32, rsh, rsh32,
  sdiv, sdiv32, smod, smod32, sub, sub32, xor, xor32, type AluOp,
} from './alu.js';
export {
  ja, jeq, jeq32, jge, jge32, jgt, jgt32, jle, jle32, jlt, jlt32, jne, jne32, jset, jset32, jsge, jsge32,
  jsgt, jsgt32, jsle, jsle32, jslt, jslt32, type JumpOp,
} from './jump.js';
export { call, exit } from './call.js';
export { ldx, ldxs, st, stx } from './memory.js';
export { atomic, type AtomicWidths } from './atomic.js';
export { lddw, ldMap, ldMapValue } from './ld-imm64.js';
export { Helper, helperNames, type HelperName } from './helper.js';
export { AsmError } from './error.js';
export { assemble, encode, type Assembled, type MapRef } from './assemble.js';
export { decode, disassemble } from './disassemble.js';
