// The wide load: a 64-bit constant or a map reference, two 8-byte slots.
import { AsmError } from './error.js';
import { insn, type Insn } from './insn.js';
import { LD_IMM64, PSEUDO_MAP_FD, PSEUDO_MAP_VALUE } from './opcode.js';
import type { Reg } from './register.js';

const MIN = -(1n << 63n);
const MAX = (1n << 64n) - 1n;

/**
 * dst = value. Both signed and unsigned 64-bit spellings are accepted; imm64 keeps the signed
 * form, which is also what decode() gives back.
 */
export function lddw(dst: Reg, value: bigint): Insn {
  if (value < MIN || value > MAX) throw new AsmError(`lddw value ${value} does not fit in 64 bits`);
  const imm64 = BigInt.asIntN(64, value);
  return { ...insn(LD_IMM64, dst, 0, 0, low32(imm64)), imm64 };
}

/** dst = pointer to the map named mapName; encode() writes the map's fd into imm. */
export function ldMap(dst: Reg, mapName: string): Insn {
  return { ...insn(LD_IMM64, dst, PSEUDO_MAP_FD, 0, 0), imm64: 0n, map: mapName };
}

/**
 * dst = the address of byte `offset` of the value of the map named mapName, a one-entry array: no
 * lookup, no NULL check (the verifier knows the pointer is valid). encode() writes the map's fd
 * into imm; the offset is the second slot's imm.
 */
export function ldMapValue(dst: Reg, mapName: string, offset: number): Insn {
  if (!Number.isInteger(offset) || offset < 0 || offset > 0x7fffffff) throw new AsmError(`map value offset ${offset} is not a non-negative 32-bit integer`);
  return { ...insn(LD_IMM64, dst, PSEUDO_MAP_VALUE, 0, 0), imm64: BigInt(offset) << 32n, map: mapName };
}

/** The low 32 bits of a 64-bit value, as the signed imm field holds them. */
export function low32(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}

/** The high 32 bits, as the second slot's signed imm holds them. */
export function high32(v: bigint): number {
  return Number(BigInt.asIntN(32, v >> 32n));
}
