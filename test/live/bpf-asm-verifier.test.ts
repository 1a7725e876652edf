// The assembler's bytes through the real verifier: a minimal bpf(BPF_PROG_LOAD) via koffi,
// kept inside this test (the project's kernel layer lives in src/kernel/). Needs root.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import koffi from 'koffi';
import { R0, assemble, encode, exit, mov, type Item } from '../../src/bpf/index.js';

const skip = process.getuid?.() === 0 ? false : 'loading BPF programs needs root';

const SYS_BPF = 321; // x86_64
const BPF_PROG_LOAD = 5;
const BPF_PROG_TYPE_TRACEPOINT = 5;
const ATTR_SIZE = 144; // through log_true_size (offset 140), the last field this test reads

interface LoadResult {
  readonly fd: number;
  readonly errno: number;
  readonly log: string;
}

function load(items: readonly Item[]): LoadResult {
  const libc = koffi.load('libc.so.6');
  const syscall = libc.func('long syscall(long nr, int cmd, void *attr, unsigned int size)');
  const close = libc.func('int close(int fd)');
  const insns = encode(assemble(items), new Map());
  const license = Buffer.from('GPL\0');
  const log = Buffer.alloc(64 * 1024);
  const attr = Buffer.alloc(ATTR_SIZE);
  attr.writeUInt32LE(BPF_PROG_TYPE_TRACEPOINT, 0);
  attr.writeUInt32LE(insns.length / 8, 4);
  attr.writeBigUInt64LE(koffi.address(insns), 8);
  attr.writeBigUInt64LE(koffi.address(license), 16);
  attr.writeUInt32LE(1, 24); // log_level
  attr.writeUInt32LE(log.length, 28);
  attr.writeBigUInt64LE(koffi.address(log), 32);
  attr.write('bpfql_asm_test', 48, 'latin1');
  const fd = Number(syscall(SYS_BPF, BPF_PROG_LOAD, attr, ATTR_SIZE));
  const errno = fd < 0 ? koffi.errno() : 0;
  if (fd >= 0) close(fd);
  const end = log.indexOf(0);
  return { fd, errno, log: log.toString('utf8', 0, end < 0 ? log.length : end) };
}

test('the verifier accepts r0 = 0; exit', { skip }, () => {
  const result = load([mov.imm(R0, 0), exit()]);
  assert.ok(result.fd >= 0, `load failed with errno ${result.errno}: ${result.log}`);
});

test('the verifier rejects exit without r0 set', { skip }, () => {
  const result = load([exit()]);
  assert.equal(result.fd, -1);
  assert.equal(result.errno, 13); // EACCES
  assert.match(result.log, /R0 !read_ok/);
});
