import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { attachBtfTracepoint, attachPerfSampling, attachRawTracepoint } from '../../src/kernel/attach.js';
import { BpfCmd } from '../../src/kernel/bpf-cmd.js';
import { possibleCpuList } from '../../src/kernel/cpus.js';
import { KernelError } from '../../src/kernel/errors.js';
import { tracepointEventAttr } from '../../src/kernel/perf-cmd.js';
import { BpfProgram, type ProgramType } from '../../src/kernel/program.js';
import { setSys } from '../../src/kernel/sys.js';
import { FakeSys, cString } from './fake-sys.js';

const PROG_FD = 30;
const SET_BPF = 0x40042408;
const ENABLE = 0x2400;

function loaded(type: ProgramType): { fake: FakeSys; prog: BpfProgram } {
  const fake = new FakeSys();
  fake.onBpf = () => PROG_FD;
  setSys(fake);
  const prog = BpfProgram.load({ name: 'p', type, insns: Buffer.from([0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]), license: 'GPL' });
  return { fake, prog };
}

afterEach(() => setSys(undefined));

test('raw tracepoints open through BPF_RAW_TRACEPOINT_OPEN with the name and program fd', () => {
  const { fake, prog } = loaded('raw_tracepoint');
  fake.onBpf = () => 44;
  const link = attachRawTracepoint(prog, 'sys_enter');
  const call = fake.bpfCalls.at(-1)!;
  assert.equal(call.cmd, 17);
  assert.equal(call.size, 16);
  assert.equal(cString(fake.deref(call.attr.readBigUInt64LE(0))), 'sys_enter');
  assert.equal(call.attr.readUInt32LE(8), PROG_FD);
  link.close();
  link.close();
  assert.deepEqual(fake.closed, [44]);
});

test('an unknown raw tracepoint says so', () => {
  const { fake, prog } = loaded('raw_tracepoint');
  fake.onBpf = () => -2;
  assert.throws(
    () => attachRawTracepoint(prog, 'no_such'),
    (e: unknown) =>
      e instanceof KernelError &&
      e.op === 'BPF_RAW_TRACEPOINT_OPEN' &&
      e.message === 'BPF_RAW_TRACEPOINT_OPEN failed for raw tracepoint no_such: ENOENT (no such file or directory)' &&
      e.hint === "this kernel has no raw tracepoint 'no_such'",
  );
});

test('a program of the wrong type is refused before any syscall', () => {
  const { fake, prog } = loaded('tracepoint');
  const before = fake.bpfCalls.length;
  assert.throws(() => attachRawTracepoint(prog, 'sys_enter'), /program 'p' is a tracepoint program; attaching to a raw tracepoint needs a raw_tracepoint program/);
  assert.throws(() => attachPerfSampling(prog, 99), /sampling needs a perf_event program/);
  assert.equal(fake.bpfCalls.length, before);
  assert.equal(fake.perfCalls.length, 0);
});

const LINK_CREATE = 28;
const BPF_PERF_EVENT = 41;

/** Answers BPF_LINK_CREATE with `link(targetFd)`, and anything else (the program load) with PROG_FD. */
function answerLinks(fake: FakeSys, link: (targetFd: number) => number): void {
  fake.onBpf = (cmd, attr) => (cmd === LINK_CREATE ? link(attr.readUInt32LE(4)) : PROG_FD);
}

test('sampling opens one cpu-clock event per possible CPU, each held by a BPF link', () => {
  const { fake, prog } = loaded('perf_event');
  const cpus = possibleCpuList();
  fake.onPerfEventOpen = (_attr, cpu) => 100 + cpu;
  answerLinks(fake, (target) => target + 100);
  const att = attachPerfSampling(prog, 99);
  assert.deepEqual(fake.perfCalls.map((c) => [c.pid, c.cpu, c.groupFd, c.flags]), cpus.map((cpu) => [-1, cpu, -1, 8]));
  const attr = fake.perfCalls[0]!.attr;
  assert.equal(attr.length, 136);
  assert.equal(attr.readUInt32LE(0), 1); // PERF_TYPE_SOFTWARE
  assert.equal(attr.readUInt32LE(4), 136);
  assert.equal(attr.readBigUInt64LE(8), 0n); // PERF_COUNT_SW_CPU_CLOCK
  assert.equal(attr.readBigUInt64LE(16), 99n); // sample_freq
  assert.equal(attr.readBigUInt64LE(40), 1n << 10n); // freq bit
  const links = fake.bpfCalls.filter((c) => c.cmd === LINK_CREATE);
  assert.deepEqual(
    links.map((c) => [c.size, c.attr.readUInt32LE(0), c.attr.readUInt32LE(4), c.attr.readUInt32LE(8), c.attr.readUInt32LE(12)]),
    cpus.map((cpu) => [16, PROG_FD, 100 + cpu, BPF_PERF_EVENT, 0]),
  );
  assert.deepEqual(fake.ioctlCalls, []);
  att.close();
  // Each link closes before its event.
  assert.deepEqual(fake.closed, cpus.flatMap((cpu) => [100 + cpu, 200 + cpu]).reverse());
});

test('a kernel without perf-event links (EINVAL or EOPNOTSUPP) gets the program by ioctl instead', () => {
  for (const refusal of [-22, -95]) {
    const { fake, prog } = loaded('perf_event');
    const cpus = possibleCpuList();
    fake.onPerfEventOpen = (_attr, cpu) => 100 + cpu;
    answerLinks(fake, () => refusal);
    const att = attachPerfSampling(prog, 99);
    assert.deepEqual(
      fake.ioctlCalls,
      cpus.flatMap((cpu) => [
        { fd: 100 + cpu, request: SET_BPF, arg: PROG_FD },
        { fd: 100 + cpu, request: ENABLE, arg: 0 },
      ]),
    );
    att.close();
    assert.deepEqual(fake.closed, cpus.map((cpu) => 100 + cpu).reverse());
  }
});

test('any other refusal of the link fails the attachment, closing the event', () => {
  const { fake, prog } = loaded('perf_event');
  const cpus = possibleCpuList();
  fake.onPerfEventOpen = (_attr, cpu) => 100 + cpu;
  answerLinks(fake, () => -1);
  assert.throws(
    () => attachPerfSampling(prog, 49),
    (e: unknown) => e instanceof KernelError && e.op === 'BPF_LINK_CREATE' && e.code === 'EPERM' && e.message.includes(`cpu-clock sampling on CPU ${cpus[0]}`),
  );
  assert.deepEqual(fake.closed, [100 + cpus[0]!]);
  assert.deepEqual(fake.ioctlCalls, []);
});

test('sampling skips offline CPUs and closes what it opened when a later CPU fails', () => {
  const { fake, prog } = loaded('perf_event');
  const cpus = possibleCpuList();
  answerLinks(fake, () => -22);
  fake.onPerfEventOpen = (_attr, cpu) => (cpu === cpus[0] ? -19 : 100 + cpu); // first CPU offline
  const att = attachPerfSampling(prog, 49);
  assert.equal(fake.ioctlCalls.length, 2 * (cpus.length - 1));
  att.close();
  fake.closed.length = 0;
  fake.onPerfEventOpen = (_attr, cpu) => 100 + cpu;
  const last = cpus.at(-1)!;
  fake.onIoctl = (fd, request) => (fd === 100 + last && request === SET_BPF ? -17 : 0);
  assert.throws(
    () => attachPerfSampling(prog, 49),
    (e: unknown) => e instanceof KernelError && e.op === 'ioctl(PERF_EVENT_IOC_SET_BPF)' && e.code === 'EEXIST',
  );
  assert.deepEqual([...fake.closed].sort((a, b) => a - b), cpus.map((cpu) => 100 + cpu));
});

test('a tracepoint perf event samples every hit of the tracepoint id', () => {
  const attr = tracepointEventAttr(291);
  assert.equal(attr.length, 136);
  assert.equal(attr.readUInt32LE(0), 2); // PERF_TYPE_TRACEPOINT
  assert.equal(attr.readUInt32LE(4), 136);
  assert.equal(attr.readBigUInt64LE(8), 291n);
  assert.equal(attr.readBigUInt64LE(16), 1n); // sample_period
  assert.equal(attr.readBigUInt64LE(40), 0n); // enabled at open, no freq
  assert.equal(attr.readUInt32LE(48), 1); // wakeup_events
});

test('BpfCmd numbers match the kernel enum', () => {
  assert.deepEqual(
    [BpfCmd.MAP_CREATE, BpfCmd.PROG_LOAD, BpfCmd.PROG_GET_NEXT_ID, BpfCmd.OBJ_GET_INFO_BY_FD, BpfCmd.RAW_TRACEPOINT_OPEN, BpfCmd.MAP_LOOKUP_BATCH, BpfCmd.LINK_CREATE],
    [0, 5, 11, 15, 17, 24, 28],
  );
});

test('a tp_btf program attaches through BPF_LINK_CREATE with no target and BPF_TRACE_RAW_TP', () => {
  const { fake, prog } = loaded('tracing');
  fake.onBpf = () => 45;
  const link = attachBtfTracepoint(prog, 'sched_process_exit');
  const call = fake.bpfCalls.at(-1)!;
  assert.equal(call.cmd, BpfCmd.LINK_CREATE);
  assert.deepEqual([call.attr.readUInt32LE(0), call.attr.readUInt32LE(4), call.attr.readUInt32LE(8)], [PROG_FD, 0, 23]);
  link.close();
  assert.deepEqual(fake.closed, [45]);
  fake.onBpf = () => -22;
  assert.throws(() => attachBtfTracepoint(prog, 'sched_process_exit'), (e: unknown) => e instanceof KernelError && e.op === 'BPF_LINK_CREATE' && /BTF-typed raw tracepoint sched_process_exit/.test(e.message));
  assert.throws(() => attachBtfTracepoint(loaded('raw_tracepoint').prog, 'x'), /attaching to a BTF-typed raw tracepoint needs a tracing program/);
});
