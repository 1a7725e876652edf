// Every program starts by keeping its context in r6 (preamble.ts), since helper calls clobber r1.
// A program that never reads it (count by comm: the comm and the map calls need no context) pays
// for that move and, on x86-64, for the JIT saving and restoring the callee-saved register r6 maps
// to. This pass drops the move when no other instruction names r6, as a hand-written program would
// not have it.
import type { Item } from '../bpf/insn.js';
import { AluCode, Class, classOf, JmpCode, Source } from '../bpf/opcode.js';
import { R1, R6 } from '../bpf/register.js';

const MOV64_REG = Class.alu64 | AluCode.mov | Source.x;

/** Whether the instruction names r6. ld_imm64's and call's src field is a pseudo kind, not a register. */
function namesR6(i: Item): boolean {
  if (i.kind !== 'insn') return false;
  const pseudoSrc = classOf(i.op) === 'ld' || i.op === (Class.jmp | JmpCode.call);
  return i.dst === R6 || (!pseudoSrc && i.src === R6);
}

/** `items` without its first instruction `r6 = r1` when nothing after it names r6. */
export function withoutUnusedContext(items: readonly Item[]): readonly Item[] {
  const first = items.findIndex((i) => i.kind === 'insn');
  const move = items[first];
  if (move === undefined || move.kind !== 'insn' || move.op !== MOV64_REG || move.dst !== R6 || move.src !== R1) return items;
  if (items.some((i, n) => n !== first && namesR6(i))) return items;
  return items.filter((_, n) => n !== first);
}
