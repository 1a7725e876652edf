// One row per builder: the exact bytes the kernel will read and the disassembly text.
// Opcodes are taken from the kernel's Documentation/bpf/standardization/instruction-set.rst:
// class in bits 0-2; for ALU/JMP the source bit 3 (K=0, X=8) and code in bits 4-7; for
// loads and stores size in bits 3-4 (W=0x00, H=0x08, B=0x10, DW=0x18) and mode in bits 5-7
// (IMM=0x00, MEM=0x60, MEMSX=0x80, ATOMIC=0xc0). Bytes: code, src<<4|dst, off (LE), imm (LE).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FP, Helper, R0, R1, R2, R3, R4, R5, R6, R10,
  add, add32, and, and32, arsh, arsh32, assemble, atomic, be16, be32, be64, bswap16, bswap32, bswap64,
  call, decode, disassemble, div, div32, encode, exit, ja, jeq, jeq32, jge, jge32, jgt, jgt32, jle, jle32,
  jlt, jlt32, jne, jne32, jset, jset32, jsge, jsge32, jsgt, jsgt32, jsle, jsle32, jslt, jslt32, label,
  ldMap, ldMapValue, lddw, ldx, ldxs, le16, le32, le64, lsh, lsh32, mod, mod32, mov, mov32, mul, mul32, neg, neg32,
  or, or32, rsh, rsh32, sdiv, sdiv32, smod, smod32, st, stx, sub, sub32, xor, xor32,
  type Insn,
} from '../../src/bpf/index.js';

interface Row {
  readonly name: string;
  readonly insn: Insn;
  /** code, regs, off, imm, spaces only for reading; a second slot follows for ld_imm64. */
  readonly hex: string;
  readonly text: string;
}

const rows: readonly Row[] = [
  // The worked example of the kernel document: r1 += 0x11223344.
  { name: 'add.imm (spec example)', insn: add.imm(R1, 0x11223344), hex: '07 01 0000 44332211', text: 'r1 += 287454020' },
  // ALU64: K = code|0x07, X = code|0x0f
  { name: 'mov.imm', insn: mov.imm(R1, 5), hex: 'b7 01 0000 05000000', text: 'r1 = 5' },
  { name: 'mov.reg', insn: mov.reg(R6, R1), hex: 'bf 16 0000 00000000', text: 'r6 = r1' },
  { name: 'mov.reg from fp', insn: mov.reg(R2, FP), hex: 'bf a2 0000 00000000', text: 'r2 = r10' },
  { name: 'add.imm negative', insn: add.imm(R2, -8), hex: '07 02 0000 f8ffffff', text: 'r2 += -8' },
  { name: 'add.reg', insn: add.reg(R1, R2), hex: '0f 21 0000 00000000', text: 'r1 += r2' },
  { name: 'sub.imm', insn: sub.imm(R2, 3), hex: '17 02 0000 03000000', text: 'r2 -= 3' },
  { name: 'sub.reg', insn: sub.reg(R2, R3), hex: '1f 32 0000 00000000', text: 'r2 -= r3' },
  { name: 'mul.imm', insn: mul.imm(R3, 10), hex: '27 03 0000 0a000000', text: 'r3 *= 10' },
  { name: 'mul.reg', insn: mul.reg(R3, R4), hex: '2f 43 0000 00000000', text: 'r3 *= r4' },
  { name: 'div.imm', insn: div.imm(R4, 7), hex: '37 04 0000 07000000', text: 'r4 /= 7' },
  { name: 'div.reg', insn: div.reg(R4, R5), hex: '3f 54 0000 00000000', text: 'r4 /= r5' },
  { name: 'sdiv.imm (off 1)', insn: sdiv.imm(R4, 7), hex: '37 04 0100 07000000', text: 'r4 s/= 7' },
  { name: 'sdiv.reg (off 1)', insn: sdiv.reg(R4, R5), hex: '3f 54 0100 00000000', text: 'r4 s/= r5' },
  { name: 'or.imm', insn: or.imm(R5, 0x100), hex: '47 05 0000 00010000', text: 'r5 |= 256' },
  { name: 'or.reg', insn: or.reg(R5, R1), hex: '4f 15 0000 00000000', text: 'r5 |= r1' },
  { name: 'and.imm', insn: and.imm(R1, 0xff), hex: '57 01 0000 ff000000', text: 'r1 &= 255' },
  { name: 'and.reg', insn: and.reg(R1, R2), hex: '5f 21 0000 00000000', text: 'r1 &= r2' },
  { name: 'lsh.imm', insn: lsh.imm(R1, 32), hex: '67 01 0000 20000000', text: 'r1 <<= 32' },
  { name: 'lsh.reg', insn: lsh.reg(R1, R2), hex: '6f 21 0000 00000000', text: 'r1 <<= r2' },
  { name: 'rsh.imm', insn: rsh.imm(R1, 32), hex: '77 01 0000 20000000', text: 'r1 >>= 32' },
  { name: 'rsh.reg', insn: rsh.reg(R1, R2), hex: '7f 21 0000 00000000', text: 'r1 >>= r2' },
  { name: 'neg', insn: neg(R1), hex: '87 01 0000 00000000', text: 'r1 = -r1' },
  { name: 'mod.imm', insn: mod.imm(R1, 3), hex: '97 01 0000 03000000', text: 'r1 %= 3' },
  { name: 'mod.reg', insn: mod.reg(R1, R2), hex: '9f 21 0000 00000000', text: 'r1 %= r2' },
  { name: 'smod.imm (off 1)', insn: smod.imm(R1, 3), hex: '97 01 0100 03000000', text: 'r1 s%= 3' },
  { name: 'smod.reg (off 1)', insn: smod.reg(R1, R2), hex: '9f 21 0100 00000000', text: 'r1 s%= r2' },
  { name: 'xor.imm', insn: xor.imm(R1, 1), hex: 'a7 01 0000 01000000', text: 'r1 ^= 1' },
  { name: 'xor.reg', insn: xor.reg(R1, R2), hex: 'af 21 0000 00000000', text: 'r1 ^= r2' },
  { name: 'arsh.imm', insn: arsh.imm(R1, 32), hex: 'c7 01 0000 20000000', text: 'r1 s>>= 32' },
  { name: 'arsh.reg', insn: arsh.reg(R1, R2), hex: 'cf 21 0000 00000000', text: 'r1 s>>= r2' },
  { name: 'bswap16', insn: bswap16(R1), hex: 'd7 01 0000 10000000', text: 'r1 = bswap16 r1' },
  { name: 'bswap32', insn: bswap32(R1), hex: 'd7 01 0000 20000000', text: 'r1 = bswap32 r1' },
  { name: 'bswap64', insn: bswap64(R1), hex: 'd7 01 0000 40000000', text: 'r1 = bswap64 r1' },
  // ALU (32-bit): K = code|0x04, X = code|0x0c
  { name: 'mov32.imm', insn: mov32.imm(R1, 3), hex: 'b4 01 0000 03000000', text: 'w1 = 3' },
  { name: 'mov32.reg', insn: mov32.reg(R1, R2), hex: 'bc 21 0000 00000000', text: 'w1 = w2' },
  { name: 'add32.imm', insn: add32.imm(R1, 3), hex: '04 01 0000 03000000', text: 'w1 += 3' },
  { name: 'add32.reg', insn: add32.reg(R1, R2), hex: '0c 21 0000 00000000', text: 'w1 += w2' },
  { name: 'sub32.imm', insn: sub32.imm(R1, 3), hex: '14 01 0000 03000000', text: 'w1 -= 3' },
  { name: 'sub32.reg', insn: sub32.reg(R1, R2), hex: '1c 21 0000 00000000', text: 'w1 -= w2' },
  { name: 'mul32.imm', insn: mul32.imm(R1, 3), hex: '24 01 0000 03000000', text: 'w1 *= 3' },
  { name: 'mul32.reg', insn: mul32.reg(R1, R2), hex: '2c 21 0000 00000000', text: 'w1 *= w2' },
  { name: 'div32.imm', insn: div32.imm(R1, 3), hex: '34 01 0000 03000000', text: 'w1 /= 3' },
  { name: 'div32.reg', insn: div32.reg(R1, R2), hex: '3c 21 0000 00000000', text: 'w1 /= w2' },
  { name: 'sdiv32.imm', insn: sdiv32.imm(R1, -3), hex: '34 01 0100 fdffffff', text: 'w1 s/= -3' },
  { name: 'sdiv32.reg', insn: sdiv32.reg(R1, R2), hex: '3c 21 0100 00000000', text: 'w1 s/= w2' },
  { name: 'or32.imm', insn: or32.imm(R1, 3), hex: '44 01 0000 03000000', text: 'w1 |= 3' },
  { name: 'or32.reg', insn: or32.reg(R1, R2), hex: '4c 21 0000 00000000', text: 'w1 |= w2' },
  { name: 'and32.imm', insn: and32.imm(R1, 3), hex: '54 01 0000 03000000', text: 'w1 &= 3' },
  { name: 'and32.reg', insn: and32.reg(R1, R2), hex: '5c 21 0000 00000000', text: 'w1 &= w2' },
  { name: 'lsh32.imm', insn: lsh32.imm(R1, 3), hex: '64 01 0000 03000000', text: 'w1 <<= 3' },
  { name: 'lsh32.reg', insn: lsh32.reg(R1, R2), hex: '6c 21 0000 00000000', text: 'w1 <<= w2' },
  { name: 'rsh32.imm', insn: rsh32.imm(R1, 3), hex: '74 01 0000 03000000', text: 'w1 >>= 3' },
  { name: 'rsh32.reg', insn: rsh32.reg(R1, R2), hex: '7c 21 0000 00000000', text: 'w1 >>= w2' },
  { name: 'neg32', insn: neg32(R3), hex: '84 03 0000 00000000', text: 'w3 = -w3' },
  { name: 'mod32.imm', insn: mod32.imm(R1, 3), hex: '94 01 0000 03000000', text: 'w1 %= 3' },
  { name: 'mod32.reg', insn: mod32.reg(R1, R2), hex: '9c 21 0000 00000000', text: 'w1 %= w2' },
  { name: 'smod32.imm', insn: smod32.imm(R1, 3), hex: '94 01 0100 03000000', text: 'w1 s%= 3' },
  { name: 'smod32.reg', insn: smod32.reg(R1, R2), hex: '9c 21 0100 00000000', text: 'w1 s%= w2' },
  { name: 'xor32.imm', insn: xor32.imm(R1, 3), hex: 'a4 01 0000 03000000', text: 'w1 ^= 3' },
  { name: 'xor32.reg', insn: xor32.reg(R1, R2), hex: 'ac 21 0000 00000000', text: 'w1 ^= w2' },
  { name: 'arsh32.imm', insn: arsh32.imm(R1, 3), hex: 'c4 01 0000 03000000', text: 'w1 s>>= 3' },
  { name: 'arsh32.reg', insn: arsh32.reg(R1, R2), hex: 'cc 21 0000 00000000', text: 'w1 s>>= w2' },
  // END in the ALU class: source bit K = to little endian, X = to big endian; imm = width.
  { name: 'le16', insn: le16(R1), hex: 'd4 01 0000 10000000', text: 'r1 = le16 r1' },
  { name: 'le32', insn: le32(R1), hex: 'd4 01 0000 20000000', text: 'r1 = le32 r1' },
  { name: 'le64', insn: le64(R1), hex: 'd4 01 0000 40000000', text: 'r1 = le64 r1' },
  { name: 'be16', insn: be16(R1), hex: 'dc 01 0000 10000000', text: 'r1 = be16 r1' },
  { name: 'be32', insn: be32(R1), hex: 'dc 01 0000 20000000', text: 'r1 = be32 r1' },
  { name: 'be64', insn: be64(R1), hex: 'dc 01 0000 40000000', text: 'r1 = be64 r1' },
  // JMP: K = code|0x05, X = code|0x0d. Every jump here goes to label t on the next slot (+0).
  { name: 'ja', insn: ja('t'), hex: '05 00 0000 00000000', text: 'goto +0 <t>' },
  { name: 'jeq.imm', insn: jeq.imm(R1, 5, 't'), hex: '15 01 0000 05000000', text: 'if r1 == 0x5 goto +0 <t>' },
  { name: 'jeq.reg', insn: jeq.reg(R1, R2, 't'), hex: '1d 21 0000 00000000', text: 'if r1 == r2 goto +0 <t>' },
  { name: 'jgt.imm', insn: jgt.imm(R1, 5, 't'), hex: '25 01 0000 05000000', text: 'if r1 > 0x5 goto +0 <t>' },
  { name: 'jgt.reg', insn: jgt.reg(R1, R2, 't'), hex: '2d 21 0000 00000000', text: 'if r1 > r2 goto +0 <t>' },
  { name: 'jge.imm', insn: jge.imm(R1, 5, 't'), hex: '35 01 0000 05000000', text: 'if r1 >= 0x5 goto +0 <t>' },
  { name: 'jge.reg', insn: jge.reg(R1, R2, 't'), hex: '3d 21 0000 00000000', text: 'if r1 >= r2 goto +0 <t>' },
  { name: 'jset.imm', insn: jset.imm(R1, 5, 't'), hex: '45 01 0000 05000000', text: 'if r1 & 0x5 goto +0 <t>' },
  { name: 'jset.reg', insn: jset.reg(R1, R2, 't'), hex: '4d 21 0000 00000000', text: 'if r1 & r2 goto +0 <t>' },
  { name: 'jne.imm', insn: jne.imm(R1, 5, 't'), hex: '55 01 0000 05000000', text: 'if r1 != 0x5 goto +0 <t>' },
  { name: 'jne.reg', insn: jne.reg(R1, R2, 't'), hex: '5d 21 0000 00000000', text: 'if r1 != r2 goto +0 <t>' },
  { name: 'jsgt.imm', insn: jsgt.imm(R1, -1, 't'), hex: '65 01 0000 ffffffff', text: 'if r1 s> 0xffffffff goto +0 <t>' },
  { name: 'jsgt.reg', insn: jsgt.reg(R1, R2, 't'), hex: '6d 21 0000 00000000', text: 'if r1 s> r2 goto +0 <t>' },
  { name: 'jsge.imm', insn: jsge.imm(R1, 5, 't'), hex: '75 01 0000 05000000', text: 'if r1 s>= 0x5 goto +0 <t>' },
  { name: 'jsge.reg', insn: jsge.reg(R1, R2, 't'), hex: '7d 21 0000 00000000', text: 'if r1 s>= r2 goto +0 <t>' },
  { name: 'jlt.imm', insn: jlt.imm(R1, 5, 't'), hex: 'a5 01 0000 05000000', text: 'if r1 < 0x5 goto +0 <t>' },
  { name: 'jlt.reg', insn: jlt.reg(R1, R2, 't'), hex: 'ad 21 0000 00000000', text: 'if r1 < r2 goto +0 <t>' },
  { name: 'jle.imm', insn: jle.imm(R1, 5, 't'), hex: 'b5 01 0000 05000000', text: 'if r1 <= 0x5 goto +0 <t>' },
  { name: 'jle.reg', insn: jle.reg(R1, R2, 't'), hex: 'bd 21 0000 00000000', text: 'if r1 <= r2 goto +0 <t>' },
  { name: 'jslt.imm', insn: jslt.imm(R1, 5, 't'), hex: 'c5 01 0000 05000000', text: 'if r1 s< 0x5 goto +0 <t>' },
  { name: 'jslt.reg', insn: jslt.reg(R1, R2, 't'), hex: 'cd 21 0000 00000000', text: 'if r1 s< r2 goto +0 <t>' },
  { name: 'jsle.imm', insn: jsle.imm(R1, 5, 't'), hex: 'd5 01 0000 05000000', text: 'if r1 s<= 0x5 goto +0 <t>' },
  { name: 'jsle.reg', insn: jsle.reg(R1, R2, 't'), hex: 'dd 21 0000 00000000', text: 'if r1 s<= r2 goto +0 <t>' },
  { name: 'call', insn: call(Helper.mapLookupElem), hex: '85 00 0000 01000000', text: 'call bpf_map_lookup_elem#1' },
  { name: 'call ringbufReserve', insn: call(Helper.ringbufReserve), hex: '85 00 0000 83000000', text: 'call bpf_ringbuf_reserve#131' },
  { name: 'call unknown helper', insn: call(9999), hex: '85 00 0000 0f270000', text: 'call unknown#9999' },
  { name: 'exit', insn: exit(), hex: '95 00 0000 00000000', text: 'exit' },
  // JMP32: K = code|0x06, X = code|0x0e
  { name: 'jeq32.imm', insn: jeq32.imm(R1, 5, 't'), hex: '16 01 0000 05000000', text: 'if w1 == 0x5 goto +0 <t>' },
  { name: 'jeq32.reg', insn: jeq32.reg(R1, R2, 't'), hex: '1e 21 0000 00000000', text: 'if w1 == w2 goto +0 <t>' },
  { name: 'jgt32.imm', insn: jgt32.imm(R1, 5, 't'), hex: '26 01 0000 05000000', text: 'if w1 > 0x5 goto +0 <t>' },
  { name: 'jgt32.reg', insn: jgt32.reg(R1, R2, 't'), hex: '2e 21 0000 00000000', text: 'if w1 > w2 goto +0 <t>' },
  { name: 'jge32.imm', insn: jge32.imm(R1, 5, 't'), hex: '36 01 0000 05000000', text: 'if w1 >= 0x5 goto +0 <t>' },
  { name: 'jge32.reg', insn: jge32.reg(R1, R2, 't'), hex: '3e 21 0000 00000000', text: 'if w1 >= w2 goto +0 <t>' },
  { name: 'jset32.imm', insn: jset32.imm(R1, 5, 't'), hex: '46 01 0000 05000000', text: 'if w1 & 0x5 goto +0 <t>' },
  { name: 'jset32.reg', insn: jset32.reg(R1, R2, 't'), hex: '4e 21 0000 00000000', text: 'if w1 & w2 goto +0 <t>' },
  { name: 'jne32.imm', insn: jne32.imm(R1, 5, 't'), hex: '56 01 0000 05000000', text: 'if w1 != 0x5 goto +0 <t>' },
  { name: 'jne32.reg', insn: jne32.reg(R1, R2, 't'), hex: '5e 21 0000 00000000', text: 'if w1 != w2 goto +0 <t>' },
  { name: 'jsgt32.imm', insn: jsgt32.imm(R1, 5, 't'), hex: '66 01 0000 05000000', text: 'if w1 s> 0x5 goto +0 <t>' },
  { name: 'jsgt32.reg', insn: jsgt32.reg(R1, R2, 't'), hex: '6e 21 0000 00000000', text: 'if w1 s> w2 goto +0 <t>' },
  { name: 'jsge32.imm', insn: jsge32.imm(R1, 5, 't'), hex: '76 01 0000 05000000', text: 'if w1 s>= 0x5 goto +0 <t>' },
  { name: 'jsge32.reg', insn: jsge32.reg(R1, R2, 't'), hex: '7e 21 0000 00000000', text: 'if w1 s>= w2 goto +0 <t>' },
  { name: 'jlt32.imm', insn: jlt32.imm(R1, 5, 't'), hex: 'a6 01 0000 05000000', text: 'if w1 < 0x5 goto +0 <t>' },
  { name: 'jlt32.reg', insn: jlt32.reg(R1, R2, 't'), hex: 'ae 21 0000 00000000', text: 'if w1 < w2 goto +0 <t>' },
  { name: 'jle32.imm', insn: jle32.imm(R1, 5, 't'), hex: 'b6 01 0000 05000000', text: 'if w1 <= 0x5 goto +0 <t>' },
  { name: 'jle32.reg', insn: jle32.reg(R1, R2, 't'), hex: 'be 21 0000 00000000', text: 'if w1 <= w2 goto +0 <t>' },
  { name: 'jslt32.imm', insn: jslt32.imm(R1, 5, 't'), hex: 'c6 01 0000 05000000', text: 'if w1 s< 0x5 goto +0 <t>' },
  { name: 'jslt32.reg', insn: jslt32.reg(R1, R2, 't'), hex: 'ce 21 0000 00000000', text: 'if w1 s< w2 goto +0 <t>' },
  { name: 'jsle32.imm', insn: jsle32.imm(R1, 5, 't'), hex: 'd6 01 0000 05000000', text: 'if w1 s<= 0x5 goto +0 <t>' },
  { name: 'jsle32.reg', insn: jsle32.reg(R1, R2, 't'), hex: 'de 21 0000 00000000', text: 'if w1 s<= w2 goto +0 <t>' },
  // LDX|MEM = 0x61 | size, LDX|MEMSX = 0x81 | size
  { name: 'ldx.b', insn: ldx.b(R0, R1, 4), hex: '71 10 0400 00000000', text: 'r0 = *(u8 *)(r1 +4)' },
  { name: 'ldx.h', insn: ldx.h(R0, R1, 4), hex: '69 10 0400 00000000', text: 'r0 = *(u16 *)(r1 +4)' },
  { name: 'ldx.w', insn: ldx.w(R0, R1, 4), hex: '61 10 0400 00000000', text: 'r0 = *(u32 *)(r1 +4)' },
  { name: 'ldx.dw', insn: ldx.dw(R0, R10, -16), hex: '79 a0 f0ff 00000000', text: 'r0 = *(u64 *)(r10 -16)' },
  { name: 'ldxs.b', insn: ldxs.b(R2, R6, 8), hex: '91 62 0800 00000000', text: 'r2 = *(s8 *)(r6 +8)' },
  { name: 'ldxs.h', insn: ldxs.h(R2, R6, 8), hex: '89 62 0800 00000000', text: 'r2 = *(s16 *)(r6 +8)' },
  { name: 'ldxs.w', insn: ldxs.w(R2, R6, 8), hex: '81 62 0800 00000000', text: 'r2 = *(s32 *)(r6 +8)' },
  // STX|MEM = 0x63 | size; ST|MEM = 0x62 | size
  { name: 'stx.b', insn: stx.b(R10, -8, R1), hex: '73 1a f8ff 00000000', text: '*(u8 *)(r10 -8) = r1' },
  { name: 'stx.h', insn: stx.h(R10, -8, R1), hex: '6b 1a f8ff 00000000', text: '*(u16 *)(r10 -8) = r1' },
  { name: 'stx.w', insn: stx.w(R10, -8, R1), hex: '63 1a f8ff 00000000', text: '*(u32 *)(r10 -8) = r1' },
  { name: 'stx.dw', insn: stx.dw(R10, -8, R1), hex: '7b 1a f8ff 00000000', text: '*(u64 *)(r10 -8) = r1' },
  { name: 'st.b', insn: st.b(R10, -4, 7), hex: '72 0a fcff 07000000', text: '*(u8 *)(r10 -4) = 7' },
  { name: 'st.h', insn: st.h(R10, -4, 7), hex: '6a 0a fcff 07000000', text: '*(u16 *)(r10 -4) = 7' },
  { name: 'st.w', insn: st.w(R10, -4, 7), hex: '62 0a fcff 07000000', text: '*(u32 *)(r10 -4) = 7' },
  { name: 'st.dw', insn: st.dw(R10, -8, -1), hex: '7a 0a f8ff ffffffff', text: '*(u64 *)(r10 -8) = -1' },
  // STX|ATOMIC: W = 0xc3, DW = 0xdb; imm = ADD 0x00, OR 0x40, AND 0x50, XOR 0xa0, FETCH 0x01,
  // XCHG 0xe1, CMPXCHG 0xf1.
  { name: 'atomic.add.w', insn: atomic.add.w(R0, 0, R1), hex: 'c3 10 0000 00000000', text: 'lock *(u32 *)(r0 +0) += r1' },
  { name: 'atomic.add.dw', insn: atomic.add.dw(R0, 8, R1), hex: 'db 10 0800 00000000', text: 'lock *(u64 *)(r0 +8) += r1' },
  { name: 'atomic.and.dw', insn: atomic.and.dw(R0, 0, R1), hex: 'db 10 0000 50000000', text: 'lock *(u64 *)(r0 +0) &= r1' },
  { name: 'atomic.or.w', insn: atomic.or.w(R0, 0, R1), hex: 'c3 10 0000 40000000', text: 'lock *(u32 *)(r0 +0) |= r1' },
  { name: 'atomic.xor.dw', insn: atomic.xor.dw(R0, 0, R1), hex: 'db 10 0000 a0000000', text: 'lock *(u64 *)(r0 +0) ^= r1' },
  { name: 'atomic.fetchAdd.w', insn: atomic.fetchAdd.w(R0, 0, R1), hex: 'c3 10 0000 01000000', text: 'r1 = atomic_fetch_add((u32 *)(r0 +0), r1)' },
  { name: 'atomic.fetchAdd.dw', insn: atomic.fetchAdd.dw(R0, 0, R1), hex: 'db 10 0000 01000000', text: 'r1 = atomic64_fetch_add((u64 *)(r0 +0), r1)' },
  { name: 'atomic.fetchAnd.dw', insn: atomic.fetchAnd.dw(R0, 0, R1), hex: 'db 10 0000 51000000', text: 'r1 = atomic64_fetch_and((u64 *)(r0 +0), r1)' },
  { name: 'atomic.fetchOr.dw', insn: atomic.fetchOr.dw(R0, 0, R1), hex: 'db 10 0000 41000000', text: 'r1 = atomic64_fetch_or((u64 *)(r0 +0), r1)' },
  { name: 'atomic.fetchXor.w', insn: atomic.fetchXor.w(R0, 0, R1), hex: 'c3 10 0000 a1000000', text: 'r1 = atomic_fetch_xor((u32 *)(r0 +0), r1)' },
  { name: 'atomic.xchg.dw', insn: atomic.xchg.dw(R6, -8, R2), hex: 'db 26 f8ff e1000000', text: 'r2 = atomic64_xchg((u64 *)(r6 -8), r2)' },
  { name: 'atomic.cmpxchg.dw', insn: atomic.cmpxchg.dw(R6, 0, R2), hex: 'db 26 0000 f1000000', text: 'r0 = atomic64_cmpxchg((u64 *)(r6 +0), r0, r2)' },
  // LD|IMM|DW = 0x18, two slots; the second has only imm = the high 32 bits.
  { name: 'lddw', insn: lddw(R1, 0x1122334455667788n), hex: '18 01 0000 88776655 00 00 0000 44332211', text: 'r1 = 0x1122334455667788 ll' },
  { name: 'lddw -1', insn: lddw(R2, -1n), hex: '18 02 0000 ffffffff 00 00 0000 ffffffff', text: 'r2 = 0xffffffffffffffff ll' },
  { name: 'lddw 2^32', insn: lddw(R3, 1n << 32n), hex: '18 03 0000 00000000 00 00 0000 01000000', text: 'r3 = 0x100000000 ll' },
  // src = 1 (BPF_PSEUDO_MAP_FD), imm = the fd (7 here).
  { name: 'ldMap', insn: ldMap(R1, 'm'), hex: '18 11 0000 07000000 00 00 0000 00000000', text: 'r1 = map[m] ll' },
  // src = 2 (BPF_PSEUDO_MAP_VALUE), imm = the fd, the second slot's imm = the offset in the value.
  { name: 'ldMapValue', insn: ldMapValue(R0, 'm', 16), hex: '18 20 0000 07000000 00 00 0000 10000000', text: 'r0 = &map[m].value + 16 ll' },
];

const mapFds = new Map([['m', 7]]);

/** Assembles the row's instruction with a label t after it (so jumps resolve to +0). */
function assembleRow(insn: Insn) {
  return assemble([insn, label('t'), exit()]);
}

for (const row of rows) {
  test(`encode ${row.name}`, () => {
    const asm = assembleRow(row.insn);
    const bytes = encode(asm, mapFds);
    assert.equal(bytes.subarray(0, bytes.length - 8).toString('hex'), row.hex.replaceAll(' ', ''));
    assert.equal(disassemble(asm).split('\n')[0], `   0: ${row.text}`);
  });
}

test('decode gives back what encode wrote, map references as fds', () => {
  for (const row of rows) {
    const asm = assembleRow(row.insn);
    const [first] = decode(encode(asm, mapFds));
    const { map, ...fields } = asm.insns[0]!;
    const expected = map === undefined ? fields : { ...fields, imm: 7, imm64: (fields.imm64! & ~0xffffffffn) | 7n };
    assert.deepEqual(first, expected, row.name);
  }
});

test('every builder row has a distinct encoding', () => {
  const seen = new Map<string, string>();
  for (const row of rows) {
    const other = seen.get(row.hex);
    assert.equal(other, undefined, `${row.name} encodes like ${other}`);
    seen.set(row.hex, row.name);
  }
});

test('lddw accepts the unsigned spelling of a negative value and keeps the signed one', () => {
  assert.deepEqual(lddw(R1, 0xffffffffffffffffn), lddw(R1, -1n));
  assert.equal(lddw(R1, 0xffffffffffffffffn).imm64, -1n);
  assert.equal(lddw(R1, 0x80000000n).imm, -0x80000000);
});

test('a map value offset must be a non-negative 32-bit integer; a map fd load carries no value', () => {
  assert.throws(() => ldMapValue(R0, 'm', -8), /offset -8/);
  assert.throws(() => ldMapValue(R0, 'm', 2 ** 31), /offset/);
  assert.throws(() => assemble([{ ...ldMap(R1, 'm'), imm64: 1n << 32n }, exit()]), /carries a value/);
});

test('registers: FP is R10', () => {
  assert.equal(FP, 10);
  assert.equal(R10, FP);
});
