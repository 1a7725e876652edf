// Text of one instruction, in the syntax of the kernel verifier's log ("r1 += 3",
// "*(u64 *)(r10 -8) = r1", "if w1 > 0x5 goto +3"). Anything the assembler never emits is
// shown field by field rather than guessed at.
import { helperNames } from './helper.js';
import type { Insn } from './insn.js';
import { high32 } from './ld-imm64.js';
import {
  AluCode,
  AtomicOp,
  FETCH,
  JmpCode,
  Mode,
  PSEUDO_MAP_FD,
  PSEUDO_MAP_VALUE,
  classOf,
  codeOf,
  modeOf,
  sizeOf,
  usesSrcReg,
  type SizeName,
} from './opcode.js';

const aluSymbols: ReadonlyMap<number, string> = new Map([
  [AluCode.add, '+='],
  [AluCode.sub, '-='],
  [AluCode.mul, '*='],
  [AluCode.div, '/='],
  [AluCode.or, '|='],
  [AluCode.and, '&='],
  [AluCode.lsh, '<<='],
  [AluCode.rsh, '>>='],
  [AluCode.mod, '%='],
  [AluCode.xor, '^='],
  [AluCode.mov, '='],
  [AluCode.arsh, 's>>='],
]);

const jumpSymbols: ReadonlyMap<number, string> = new Map([
  [JmpCode.jeq, '=='],
  [JmpCode.jne, '!='],
  [JmpCode.jgt, '>'],
  [JmpCode.jge, '>='],
  [JmpCode.jlt, '<'],
  [JmpCode.jle, '<='],
  [JmpCode.jsgt, 's>'],
  [JmpCode.jsge, 's>='],
  [JmpCode.jslt, 's<'],
  [JmpCode.jsle, 's<='],
  [JmpCode.jset, '&'],
]);

/** The simple atomic operations: the name of the fetch form, and the operator of the plain one. */
const atomicForms: ReadonlyMap<number, { readonly name: string; readonly symbol: string }> = new Map([
  [AtomicOp.add, { name: 'add', symbol: '+=' }],
  [AtomicOp.and, { name: 'and', symbol: '&=' }],
  [AtomicOp.or, { name: 'or', symbol: '|=' }],
  [AtomicOp.xor, { name: 'xor', symbol: '^=' }],
]);

const unsignedTypes: Readonly<Record<SizeName, string>> = { b: 'u8', h: 'u16', w: 'u32', dw: 'u64' };
const signedTypes: Readonly<Record<SizeName, string>> = { b: 's8', h: 's16', w: 's32', dw: 's64' };

/** Labels by slot, so a jump can name where it goes. */
export type LabelsAt = ReadonlyMap<number, readonly string[]>;

export function formatInsn(insn: Insn, slot: number, labelsAt: LabelsAt): string {
  const cls = classOf(insn.op);
  switch (cls) {
    case 'alu':
    case 'alu64':
      return formatAlu(insn, cls === 'alu64' ? 'r' : 'w') ?? raw(insn);
    case 'jmp':
    case 'jmp32':
      return formatJump(insn, cls === 'jmp' ? 'r' : 'w', slot, labelsAt) ?? raw(insn);
    case 'ldx':
      return formatLoad(insn) ?? raw(insn);
    case 'st':
      return modeOf(insn.op) === Mode.mem ? `${memRef(insn, insn.dst)} = ${insn.imm}` : raw(insn);
    case 'stx':
      return formatStore(insn) ?? raw(insn);
    case 'ld':
      return formatWide(insn) ?? raw(insn);
  }
}

/** Every field, for opcodes outside what the assembler builds. */
function raw(insn: Insn): string {
  return `.insn op=${hex(insn.op)} dst=${insn.dst} src=${insn.src} off=${insn.off} imm=${insn.imm}`;
}

function formatAlu(insn: Insn, r: 'r' | 'w'): string | undefined {
  const code = codeOf(insn.op);
  const dst = `${r}${insn.dst}`;
  if (code === AluCode.end) {
    // Byte swaps are printed with r registers whatever the class, as the kernel does.
    const kind = r === 'r' ? 'bswap' : usesSrcReg(insn.op) ? 'be' : 'le';
    return `r${insn.dst} = ${kind}${insn.imm} r${insn.dst}`;
  }
  if (code === AluCode.neg) return `${dst} = -${dst}`;
  let symbol = aluSymbols.get(code);
  if (symbol === undefined) return undefined;
  if (insn.off === 1 && (code === AluCode.div || code === AluCode.mod)) symbol = `s${symbol}`;
  else if (insn.off !== 0) return undefined;
  const operand = usesSrcReg(insn.op) ? `${r}${insn.src}` : `${insn.imm}`;
  return `${dst} ${symbol} ${operand}`;
}

function formatJump(insn: Insn, r: 'r' | 'w', slot: number, labelsAt: LabelsAt): string | undefined {
  const code = codeOf(insn.op);
  if (r === 'r' && code === JmpCode.exit) return 'exit';
  if (r === 'r' && code === JmpCode.call) {
    if (insn.src !== 0) return undefined;
    return `call ${helperNames.get(insn.imm) ?? 'unknown'}#${insn.imm}`;
  }
  const where = `goto ${signed(insn.off)}${targetNote(slot + 1 + insn.off, labelsAt)}`;
  if (r === 'r' && code === JmpCode.ja) return where;
  const symbol = jumpSymbols.get(code);
  if (symbol === undefined) return undefined;
  // The kernel prints compared immediates in hex, as the 32-bit pattern.
  const operand = usesSrcReg(insn.op) ? `${r}${insn.src}` : hex(insn.imm >>> 0);
  return `if ${r}${insn.dst} ${symbol} ${operand} ${where}`;
}

function targetNote(slot: number, labelsAt: LabelsAt): string {
  const names = labelsAt.get(slot);
  return names === undefined ? '' : ` <${names.join(', ')}>`;
}

function formatLoad(insn: Insn): string | undefined {
  const mode = modeOf(insn.op);
  const size = sizeOf(insn.op);
  if (mode === Mode.mem) return `r${insn.dst} = ${memRef(insn, insn.src)}`;
  if (mode === Mode.memsx && size !== 'dw') return `r${insn.dst} = *(${signedTypes[size]} *)(r${insn.src} ${signed(insn.off)})`;
  return undefined;
}

function formatStore(insn: Insn): string | undefined {
  const mode = modeOf(insn.op);
  if (mode === Mode.mem) return `${memRef(insn, insn.dst)} = r${insn.src}`;
  if (mode !== Mode.atomic) return undefined;
  const size = sizeOf(insn.op);
  if (size !== 'w' && size !== 'dw') return undefined;
  const fn = size === 'dw' ? 'atomic64' : 'atomic';
  const ptr = `(${unsignedTypes[size]} *)(r${insn.dst} ${signed(insn.off)})`;
  if (insn.imm === AtomicOp.xchg) return `r${insn.src} = ${fn}_xchg(${ptr}, r${insn.src})`;
  if (insn.imm === AtomicOp.cmpxchg) return `r0 = ${fn}_cmpxchg(${ptr}, r0, r${insn.src})`;
  const form = atomicForms.get(insn.imm & ~FETCH);
  if (form === undefined) return undefined;
  if ((insn.imm & FETCH) !== 0) return `r${insn.src} = ${fn}_fetch_${form.name}(${ptr}, r${insn.src})`;
  return `lock *${ptr} ${form.symbol} r${insn.src}`;
}

function formatWide(insn: Insn): string | undefined {
  if (insn.imm64 === undefined) return undefined;
  if (insn.src === 0) return `r${insn.dst} = ${hex(BigInt.asUintN(64, insn.imm64))} ll`;
  if (insn.src === PSEUDO_MAP_FD) return `r${insn.dst} = map[${insn.map ?? `fd:${insn.imm}`}] ll`;
  if (insn.src === PSEUDO_MAP_VALUE) return `r${insn.dst} = &map[${insn.map ?? `fd:${insn.imm}`}].value + ${high32(insn.imm64)} ll`;
  return undefined;
}

function memRef(insn: Insn, base: number): string {
  return `*(${unsignedTypes[sizeOf(insn.op)]} *)(r${base} ${signed(insn.off)})`;
}

function signed(n: number): string {
  return n < 0 ? `${n}` : `+${n}`;
}

function hex(n: number | bigint): string {
  return `0x${n.toString(16)}`;
}
