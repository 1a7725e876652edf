// Turns a list of instructions and labels into final instructions: labels become slot numbers,
// jumps get their offsets, map references are listed for the loader, and every field is
// checked so that encode() can only write what the kernel can read.
import { AsmError } from './error.js';
import { formatInsn } from './format.js';
import type { Insn, Item } from './insn.js';
import { takesTarget } from './jump.js';
import { low32 } from './ld-imm64.js';
import { AluCode, AtomicOp, FETCH, JmpCode, LD_IMM64, Mode, PSEUDO_MAP_FD, PSEUDO_MAP_VALUE, classOf, codeOf, modeOf, slotWidth, usesSrcReg } from './opcode.js';
import { R10, isReg } from './register.js';
import { assertNever } from '../diag/assert-never.js';

export { encode } from './codec.js';

export interface MapRef {
  /** Slot of the ld_imm64 whose imm takes the map's fd. */
  readonly slot: number;
  readonly map: string;
}

export interface Assembled {
  /** Labels removed, jump offsets filled in (off counts slots from pc+1). */
  readonly insns: readonly Insn[];
  /** Length in 8-byte slots; ld_imm64 counts as two. */
  readonly slots: number;
  readonly mapRefs: readonly MapRef[];
  /** Label name -> slot of the instruction it marks. */
  readonly labels: ReadonlyMap<string, number>;
}

export function assemble(items: readonly Item[]): Assembled {
  const { labels, slots } = placeLabels(items);
  const insns: Insn[] = [];
  const mapRefs: MapRef[] = [];
  let slot = 0;
  for (const item of items) {
    if (item.kind === 'label') continue;
    const resolved = item.target === undefined ? item : resolveJump(item, item.target, slot, labels);
    checkInsn(resolved, slot);
    if (resolved.map !== undefined) mapRefs.push({ slot, map: resolved.map });
    insns.push(resolved);
    slot += slotWidth(resolved.op);
  }
  return { insns, slots, mapRefs, labels };
}

function placeLabels(items: readonly Item[]): { labels: Map<string, number>; slots: number } {
  const labels = new Map<string, number>();
  let slot = 0;
  for (const item of items) {
    switch (item.kind) {
      case 'label': {
        if (item.name === '') throw new AsmError(`slot ${slot}: a label needs a name`);
        const before = labels.get(item.name);
        if (before !== undefined) {
          throw new AsmError(`label '${item.name}' is defined twice (slots ${before} and ${slot})`);
        }
        labels.set(item.name, slot);
        break;
      }
      case 'insn':
        slot += slotWidth(item.op);
        break;
      default:
        return assertNever(item);
    }
  }
  for (const [name, at] of labels) {
    if (at === slot) throw new AsmError(`label '${name}' is at the end of the program: no instruction follows it`);
  }
  return { labels, slots: slot };
}

function resolveJump(insn: Insn, target: string, slot: number, labels: ReadonlyMap<string, number>): Insn {
  if (!takesTarget(insn.op)) {
    throw new AsmError(`slot ${slot}: opcode 0x${insn.op.toString(16)} is not a jump but has target '${target}'`);
  }
  const to = labels.get(target);
  if (to === undefined) throw new AsmError(`slot ${slot}: jump to unknown label '${target}'`);
  const off = to - (slot + 1);
  if (!fits(off, 16)) {
    throw new AsmError(`slot ${slot}: jump to '${target}' at slot ${to} needs offset ${off}, outside the signed 16-bit range`);
  }
  // The label has become an offset; dropping it leaves plain data that decode() also yields.
  const { target: _resolved, ...rest } = insn;
  return { ...rest, off };
}

function checkInsn(insn: Insn, slot: number): void {
  const at = `slot ${slot}`;
  if (!Number.isInteger(insn.op) || insn.op < 0 || insn.op > 0xff) throw new AsmError(`${at}: opcode ${insn.op} is not a byte`);
  if (!isReg(insn.dst)) throw new AsmError(`${at}: dst register ${String(insn.dst)} does not exist (r0 to r10)`);
  if (!Number.isInteger(insn.src) || insn.src < 0 || insn.src > 15) throw new AsmError(`${at}: src ${insn.src} does not fit in 4 bits`);
  if (srcIsRegister(insn.op) && !isReg(insn.src)) throw new AsmError(`${at}: src register ${insn.src} does not exist (r0 to r10)`);
  if (!fits(insn.off, 16)) throw new AsmError(`${at}: offset ${insn.off} is outside the signed 16-bit range`);
  if (!fits(insn.imm, 32)) {
    throw new AsmError(`${at}: immediate ${insn.imm} is outside the signed 32-bit range (lddw loads 64-bit constants)`);
  }
  checkWide(insn, at);
  if (writesFramePointer(insn)) {
    throw new AsmError(`${at}: '${formatInsn(insn, slot, new Map())}' writes r10, the read-only frame pointer`);
  }
}

/** ld_imm64 must carry its full value in imm64 (imm its low half); only it may name a map. */
function checkWide(insn: Insn, at: string): void {
  if (insn.op === LD_IMM64) {
    if (insn.imm64 === undefined) throw new AsmError(`${at}: ld_imm64 without its 64-bit value (imm64)`);
    if (insn.imm !== low32(insn.imm64)) throw new AsmError(`${at}: ld_imm64 imm ${insn.imm} is not the low half of imm64 ${insn.imm64}`);
    if (insn.map !== undefined && insn.src !== PSEUDO_MAP_FD && insn.src !== PSEUDO_MAP_VALUE) {
      throw new AsmError(`${at}: map reference '${insn.map}' needs src ${PSEUDO_MAP_FD} (BPF_PSEUDO_MAP_FD) or ${PSEUDO_MAP_VALUE} (BPF_PSEUDO_MAP_VALUE)`);
    }
    if (insn.map !== undefined && insn.src === PSEUDO_MAP_FD && insn.imm64 !== 0n) throw new AsmError(`${at}: map reference '${insn.map}' carries a value ${insn.imm64}`);
    return;
  }
  if (insn.imm64 !== undefined) throw new AsmError(`${at}: only ld_imm64 (opcode 0x18) carries imm64`);
  if (insn.map !== undefined) throw new AsmError(`${at}: only ld_imm64 (opcode 0x18) can reference map '${insn.map}'`);
}

/** Opcodes whose src field names a register (rather than a pseudo type or nothing). */
function srcIsRegister(op: number): boolean {
  const cls = classOf(op);
  switch (cls) {
    case 'ldx':
    case 'stx':
      return true;
    case 'alu':
    case 'alu64':
      // For END the source bit picks the byte order, not an operand.
      return usesSrcReg(op) && codeOf(op) !== AluCode.end;
    case 'jmp':
    case 'jmp32':
      return usesSrcReg(op) && codeOf(op) !== JmpCode.call && codeOf(op) !== JmpCode.exit;
    case 'ld':
    case 'st':
      return false;
  }
}

/** R10 is read-only: no instruction may write it, including the fetch forms of atomics, which write src. */
function writesFramePointer(insn: Insn): boolean {
  const cls = classOf(insn.op);
  switch (cls) {
    case 'alu':
    case 'alu64':
    case 'ldx':
    case 'ld':
      return insn.dst === R10;
    case 'stx':
      // cmpxchg writes R0, never src.
      return modeOf(insn.op) === Mode.atomic && insn.imm !== AtomicOp.cmpxchg && (insn.imm & FETCH) !== 0 && insn.src === R10;
    case 'st':
    case 'jmp':
    case 'jmp32':
      return false;
  }
}

function fits(n: number, bits: 16 | 32): boolean {
  const limit = 2 ** (bits - 1);
  return Number.isInteger(n) && n >= -limit && n < limit;
}
