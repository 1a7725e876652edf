import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KernelError, PRIVILEGES_NEEDED, VerifierError, errnoName } from '../../src/kernel/errors.js';

const ROOT = PRIVILEGES_NEEDED;

test('errno numbers get their symbolic codes, including the kernel-only ENOTSUPP', () => {
  assert.equal(errnoName(1), 'EPERM');
  assert.equal(errnoName(2), 'ENOENT');
  assert.equal(errnoName(7), 'E2BIG');
  assert.equal(errnoName(13), 'EACCES');
  assert.equal(errnoName(28), 'ENOSPC');
  assert.equal(errnoName(524), 'ENOTSUPP');
  assert.equal(errnoName(9999), 'E9999');
});

test('a KernelError carries op, errno, code and a default message', () => {
  const e = new KernelError('BPF_MAP_LOOKUP_BATCH', 14);
  assert.equal(e.op, 'BPF_MAP_LOOKUP_BATCH');
  assert.equal(e.errno, 14);
  assert.equal(e.code, 'EFAULT');
  assert.equal(e.message, 'BPF_MAP_LOOKUP_BATCH failed: EFAULT (bad address in system call argument)');
  assert.equal(e.hint, undefined);
  assert.equal(e.name, 'KernelError');
  assert.equal(new KernelError('perf_event_open', 2, { subject: 'tracepoint a:b' }).message, 'perf_event_open failed for tracepoint a:b: ENOENT (no such file or directory)');
});

test('EPERM and EACCES from bpf and perf_event_open say that root is needed', () => {
  assert.equal(new KernelError('BPF_PROG_LOAD', 1).hint, ROOT);
  assert.equal(new KernelError('BPF_MAP_CREATE', 1).hint, ROOT);
  assert.equal(new KernelError('perf_event_open', 13).hint, ROOT);
  assert.equal(new KernelError('ioctl(PERF_EVENT_IOC_SET_BPF)', 1).hint, ROOT);
  assert.equal(new KernelError('munmap', 1).hint, undefined);
});

test('map and program limits get hints', () => {
  assert.equal(new KernelError('BPF_MAP_UPDATE_ELEM', 7).hint, 'the map is full: give it a larger max_entries');
  assert.equal(new KernelError('BPF_MAP_CREATE', 12).hint?.startsWith('not enough memory for the map'), true);
  assert.equal(new KernelError('BPF_PROG_LOAD', 7).hint, 'the program has more instructions than this kernel accepts');
  assert.equal(new KernelError('ioctl(PERF_EVENT_IOC_SET_BPF)', 17).hint, 'a BPF program is already attached to this perf event');
  assert.equal(new KernelError('BPF_MAP_LOOKUP_BATCH', 524).hint, 'this kernel does not support BPF_MAP_LOOKUP_BATCH');
  assert.equal(new KernelError('BPF_MAP_CREATE', 22, { hint: 'custom' }).hint, 'custom');
});

test('a VerifierError states the verdict line and keeps the whole log', () => {
  const log = "0: R1=ctx() R10=fp0\n0: (95) exit\nR0 !read_ok\nprocessed 1 insns (limit 1000000)\nverification time 5 usec\n";
  const e = new VerifierError('q', 13, log);
  assert.equal(e.message, "the kernel verifier rejected program 'q' (EACCES): R0 !read_ok");
  assert.equal(e.log, log);
  assert.equal(e.program, 'q');
  assert.equal(e.name, 'VerifierError');
  assert.equal(e.tail(3), 'R0 !read_ok\nprocessed 1 insns (limit 1000000)\nverification time 5 usec');
  assert.equal(e.tail(100), log.trimEnd());
  assert.equal(new VerifierError('q', 13, '').message, "the kernel verifier rejected program 'q' (EACCES): no verifier log");
});
