import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ElfError, ElfFile } from '../../src/catalog/elf.js';
import { CProgram, DEFAULT_CFLAGS, nmFunctions } from '../helpers/c-program.js';

const SOURCE = `
__attribute__((noinline)) int first(int x) { return x * 3; }
__attribute__((noinline)) static int helper(int x) { return x + 1; }
int main(void) { return first(helper(2)) == 9 ? 0 : 1; }
`;

/** push %rbp: how every function of these -O0 builds without CET starts. */
const PUSH_RBP = 0x55;

for (const pie of [true, false]) {
  test(`function symbols and file offsets of a ${pie ? 'PIE' : 'non-PIE'} binary agree with nm and with the code bytes`, () => {
    const prog = new CProgram('elfsyms', SOURCE, [...DEFAULT_CFLAGS, pie ? '-pie' : '-no-pie']);
    try {
      const bytes = prog.bytes();
      const elf = ElfFile.parse(bytes);
      const nm = nmFunctions(prog.path);
      for (const name of ['first', 'helper', 'main']) {
        const sym = elf.find(name);
        assert.ok(sym, name);
        assert.deepEqual({ address: sym.address, size: sym.size }, nm.get(name), name);
        const off = elf.fileOffsetOf(sym.address);
        assert.ok(off !== undefined);
        assert.equal(bytes[off], PUSH_RBP, `${name} starts with push %rbp at file offset ${off}`);
        assert.equal(elf.addressOf(off), sym.address);
        assert.deepEqual(elf.functionAt(sym.address + 3), { symbol: sym, offset: 3 });
      }
      // A non-PIE binary is linked at 0x400000, so there addresses and file offsets differ.
      if (!pie) assert.equal(elf.fileOffsetOf(elf.find('first')!.address), elf.find('first')!.address - 0x400000);
      assert.equal(elf.find('no_such_function'), undefined);
      assert.equal(elf.functionAt(0), undefined);
      const sorted = elf.functions.map((f) => f.address);
      assert.deepEqual(sorted, [...sorted].sort((a, b) => a - b));
    } finally {
      prog.remove();
    }
  });
}

test('a stripped shared library is read through .dynsym', () => {
  const path = '/lib/x86_64-linux-gnu/libc.so.6';
  const elf = ElfFile.parse(readFileSync(path));
  const nm = nmFunctions(path, true);
  for (const name of ['malloc', 'free']) {
    const sym = elf.find(name);
    assert.ok(sym, name);
    assert.deepEqual({ address: sym.address, size: sym.size }, nm.get(name));
    assert.deepEqual(elf.functionAt(sym.address + sym.size - 1), { symbol: sym, offset: sym.size - 1 });
  }
  // Undefined (imported) symbols are not functions of the file.
  const trueBin = ElfFile.parse(readFileSync('/bin/true'));
  assert.equal(trueBin.find('exit'), undefined);
});

test('what is not a 64-bit little-endian ELF file is refused with the reason', () => {
  const refuse = (bytes: Uint8Array, message: string): void => assert.throws(() => ElfFile.parse(bytes), (e: unknown) => e instanceof ElfError && e.message === message);
  refuse(Buffer.from('#!/bin/sh\necho hi\n'.padEnd(80, ' ')), 'not an ELF file');
  const elf32 = Buffer.alloc(64);
  elf32.writeUInt32LE(0x464c457f, 0);
  elf32[4] = 1;
  refuse(elf32, 'not a 64-bit ELF file');
  const big = Buffer.from(elf32);
  big[4] = 2;
  big[5] = 2;
  refuse(big, 'not a little-endian ELF file');
  const truncated = readFileSync('/bin/true').subarray(0, 4096);
  refuse(truncated, 'truncated ELF file');
});
