// Btf.enumValues: the names and values of an enum, 32- and 64-bit, signed or not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBtf } from '../../src/kernel/btf.js';
import { KernelError } from '../../src/kernel/errors.js';

const ENUM = 6;
const ENUM64 = 19;
const INT = 1;

/** Raw BTF of the given type records (u32 words) over a string table of `strings`. */
function btf(types: readonly number[][], strings: readonly string[]): Uint8Array {
  const strTable = Buffer.from(`\0${strings.map((s) => `${s}\0`).join('')}`, 'latin1');
  const words = types.flat();
  const typeBytes = Buffer.alloc(words.length * 4);
  words.forEach((w, i) => typeBytes.writeUInt32LE(w >>> 0, i * 4));
  const header = Buffer.alloc(24);
  header.writeUInt16LE(0xeb9f, 0);
  header.writeUInt8(1, 2);
  header.writeUInt32LE(24, 4);
  header.writeUInt32LE(0, 8);
  header.writeUInt32LE(typeBytes.length, 12);
  header.writeUInt32LE(typeBytes.length, 16);
  header.writeUInt32LE(strTable.length, 20);
  return new Uint8Array(Buffer.concat([header, typeBytes, strTable]));
}

const STRINGS = ['int', 'skb_drop_reason', 'SKB_NOT_DROPPED_YET', 'SKB_DROP_REASON_NO_SOCKET', 'SKB_DROP_REASON_SUBSYS_MASK', 'wide', 'BIG', 'NEG', 'sgn'];
const at = (name: string): number => 1 + STRINGS.slice(0, STRINGS.indexOf(name)).reduce((n, s) => n + s.length + 1, 0);
const info = (kind: number, vlen: number, kindFlag = false): number => ((kindFlag ? 0x80000000 : 0) | (kind << 24) | vlen) >>> 0;

const RAW = btf([
  [at('int'), info(INT, 0), 4, 32],
  // A declaration without members comes first: the one with members is the enum.
  [at('skb_drop_reason'), info(ENUM, 0), 4],
  [at('skb_drop_reason'), info(ENUM, 3), 4, at('SKB_NOT_DROPPED_YET'), 0, at('SKB_DROP_REASON_NO_SOCKET'), 3, at('SKB_DROP_REASON_SUBSYS_MASK'), 0xffff0000],
  [at('wide'), info(ENUM64, 1), 8, at('BIG'), 5, 1],
  [at('sgn'), info(ENUM, 1, true), 4, at('NEG'), -2],
], STRINGS);

test('enumValues: the members of a 32-bit enum, unsigned', () => {
  assert.deepEqual(parseBtf(RAW).enumValues('skb_drop_reason'), [[0n, 'SKB_NOT_DROPPED_YET'], [3n, 'SKB_DROP_REASON_NO_SOCKET'], [0xffff0000n, 'SKB_DROP_REASON_SUBSYS_MASK']]);
});

test('enumValues: a 64-bit enum joins its halves; a signed one keeps its sign', () => {
  const b = parseBtf(RAW);
  assert.deepEqual(b.enumValues('wide'), [[(1n << 32n) | 5n, 'BIG']]);
  assert.deepEqual(b.enumValues('sgn'), [[-2n, 'NEG']]);
});

test('enumValues: an enum the BTF lacks is a BTF KernelError', () => {
  assert.throws(() => parseBtf(RAW).enumValues('nope'), (e: unknown) => e instanceof KernelError && e.op === 'BTF');
});
