// The arguments record of an exec (whole length, then the bytes) as a list of texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARGV_BYTES } from '../../src/catalog/column.js';
import { CUT_MARK, execArgsText } from '../../src/runtime/exec-args-text.js';

/** A record of the arguments at offset 8, as the kernel writes it. */
function record(args: readonly Buffer[]): Buffer {
  const all = Buffer.concat(args.flatMap((a) => [a, Buffer.from([0])]));
  const buf = Buffer.alloc(16 + ARGV_BYTES, 0xaa);
  buf.writeBigUInt64LE(BigInt(all.length), 8);
  all.copy(buf, 16, 0, Math.min(all.length, ARGV_BYTES));
  return buf;
}

test('whole arguments: empty ones kept, bytes that are not UTF-8 shown as U+FFFD', () => {
  const args = [Buffer.from('ls'), Buffer.from(''), Buffer.from('a b\n"c"'), Buffer.from([0xff, 0x41])];
  assert.deepEqual(execArgsText(record(args), 8), ['ls', '', 'a b\n"c"', '\uFFFDA']);
  assert.deepEqual(execArgsText(record([Buffer.from('')]), 8), ['']);
});

test('no arguments read: an empty list', () => {
  assert.deepEqual(execArgsText(Buffer.alloc(16), 8), []);
});

test('arguments beyond ARGV_BYTES: the cut one ends with the mark; a cut between two adds the mark alone', () => {
  const long = Buffer.alloc(ARGV_BYTES, 0x61);
  assert.deepEqual(execArgsText(record([Buffer.from('x'), long]), 8), ['x', `${'a'.repeat(ARGV_BYTES - 2)}${CUT_MARK}`]);
  const exact = Buffer.alloc(ARGV_BYTES - 1, 0x62);
  assert.deepEqual(execArgsText(record([exact, Buffer.from('next')]), 8), ['b'.repeat(ARGV_BYTES - 1), CUT_MARK]);
});
