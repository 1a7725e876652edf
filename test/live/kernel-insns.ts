// Raw eBPF instructions for the kernel tests, packed by hand on purpose: these tests check the
// kernel layer on its own, so they do not use bpfql's assembler. Each helper only packs the
// fields of struct bpf_insn { u8 code; u8 dst:4, src:4; s16 off; s32 imm; } little-endian;
// the opcode bytes are written out at each call site.

/** One 8-byte instruction slot. */
export function insn(code: number, dst: number, src: number, off: number, imm: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt8(code, 0);
  b.writeUInt8(((src & 0xf) << 4) | (dst & 0xf), 1);
  b.writeInt16LE(off, 2);
  b.writeInt32LE(imm, 4);
  return b;
}

/** ld_imm64 dst = map (opcode 0x18, src = 1 = BPF_PSEUDO_MAP_FD): two slots. */
export function ldMapFd(dst: number, mapFd: number): Buffer {
  return Buffer.concat([insn(0x18, dst, 1, 0, mapFd), insn(0x00, 0, 0, 0, 0)]);
}

export function program(...slots: Buffer[]): Buffer {
  return Buffer.concat(slots);
}

// Helper ids (enum bpf_func_id).
export const Helper = {
  mapLookupElem: 1,
  getCurrentPidTgid: 14,
  getCurrentTask: 35,
  probeReadKernel: 113,
  ringbufReserve: 131,
  ringbufSubmit: 132,
  ringbufDiscard: 133,
} as const;

export const R0 = 0;
export const R1 = 1;
export const R2 = 2;
export const R3 = 3;
export const R6 = 6;
export const R7 = 7;
export const R10 = 10;
