import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElfFile } from '../../src/catalog/elf.js';
import type { Mapping, StackStore, SymbolSources } from '../../src/runtime/symbolize.js';
import { parseMaps, Symbolizer, withoutProgramFrames } from '../../src/runtime/symbolize.js';
import { CProgram } from '../helpers/c-program.js';

const SOURCE = `
__attribute__((noinline)) int leaf(int x) { return x * 3; }
int main(void) { return leaf(3) == 9 ? 0 : 1; }
`;

const MAPS = (path: string): string => [
  `555555554000-555555555000 r--p 00000000 08:01 4242 ${path}`,
  `555555555000-555555556000 r-xp 00001000 08:01 4242 ${path}`,
  '7ffff7fc1000-7ffff7fc3000 r-xp 00000000 00:00 0 [vdso]',
  '7ffff0000000-7ffff0001000 rwxp 00000000 00:00 0 ',
  '7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 [stack]',
].join('\n');

const KALLSYMS = 'ffffffff81001000 T do_syscall_64\nffffffff81002000 T entry_SYSCALL_64\n';

interface Counts { maps: number; files: number; kallsyms: number; frames: number }

function setup(prog: CProgram, stacks: Record<number, readonly bigint[]>, pid: number | undefined, alive = true): { sym: Symbolizer; counts: Counts } {
  const counts: Counts = { maps: 0, files: 0, kallsyms: 0, frames: 0 };
  const store: StackStore = {
    frames: (id) => (counts.frames++, stacks[id]),
    pidOf: () => pid,
  };
  const sources: SymbolSources = {
    kallsyms: () => (counts.kallsyms++, KALLSYMS),
    maps: (p) => (counts.maps++, alive && p === 77 ? MAPS(prog.path) : undefined),
    mappedFile: (_p: number, m: Mapping) => (counts.files++, m.path === prog.path ? prog.bytes() : undefined),
  };
  return { sym: new Symbolizer(store, sources), counts };
}

/** The runtime address of a function + delta, for the PIE mapped at 0x555555554000. */
function at(elf: ElfFile, name: string, delta: number): bigint {
  return BigInt(0x555555554000 + elf.fileOffsetOf(elf.find(name)!.address)! + delta);
}

test('user frames are named from the mapping and the ELF symbols, innermost first; return addresses by the byte before', () => {
  const prog = new CProgram('symtest', SOURCE);
  try {
    const elf = ElfFile.parse(prog.bytes());
    const mainEnd = elf.find('main')!.size;
    const { sym, counts } = setup(prog, {
      3: [at(elf, 'leaf', 4), at(elf, 'main', 9)],
      // A call that is main's last instruction returns to the first byte after main.
      4: [at(elf, 'leaf', 0), at(elf, 'main', mainEnd)],
      5: [0x7ffff7fc1a10n, 0x7ffff0000010n, 0x1234n],
    }, 77);
    assert.equal(sym.text('user', 3n), 'leaf+0x4;main+0x9');
    assert.equal(sym.text('user', 4n), `leaf+0x0;main+0x${mainEnd.toString(16)}`);
    // vdso by its offset; JIT (anonymous) code and unmapped addresses as they are.
    assert.equal(sym.text('user', 5n), '[vdso]+0xa10;0x7ffff0000010;0x1234');
    // Everything is read once and kept for the run.
    assert.equal(sym.text('user', 3n), 'leaf+0x4;main+0x9');
    assert.deepEqual(counts, { maps: 1, files: 1, kallsyms: 0, frames: 3 });
  } finally {
    prog.remove();
  }
});

test('a file without a symbol for the address names the file and offset; a gone process leaves addresses', () => {
  const prog = new CProgram('symtest2', SOURCE);
  try {
    const elf = ElfFile.parse(prog.bytes());
    // The end of the executable page, past the last function of this small program.
    const past = 0x555555555ff0n;
    assert.equal(setup(prog, { 1: [past] }, 77).sym.text('user', 1n), '[symtest2]+0x1ff0');
    const leaf = at(elf, 'leaf', 2);
    assert.equal(setup(prog, { 1: [leaf] }, 77, false).sym.text('user', 1n), `0x${leaf.toString(16)}`);
    assert.equal(setup(prog, { 1: [leaf] }, undefined).sym.text('user', 1n), `0x${leaf.toString(16)}`);
  } finally {
    prog.remove();
  }
});

test('kernel frames are named from kallsyms; negative ids are no stack or a lost one', () => {
  const prog = new CProgram('symtest3', SOURCE);
  try {
    const { sym, counts } = setup(prog, { 9: [0xffffffff81001234n, 0xffffffff81002000n + 0x40n, 0xffffffff91000000n] }, 77);
    assert.equal(sym.text('kernel', 9n), 'do_syscall_64+0x234;entry_SYSCALL_64+0x40;0xffffffff91000000');
    assert.equal(sym.text('kernel', -14n), null);
    assert.equal(sym.text('user', -14n), null);
    assert.equal(sym.text('user', -17n), '[stack lost: error 17]');
    assert.equal(sym.text('kernel', 10n), '[stack 10 not in the map]');
    assert.equal(counts.kallsyms, 1);
  } finally {
    prog.remove();
  }
});

test('maps lines: only executable mappings, with file identity and offset', () => {
  assert.deepEqual(parseMaps(MAPS('/usr/bin/x (deleted)')), [
    { start: 0x555555555000, end: 0x555555556000, offset: 0x1000, file: '08:01:4242', path: '/usr/bin/x (deleted)' },
    { start: 0x7ffff7fc1000, end: 0x7ffff7fc3000, offset: 0, file: '00:00:0', path: '[vdso]' },
    { start: 0x7ffff0000000, end: 0x7ffff0001000, offset: 0, file: '00:00:0', path: '' },
  ]);
});

test('a raw-tracepoint program\'s own frames are left out of kernel stacks: they start at the traced code', () => {
  assert.deepEqual(withoutProgramFrames([
    'bpf_prog_65067a55951fd2f5_bpfql_syscalls+0x128', 'bpf_trace_run2+0x103', '__bpf_trace_sys_exit+0xc',
    '__traceiter_sys_exit+0x31', 'syscall_exit_work+0xbc', 'do_syscall_64+0x243',
  ]), ['__traceiter_sys_exit+0x31', 'syscall_exit_work+0xbc', 'do_syscall_64+0x243']);
  // A classic tracepoint's stack is left as it is; a stack of nothing else keeps its last frame.
  assert.deepEqual(withoutProgramFrames(['perf_syscall_enter+0x1db', 'do_syscall_64+0x20f']), ['perf_syscall_enter+0x1db', 'do_syscall_64+0x20f']);
  assert.deepEqual(withoutProgramFrames(['bpf_prog_1_x+0x1', 'bpf_trace_run1+0x2']), ['bpf_trace_run1+0x2']);
});
