import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBtf } from '../../src/kernel/btf.js';
import { KernelError } from '../../src/kernel/errors.js';

/** Builds raw BTF: a string table and type records, each given as u32 words. */
function buildBtf(types: readonly number[][], strings: readonly string[]): Uint8Array {
  const strTable = Buffer.from(`\0${strings.map((s) => `${s}\0`).join('')}`, 'latin1');
  const words = types.flat();
  const typeBytes = Buffer.alloc(words.length * 4);
  words.forEach((w, i) => typeBytes.writeUInt32LE(w >>> 0, i * 4));
  const header = Buffer.alloc(24);
  header.writeUInt16LE(0xeb9f, 0);
  header.writeUInt8(1, 2); // version
  header.writeUInt32LE(24, 4); // hdr_len
  header.writeUInt32LE(0, 8); // type_off
  header.writeUInt32LE(typeBytes.length, 12);
  header.writeUInt32LE(typeBytes.length, 16); // str_off
  header.writeUInt32LE(strTable.length, 20);
  return new Uint8Array(Buffer.concat([header, typeBytes, strTable]));
}

/** Offset of `name` in the string table built from `strings`. */
function str(strings: readonly string[], name: string): number {
  let off = 1;
  for (const s of strings) {
    if (s === name) return off;
    off += s.length + 1;
  }
  throw new Error(`no string ${name}`);
}

const info = (kind: number, vlen: number, kindFlag = false): number => ((kindFlag ? 0x80000000 : 0) | (kind << 24) | vlen) >>> 0;

// struct outer {
//   int x;                                     // bit 0
//   const union { int a; struct { int b; int c; }; };   // bit 32, anonymous
//   int d: 4;                                  // bit 96
//   int e: 4;                                  // bit 100
// };  (16 bytes), preceded by a member-less declaration of `struct outer`.
const strings = ['int', 'x', 'a', 'b', 'c', 'd', 'e', 'outer', 'colour', 'RED', 'GREEN', 'fn'];
const s = (name: string): number => str(strings, name);
const blob = buildBtf(
  [
    [s('int'), info(1, 0), 4, 32], // 1: INT int, 4 bytes (+ encoding word)
    [s('colour'), info(6, 2), 4, s('RED'), 0, s('GREEN'), 1], // 2: ENUM with two values
    [0, info(4, 2), 8, s('b'), 1, 0, s('c'), 1, 32], // 3: anonymous struct { int b; int c; }
    [0, info(5, 2), 8, s('a'), 1, 0, 0, 3, 0], // 4: anonymous union { int a; struct 3; }
    [0, info(10, 0), 4], // 5: const union 4
    [0, info(13, 1), 1, 0, 1], // 6: FUNC_PROTO int (int)
    [s('outer'), info(4, 0), 0], // 7: struct outer, declaration only
    [s('outer'), info(4, 4, true), 16, s('x'), 1, 0, 0, 5, 32, s('d'), 1, (4 << 24) | 96, s('e'), 1, (4 << 24) | 100], // 8
    [s('fn'), info(12, 0), 6], // 9: FUNC fn
  ],
  strings,
);

test('finds members directly and inside anonymous unions and structs', () => {
  const btf = parseBtf(blob);
  assert.equal(btf.memberOffset('outer', 'x'), 0);
  assert.equal(btf.memberOffset('outer', 'a'), 4);
  assert.equal(btf.memberOffset('outer', 'b'), 4);
  assert.equal(btf.memberOffset('outer', 'c'), 8);
  assert.equal(btf.memberOffset('outer', 'd'), 12);
});

test('uses the definition of a struct, not a member-less declaration', () => {
  assert.equal(parseBtf(blob).structSize('outer'), 16);
});

test('says clearly what is missing', () => {
  const btf = parseBtf(blob);
  assert.throws(() => btf.memberOffset('outer', 'y'), (e: unknown) => e instanceof KernelError && e.message === "struct outer has no member 'y' in the kernel's BTF");
  assert.throws(() => btf.structSize('inner'), (e: unknown) => e instanceof KernelError && e.message === "the kernel's BTF has no struct 'inner'");
  // A name that is a prefix of a real one must not match it.
  assert.throws(() => btf.structSize('out'), KernelError);
  assert.throws(() => btf.memberOffset('outer', 'e'), (e: unknown) => e instanceof KernelError && e.message === 'outer.e is a bitfield (bit offset 100)');
});

test('refuses data that is not BTF', () => {
  assert.throws(() => parseBtf(new Uint8Array(32)), /magic 0xeb9f/);
  assert.throws(() => parseBtf(blob.subarray(0, 40)), /truncated BTF/);
});

// For tracepoint arguments and member paths:
//   struct task { char comm[16]; int prio; struct task *parent; };   (32 bytes)
//   typedef void (*btf_trace_ev)(void *, struct task *, int);       (no parameter names)
//   void __bpf_trace_ev(void *__data, struct task *p, int n);        (the names)
const typeStrings = ['int', 'char', 'task', 'comm', 'prio', 'parent', 'btf_trace_ev', '__data', 'p', 'n', '__bpf_trace_ev', 'pid_t'];
const t = (name: string): number => str(typeStrings, name);
const typed = buildBtf(
  [
    [t('int'), info(1, 0), 4, (1 << 24) | 32], // 1: int, signed
    [t('char'), info(1, 0), 1, (1 << 24) | 8], // 2: char
    [0, info(3, 0), 0, 2, 1, 16], // 3: char[16]
    [t('task'), info(4, 3), 32, t('comm'), 3, 0, t('prio'), 12, 128, t('parent'), 5, 192], // 4: struct task
    [0, info(2, 0), 4], // 5: struct task *
    [0, info(13, 3), 0, 0, 7, 0, 5, 0, 1], // 6: void (void *, struct task *, int)
    [0, info(2, 0), 0], // 7: void *
    [0, info(2, 0), 6], // 8: pointer to 6
    [t('btf_trace_ev'), info(8, 0), 8], // 9: typedef
    [0, info(13, 3), 0, t('__data'), 7, t('p'), 5, t('n'), 1], // 10: the same prototype, named
    [t('__bpf_trace_ev'), info(12, 0), 10], // 11: FUNC
    [t('pid_t'), info(8, 0), 1], // 12: typedef int pid_t
  ],
  typeStrings,
);

test('a tracepoint\'s arguments: the typedef\'s types, the names of __bpf_trace_<event>\'s parameters', () => {
  const btf = parseBtf(typed);
  const task = { kind: 'struct', id: 4, name: 'task', size: 32, union: false } as const;
  assert.deepEqual(btf.tracepointArgs('ev'), [
    { name: 'p', type: { kind: 'pointer', to: task }, index: 0 },
    { name: 'n', type: { kind: 'int', name: 'int', size: 4, signed: true }, index: 1 },
  ]);
  assert.equal(btf.tracepointArgs('other'), undefined);
});

test('a struct\'s members: char arrays, integers through typedefs, pointers; offsets in bytes', () => {
  const btf = parseBtf(typed);
  const task = btf.struct('task');
  assert.ok(task);
  assert.deepEqual(btf.members(task).map((m) => [m.name, m.type.kind, m.offset]), [['comm', 'array', 0], ['prio', 'int', 16], ['parent', 'pointer', 24]]);
  assert.deepEqual(btf.members(task)[1]!.type, { kind: 'int', name: 'pid_t', size: 4, signed: true });
  assert.equal(btf.struct('nope'), undefined);
  // Anonymous members' members are in their place; a bitfield is marked.
  const outer = parseBtf(blob);
  const members = outer.members(outer.struct('outer')!);
  assert.deepEqual(members.map((m) => [m.name, m.offset, m.bitfield ?? false]), [['x', 0, false], ['a', 4, false], ['b', 4, false], ['c', 8, false], ['d', 12, true], ['e', 12, true]]);
});
