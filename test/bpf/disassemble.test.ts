// The disassembly of a small counting program, pinned line for line, and the same program
// taken back from its bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FP, Helper, R0, R1, R2, R6, add, assemble, atomic, call, comment, decode, disassemble, encode, exit, jeq, jne,
  label, ldMap, ldx, mov, mov32, stx, AsmError, type Item,
} from '../../src/bpf/index.js';

// Counts events whose u32 field at ctx+8 is 5, in map "counts" keyed by a zero u64.
const program: readonly Item[] = [
  comment('keep ctx across calls', mov.reg(R6, R1)),
  mov.imm(R1, 0),
  comment('key = 0', stx.dw(FP, -8, R1)),
  ldx.w(R1, R6, 8),
  jne.imm(R1, 5, 'miss'),
  ldMap(R1, 'counts'),
  mov.reg(R2, FP),
  add.imm(R2, -8),
  call(Helper.mapLookupElem),
  comment('no entry yet', jeq.imm(R0, 0, 'miss')),
  mov.imm(R1, 1),
  atomic.add.dw(R0, 0, R1),
  label('miss'),
  mov32.imm(R0, 0),
  exit(),
];

const expected = [
  '   0: r6 = r1  ; keep ctx across calls',
  '   1: r1 = 0',
  '   2: *(u64 *)(r10 -8) = r1  ; key = 0',
  '   3: r1 = *(u32 *)(r6 +8)',
  '   4: if r1 != 0x5 goto +8 <miss>',
  '   5: r1 = map[counts] ll',
  '   7: r2 = r10',
  '   8: r2 += -8',
  '   9: call bpf_map_lookup_elem#1',
  '  10: if r0 == 0x0 goto +2 <miss>  ; no entry yet',
  '  11: r1 = 1',
  '  12: lock *(u64 *)(r0 +0) += r1',
  'miss:',
  '  13: w0 = 0',
  '  14: exit',
].join('\n');

test('disassembly of a program with labels, an ld_imm64 and comments', () => {
  assert.equal(disassemble(assemble(program)), expected);
});

test('bytes of the program decode and disassemble to the same text, fds in place of names', () => {
  const asm = assemble(program);
  const bytes = encode(asm, new Map([['counts', 5]]));
  assert.equal(bytes.length, 15 * 8);
  const decoded = assemble(decode(bytes));
  assert.equal(decoded.slots, 15);
  assert.deepEqual(decoded.mapRefs, []);
  const withoutComments = expected
    .split('\n')
    .filter((line) => line !== 'miss:')
    .map((line) => line.replace(/ {2}; .*$/, '').replace(' <miss>', '').replace('map[counts]', 'map[fd:5]'))
    .join('\n');
  assert.equal(disassemble(decoded), withoutComments);
  assert.deepEqual(encode(decoded, new Map()), bytes);
});

test('decode rejects bytes that are not instructions', () => {
  assert.throws(() => decode(Buffer.alloc(7)), new AsmError('7 bytes is not a whole number of 8-byte instructions'));
  assert.throws(() => decode(Buffer.from('b70b000000000000', 'hex')), new AsmError('slot 0: dst register 11 does not exist (r0 to r10)'));
  assert.throws(() => decode(Buffer.from('1801000000000000', 'hex')), new AsmError('slot 0: ld_imm64 is cut off: its second slot is missing'));
  assert.throws(
    () => decode(Buffer.from('18010000000000009500000000000000', 'hex')),
    new AsmError('slot 1: second slot of ld_imm64 must have zero code, registers and offset'),
  );
});

test('opcodes the assembler never builds are shown field by field', () => {
  // BPF_LD|BPF_ABS|BPF_W, legacy packet access.
  const asm = assemble(decode(Buffer.from('2000030004000000', 'hex')));
  assert.equal(disassemble(asm), '   0: .insn op=0x20 dst=0 src=0 off=3 imm=4');
});
