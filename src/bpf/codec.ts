// The binary layout of struct bpf_insn on a little-endian host: u8 code; u8 dst (low nibble)
// and src (high nibble); s16 off; s32 imm. An ld_imm64 spills into a second slot whose only
// non-zero field is imm, the value's high 32 bits. encode() and decode() are inverses.
import type { Assembled } from './assemble.js';
import { AsmError } from './error.js';
import type { Insn } from './insn.js';
import { high32, low32 } from './ld-imm64.js';
import { LD_IMM64, slotWidth } from './opcode.js';
import { isReg } from './register.js';

const SLOT = 8;

/** The bytes of an assembled program, with each referenced map's fd written into its ld_imm64 (its low half: a map value's offset is the high half). */
export function encode(asm: Assembled, mapFds: ReadonlyMap<string, number>): Buffer {
  const slots = asm.insns.reduce((n, insn) => n + slotWidth(insn.op), 0);
  const out = Buffer.alloc(slots * SLOT);
  let slot = 0;
  for (const insn of asm.insns) {
    if (insn.op === LD_IMM64) {
      const imm64 = insn.imm64 ?? 0n;
      const value = insn.map === undefined ? imm64 : (BigInt.asUintN(64, imm64) & ~0xffffffffn) | BigInt(mapFd(mapFds, insn.map, slot));
      writeSlot(out, slot, insn.op, insn.dst, insn.src, insn.off, low32(value));
      writeSlot(out, slot + 1, 0, 0, 0, 0, high32(value));
    } else {
      writeSlot(out, slot, insn.op, insn.dst, insn.src, insn.off, insn.imm);
    }
    slot += slotWidth(insn.op);
  }
  return out;
}

function mapFd(mapFds: ReadonlyMap<string, number>, name: string, slot: number): number {
  const fd = mapFds.get(name);
  if (fd === undefined) throw new AsmError(`slot ${slot}: no fd given for map '${name}'`);
  if (!Number.isInteger(fd) || fd < 0 || fd > 0x7fffffff) throw new AsmError(`slot ${slot}: fd ${fd} of map '${name}' is not a valid descriptor`);
  return fd;
}

function writeSlot(out: Buffer, slot: number, op: number, dst: number, src: number, off: number, imm: number): void {
  const at = slot * SLOT;
  out.writeUInt8(op, at);
  out.writeUInt8((src << 4) | dst, at + 1);
  out.writeInt16LE(off, at + 2);
  out.writeInt32LE(imm, at + 4);
}

/** Instructions back from bytes. Map references come back as src = 1 with the fd in imm. */
export function decode(bytes: Buffer): Insn[] {
  if (bytes.length % SLOT !== 0) throw new AsmError(`${bytes.length} bytes is not a whole number of 8-byte instructions`);
  const insns: Insn[] = [];
  for (let at = 0; at < bytes.length; ) {
    const slot = at / SLOT;
    const op = bytes.readUInt8(at);
    const regs = bytes.readUInt8(at + 1);
    const dst = regs & 0x0f;
    if (!isReg(dst)) throw new AsmError(`slot ${slot}: dst register ${dst} does not exist (r0 to r10)`);
    const base = { kind: 'insn' as const, op, dst, src: regs >> 4, off: bytes.readInt16LE(at + 2), imm: bytes.readInt32LE(at + 4) };
    if (op !== LD_IMM64) {
      insns.push(base);
      at += SLOT;
      continue;
    }
    const next = at + SLOT;
    if (next + SLOT > bytes.length) throw new AsmError(`slot ${slot}: ld_imm64 is cut off: its second slot is missing`);
    if (bytes.readUInt8(next) !== 0 || bytes.readUInt8(next + 1) !== 0 || bytes.readInt16LE(next + 2) !== 0) {
      throw new AsmError(`slot ${slot + 1}: second slot of ld_imm64 must have zero code, registers and offset`);
    }
    const high = BigInt(bytes.readInt32LE(next + 4));
    insns.push({ ...base, imm64: BigInt.asIntN(64, (high << 32n) | BigInt(base.imm >>> 0)) });
    at += 2 * SLOT;
  }
  return insns;
}
