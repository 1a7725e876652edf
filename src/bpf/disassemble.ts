// Readable listing of an assembled program: one line per instruction, numbered by slot,
// each label on its own line before the instruction it marks, comments after "; ".
import type { Assembled } from './assemble.js';
import { formatInsn } from './format.js';
import { slotWidth } from './opcode.js';

export { decode } from './codec.js';

export function disassemble(asm: Assembled): string {
  const labelsAt = new Map<number, string[]>();
  for (const [name, slot] of asm.labels) {
    const names = labelsAt.get(slot);
    if (names === undefined) labelsAt.set(slot, [name]);
    else names.push(name);
  }
  const lines: string[] = [];
  let slot = 0;
  for (const insn of asm.insns) {
    for (const name of labelsAt.get(slot) ?? []) lines.push(`${name}:`);
    const text = `${String(slot).padStart(4)}: ${formatInsn(insn, slot, labelsAt)}`;
    lines.push(insn.comment === undefined ? text : `${text}  ; ${insn.comment}`);
    slot += slotWidth(insn.op);
  }
  return lines.join('\n');
}
