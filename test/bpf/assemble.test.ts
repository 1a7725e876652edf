// Label resolution, map references, and every error the assembler reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AsmError, R0, R1, R2, R3, R6, R10, assemble, atomic, comment, encode, exit, ja, jeq, jlt, label, ldMap, lddw,
  ldx, mov, mov32, neg, stx, type Insn, type Item,
} from '../../src/bpf/index.js';

const offsets = (items: readonly Item[]): number[] => assemble(items).insns.map((i) => i.off);

test('forward jump: off counts slots from the next instruction', () => {
  const asm = assemble([jeq.imm(R1, 0, 'out'), mov.imm(R0, 1), mov.imm(R0, 2), label('out'), exit()]);
  assert.deepEqual(asm.insns.map((i) => i.off), [2, 0, 0, 0]);
  assert.deepEqual([...asm.labels], [['out', 3]]);
  assert.equal(asm.slots, 4);
  assert.ok(asm.insns.every((i) => i.kind === 'insn' && i.target === undefined));
});

test('backward jump', () => {
  assert.deepEqual(offsets([label('top'), mov.imm(R1, 1), jlt.imm(R1, 10, 'top'), exit()]), [0, -2, 0]);
});

test('a jump to its own slot is -1', () => {
  assert.deepEqual(offsets([label('self'), ja('self'), exit()]), [-1, 0]);
});

test('forward across an ld_imm64 counts it as two slots', () => {
  const asm = assemble([ja('end'), lddw(R1, 5n), label('end'), exit()]);
  assert.equal(asm.insns[0]!.off, 3 - 1);
  assert.equal(asm.labels.get('end'), 3);
  assert.equal(asm.slots, 4);
});

test('backward across an ld_imm64 counts it as two slots', () => {
  const asm = assemble([mov.imm(R1, 0), label('top'), lddw(R1, 1n), jeq.imm(R1, 0, 'top'), exit()]);
  // jump at slot 3 to slot 1: 1 - (3 + 1)
  assert.deepEqual(asm.insns.map((i) => i.off), [0, 0, -3, 0]);
  assert.equal(asm.labels.get('top'), 1);
  assert.equal(asm.slots, 5);
});

test('several labels on one slot, and labels that no jump uses', () => {
  const asm = assemble([label('a'), label('b'), mov.imm(R0, 0), label('c'), ja('b'), exit()]);
  assert.deepEqual([...asm.labels], [['a', 0], ['b', 0], ['c', 1]]);
  assert.equal(asm.insns[1]!.off, -2);
});

test('the largest offsets that fit in s16 are accepted', () => {
  const fill = (n: number): Insn[] => Array.from({ length: n }, () => mov.imm(R0, 0));
  assert.equal(offsets([ja('far'), ...fill(32767), label('far'), exit()])[0], 32767);
  assert.equal(offsets([label('back'), ...fill(32767), ja('back'), exit()])[32767], -32768);
});

test('map references are listed by slot, after ld_imm64s are counted as two', () => {
  const asm = assemble([lddw(R2, 1n), ldMap(R1, 'counts'), ldMap(R2, 'events'), exit()]);
  assert.deepEqual(asm.mapRefs, [{ slot: 2, map: 'counts' }, { slot: 4, map: 'events' }]);
  assert.equal(asm.slots, 7);
});

test('encode writes each map fd into its ld_imm64', () => {
  const asm = assemble([ldMap(R1, 'counts'), ldMap(R2, 'events'), ldMap(R3, 'counts'), exit()]);
  const bytes = encode(asm, new Map([['counts', 3], ['events', 300]]));
  assert.equal(
    bytes.toString('hex'),
    [
      '1811000003000000', '0000000000000000',
      '181200002c010000', '0000000000000000', // fd 300 = 0x12c
      '1813000003000000', '0000000000000000',
      '9500000000000000',
    ].join(''),
  );
});

test('comments survive assembly and do not change the bytes', () => {
  const plain = assemble([mov.imm(R0, 0), exit()]);
  const commented = assemble([comment('return 0', mov.imm(R0, 0)), exit()]);
  assert.equal(commented.insns[0]!.comment, 'return 0');
  assert.deepEqual(encode(commented, new Map()), encode(plain, new Map()));
});

// Errors

function assertAsmError(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AsmError, `expected AsmError, got ${String(e)}`);
    assert.equal(e.name, 'AsmError');
    assert.match(e.message, message);
    return true;
  });
}

test('unknown label', () => {
  assertAsmError(() => assemble([mov.imm(R0, 0), jeq.imm(R1, 0, 'nowhere'), exit()]), /^slot 1: jump to unknown label 'nowhere'$/);
});

test('duplicate label', () => {
  assertAsmError(
    () => assemble([label('x'), mov.imm(R0, 0), label('x'), exit()]),
    /^label 'x' is defined twice \(slots 0 and 1\)$/,
  );
});

test('a label at the very end with nothing after it', () => {
  assertAsmError(() => assemble([mov.imm(R0, 0), exit(), label('end')]), /^label 'end' is at the end of the program/);
  assertAsmError(() => assemble([label('only')]), /^label 'only' is at the end/);
});

test('an empty label name', () => {
  assertAsmError(() => assemble([label(''), exit()]), /^slot 0: a label needs a name$/);
});

test('jump offset out of s16 range, both ways', () => {
  const fill = (n: number): Insn[] => Array.from({ length: n }, () => mov.imm(R0, 0));
  assertAsmError(
    () => assemble([ja('far'), ...fill(32768), label('far'), exit()]),
    /^slot 0: jump to 'far' at slot 32769 needs offset 32768, outside the signed 16-bit range$/,
  );
  // Through ld_imm64s, which count double: 16385 of them put the label 32770 slots on.
  assertAsmError(
    () => assemble([label('back'), ...Array.from({ length: 16384 }, () => lddw(R1, 0n)), ja('back'), exit()]),
    /^slot 32768: jump to 'back' at slot 0 needs offset -32769/,
  );
});

test('writes to r10 are refused, reads and stores through it are not', () => {
  assertAsmError(() => assemble([mov.imm(R10, 0), exit()]), /^slot 0: 'r10 = 0' writes r10, the read-only frame pointer$/);
  assertAsmError(() => assemble([mov32.reg(R10, R1), exit()]), /'w10 = w1' writes r10/);
  assertAsmError(() => assemble([neg(R10), exit()]), /'r10 = -r10' writes r10/);
  assertAsmError(() => assemble([ldx.dw(R10, R1, 0), exit()]), /^slot 0: 'r10 = \*\(u64 \*\)\(r1 \+0\)' writes r10/);
  assertAsmError(() => assemble([mov.imm(R0, 0), lddw(R10, 1n), exit()]), /^slot 1: 'r10 = 0x1 ll' writes r10/);
  assertAsmError(() => assemble([atomic.fetchAdd.dw(R6, 0, R10), exit()]), /writes r10/);
  assertAsmError(() => assemble([atomic.xchg.dw(R6, 0, R10), exit()]), /writes r10/);
  const fine = assemble([
    mov.reg(R1, R10),
    stx.dw(R10, -8, R1),
    ldx.dw(R2, R10, -8),
    atomic.add.dw(R6, 0, R10),
    atomic.cmpxchg.dw(R6, 0, R10),
    exit(),
  ]);
  assert.equal(fine.slots, 6);
});

test('fields out of range', () => {
  assertAsmError(() => assemble([mov.imm(R1, 2 ** 31), exit()]), /^slot 0: immediate 2147483648 is outside the signed 32-bit range/);
  assertAsmError(() => assemble([mov.imm(R1, -(2 ** 31) - 1), exit()]), /immediate -2147483649 is outside/);
  assertAsmError(() => assemble([mov.imm(R1, 1.5), exit()]), /immediate 1.5 is outside/);
  assertAsmError(() => assemble([ldx.dw(R1, R2, 40000), exit()]), /^slot 0: offset 40000 is outside the signed 16-bit range$/);
  assertAsmError(() => lddw(R1, 1n << 64n), /^lddw value 18446744073709551616 does not fit in 64 bits$/);
  assertAsmError(() => lddw(R1, -(1n << 63n) - 1n), /does not fit in 64 bits/);
  assert.equal(assemble([mov.imm(R1, -(2 ** 31)), mov.imm(R1, 2 ** 31 - 1), exit()]).slots, 3);
});

test('malformed hand-built instructions', () => {
  const bad = (insn: Insn): Insn => insn;
  assertAsmError(() => assemble([{ ...exit(), target: 'x' }, label('x'), exit()]), /^slot 0: opcode 0x95 is not a jump but has target 'x'$/);
  assertAsmError(() => assemble([bad({ ...mov.reg(R1, R2), src: 11 }), exit()]), /^slot 0: src register 11 does not exist/);
  assertAsmError(() => assemble([bad({ ...mov.imm(R1, 0), imm64: 1n }), exit()]), /only ld_imm64 \(opcode 0x18\) carries imm64/);
  assertAsmError(() => assemble([bad({ ...mov.imm(R1, 0), map: 'm' }), exit()]), /only ld_imm64 \(opcode 0x18\) can reference map 'm'/);
  assertAsmError(() => assemble([bad({ ...lddw(R1, 5n), imm: 6 }), exit()]), /imm 6 is not the low half of imm64 5/);
  assertAsmError(() => assemble([bad({ ...ldMap(R1, 'm'), src: 0 }), exit()]), /map reference 'm' needs src 1/);
});

test('encode: a map missing from the fds', () => {
  const asm = assemble([mov.imm(R0, 0), ldMap(R1, 'counts'), exit()]);
  assertAsmError(() => encode(asm, new Map([['other', 4]])), /^slot 1: no fd given for map 'counts'$/);
  assertAsmError(() => encode(asm, new Map([['counts', -1]])), /fd -1 of map 'counts' is not a valid descriptor/);
});

test('comments are one line', () => {
  assertAsmError(() => comment('two\nlines', exit()), /spans several lines/);
});
