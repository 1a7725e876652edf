// bpfql's protobuf writer against bytes worked out by hand from the wire format's rules (and the
// examples of protobuf.dev's encoding guide), and against the test's own reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtoWriter } from '../../src/output/metrics/protobuf.js';
import { Msg } from '../helpers/protobuf-reader.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('varints: 1, 150 and 300 as the encoding guide writes them', () => {
  assert.equal(hex(new ProtoWriter().uint(1, 1).bytes()), '0801');
  assert.equal(hex(new ProtoWriter().uint(1, 150).bytes()), '089601');
  assert.equal(hex(new ProtoWriter().uint(1, 300).bytes()), '08ac02');
  assert.equal(hex(new ProtoWriter().bool(3, true).uint(2, 0).bytes()), '18011000');
});

test('a varint up to 2^64 − 1 takes ten bytes; beyond, or negative, is refused', () => {
  assert.equal(hex(new ProtoWriter().uint(1, 2n ** 64n - 1n).bytes()), `08${'ff'.repeat(9)}01`);
  assert.throws(() => new ProtoWriter().uint(1, 2n ** 64n), RangeError);
  assert.throws(() => new ProtoWriter().uint(1, -1), RangeError);
});

test('a string is tag, length and UTF-8 bytes ("testing" in field 2)', () => {
  assert.equal(hex(new ProtoWriter().string(2, 'testing').bytes()), '120774657374696e67');
  assert.equal(hex(new ProtoWriter().string(1, 'é').bytes()), '0a02c3a9');
  assert.equal(hex(new ProtoWriter().string(1, '').bytes()), '0a00');
});

test('fixed64 and double are eight bytes little-endian with wire type 1', () => {
  assert.equal(hex(new ProtoWriter().fixed64(2, 1n).bytes()), '110100000000000000');
  assert.equal(hex(new ProtoWriter().fixed64(3, 0x0102030405060708n).bytes()), '190807060504030201');
  assert.equal(hex(new ProtoWriter().double(4, 1).bytes()), '21000000000000f03f');
  assert.equal(hex(new ProtoWriter().double(4, -2.5).bytes()), '2100000000000004c0');
  assert.throws(() => new ProtoWriter().fixed64(1, -1n), RangeError);
});

test('an embedded message is length-delimited ("testing" inside field 3 of field 1)', () => {
  const b = new ProtoWriter().message(1, (m) => m.uint(1, 150)).bytes();
  assert.equal(hex(b), '0a03089601');
  const nested = new ProtoWriter().message(5, (m) => m.message(3, (n) => n.string(2, 'testing'))).bytes();
  assert.equal(hex(nested), '2a0b1a09120774657374696e67');
});

test('packed repeated fixed64 and double: one length-delimited field of 8-byte values', () => {
  assert.equal(hex(new ProtoWriter().packedFixed64(6, [1n, 2n]).bytes()), '3210' + '0100000000000000' + '0200000000000000');
  assert.equal(hex(new ProtoWriter().packedDouble(7, [1]).bytes()), '3a08000000000000f03f');
  assert.equal(hex(new ProtoWriter().packedDouble(7, []).bytes()), '3a00');
});

test('large field numbers take a multi-byte tag; 0 and 2^29 are refused', () => {
  assert.equal(hex(new ProtoWriter().uint(16, 1).bytes()), '800101');
  assert.throws(() => new ProtoWriter().uint(0, 1), RangeError);
  assert.throws(() => new ProtoWriter().uint(2 ** 29, 1), RangeError);
});

test('the test reader reads back what the writer wrote', () => {
  const b = new ProtoWriter()
    .string(1, 'name').uint(2, 2n ** 63n).fixed64(3, 2n ** 64n - 1n).double(4, Math.PI)
    .message(5, (m) => m.string(1, 'a').string(1, 'b'))
    .packedDouble(6, [0.5, Infinity])
    .bytes();
  const m = new Msg(b);
  assert.equal(m.string(1), 'name');
  assert.equal(m.uint(2), 2n ** 63n);
  assert.equal(m.fixed64(3), 2n ** 64n - 1n);
  assert.equal(m.double(4), Math.PI);
  assert.deepEqual(m.message(5).fields.get(1)?.length, 2);
  assert.deepEqual(m.repeated8(6).map((v) => v.getFloat64(0, true)), [0.5, Infinity]);
});
