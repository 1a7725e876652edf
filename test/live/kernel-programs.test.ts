// Real programs (hand-encoded instructions) loaded, attached and observed counting syscalls.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { attachPerfSampling, attachRawTracepoint, attachTracepoint } from '../../src/kernel/attach.js';
import { KernelError, VerifierError } from '../../src/kernel/errors.js';
import { BpfMap } from '../../src/kernel/map.js';
import { listMaps, listPrograms, programRunStats } from '../../src/kernel/objects.js';
import { enableRunTimeStats } from '../../src/kernel/run-time-stats.js';
import { BpfProgram, type ProgramType } from '../../src/kernel/program.js';
import { KernelScope } from '../../src/kernel/scope.js';
import { Helper, R0, R1, R2, R10, insn, ldMapFd, program } from './kernel-insns.js';
import { callGetppid, needsRoot } from './kernel-root.js';

const GETPPID_NR = 110; // x86_64

/** Adds 1 to slot 0 of a per-CPU array in place (10 instruction slots). */
function countInSlot0(counter: BpfMap): Buffer[] {
  return [
    insn(0x62, R10, 0, -4, 0), //        *(u32 *)(r10 - 4) = 0      the key
    insn(0xbf, R2, R10, 0, 0), //        r2 = r10
    insn(0x07, R2, 0, 0, -4), //         r2 += -4
    ldMapFd(R1, counter.fd), //          r1 = counter (2 slots)
    insn(0x85, 0, 0, 0, Helper.mapLookupElem),
    insn(0x15, R0, 0, 3, 0), //          if r0 == 0 goto out
    insn(0x79, R2, R0, 0, 0), //         r2 = *(u64 *)(r0 + 0)
    insn(0x07, R2, 0, 0, 1), //          r2 += 1
    insn(0x7b, R0, R2, 0, 0), //         *(u64 *)(r0 + 0) = r2
  ];
}

const out = [insn(0xb7, R0, 0, 0, 0), insn(0x95, 0, 0, 0, 0)]; // out: r0 = 0; exit

const slots = (code: readonly Buffer[]): number => Buffer.concat(code).length / 8;

/**
 * Counts events of this process (its tgid is an immediate in the program); with `syscallNr`, a
 * raw sys_enter program that also skips every other syscall.
 */
function countOwnEvents(type: ProgramType, name: string, counter: BpfMap, syscallNr?: number): BpfProgram {
  const body = countInSlot0(counter);
  const pidFilter = [
    insn(0x85, 0, 0, 0, Helper.getCurrentPidTgid), //   r0 = tgid << 32 | tid
    insn(0x77, R0, 0, 0, 32), //                         r0 >>= 32
    insn(0x55, R0, 0, slots(body), process.pid), //      if r0 != pid goto out
  ];
  // ctx is struct bpf_raw_tracepoint_args: args[1] of sys_enter is the syscall number.
  const syscallFilter =
    syscallNr === undefined
      ? []
      : [
          insn(0x79, R2, R1, 8, 0), //                          r2 = ctx->args[1]
          insn(0x55, R2, 0, slots(pidFilter) + slots(body), syscallNr), // if r2 != nr goto out
        ];
  const insns = program(...syscallFilter, ...pidFilter, ...body, ...out);
  return BpfProgram.load({ name, type, insns, license: 'GPL' });
}

function sum(counter: BpfMap): bigint {
  const value = Buffer.alloc(counter.valueBufferSize);
  assert.equal(counter.lookup(Buffer.alloc(4), value), true);
  let total = 0n;
  for (let at = 0; at < value.length; at += 8) total += value.readBigUInt64LE(at);
  return total;
}

function perCpuCounter(scope: KernelScope, name: string): BpfMap {
  return scope.add(BpfMap.create({ name, type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 }));
}

test('a tracepoint program counts exactly the 500 getppid calls this process makes', { skip: needsRoot }, () => {
  const scope = new KernelScope();
  try {
    const counter = perCpuCounter(scope, 'kt_tp_count');
    const prog = scope.add(countOwnEvents('tracepoint', 'kt_tp_prog', counter));
    scope.add(attachTracepoint(prog, 'syscalls', 'sys_enter_getppid'));
    assert.equal(sum(counter), 0n);
    callGetppid(500);
    assert.equal(sum(counter), 500n);
  } finally {
    scope.closeAll();
  }
});

test('a raw tracepoint program on sys_enter counts exactly 500 getppid calls', { skip: needsRoot }, () => {
  const scope = new KernelScope();
  try {
    const counter = perCpuCounter(scope, 'kt_raw_count');
    const prog = scope.add(countOwnEvents('raw_tracepoint', 'kt_raw_prog', counter, GETPPID_NR));
    scope.add(attachRawTracepoint(prog, 'sys_enter'));
    callGetppid(500);
    assert.equal(sum(counter), 500n);
  } finally {
    scope.closeAll();
  }
});

test('a perf_event program runs on cpu-clock samples', { skip: needsRoot }, () => {
  const scope = new KernelScope();
  try {
    const counter = perCpuCounter(scope, 'kt_perf_count');
    const insns = program(...countInSlot0(counter), ...out);
    const prog = scope.add(BpfProgram.load({ name: 'kt_perf_prog', type: 'perf_event', insns, license: 'GPL' }));
    scope.add(attachPerfSampling(prog, 1000));
    const start = Date.now();
    while (Date.now() - start < 200) Math.sqrt(Math.random()); // keep this CPU busy so it is sampled
    const samples = sum(counter);
    // 200 ms of one busy CPU at 1000 Hz is ~200 samples; idle CPUs add few. Bounded both ways.
    assert.ok(samples >= 50n, `only ${samples} samples`);
    assert.ok(samples <= 1000n, `${samples} samples`);
  } finally {
    scope.closeAll();
  }
});

test('an invalid program gives a VerifierError carrying the verifier log', { skip: needsRoot }, () => {
  // exit without setting r0
  const insns = program(insn(0x95, 0, 0, 0, 0));
  assert.throws(
    () => BpfProgram.load({ name: 'kt_invalid', type: 'tracepoint', insns, license: 'GPL' }),
    (e: unknown) => {
      assert.ok(e instanceof VerifierError);
      assert.equal(e.code, 'EACCES');
      assert.match(e.log, /R0 !read_ok/);
      assert.equal(e.message, "the kernel verifier rejected program 'kt_invalid' (EACCES): R0 !read_ok");
      return true;
    },
  );
});

test('an unchecked map lookup is refused with the verifier reason', { skip: needsRoot }, () => {
  // A hash map: recent verifiers know an array lookup with a constant in-range key cannot fail.
  const counter = BpfMap.create({ name: 'kt_unchecked', type: 'percpu_hash', keySize: 4, valueSize: 8, maxEntries: 1 });
  try {
    const body = countInSlot0(counter);
    body.splice(5, 1); // drop the null check
    const insns = program(...body, ...out);
    assert.throws(
      () => BpfProgram.load({ name: 'kt_unchecked', type: 'tracepoint', insns, license: 'GPL' }),
      (e: unknown) => e instanceof VerifierError && /R0 invalid mem access 'map_value_or_null'/.test(e.message),
    );
  } finally {
    counter.close();
  }
});

test('a missing tracepoint is named, with a suggestion', { skip: needsRoot }, () => {
  const scope = new KernelScope();
  try {
    const counter = perCpuCounter(scope, 'kt_missing');
    const prog = scope.add(countOwnEvents('tracepoint', 'kt_missing', counter));
    assert.throws(
      () => attachTracepoint(prog, 'syscalls', 'sys_enter_getppidd'),
      (e: unknown) =>
        e instanceof KernelError &&
        e.code === 'ENOENT' &&
        e.message === 'this kernel has no tracepoint syscalls:sys_enter_getppidd' &&
        e.hint?.startsWith('did you mean syscalls:sys_enter_getppid,') === true,
    );
  } finally {
    scope.closeAll();
  }
});

/** Polls `done` until it holds or `ms` pass. */
async function eventually(done: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

test('listPrograms shows our program by name while loaded and nothing of ours after closeAll', { skip: needsRoot }, async () => {
  const scope = new KernelScope();
  const counter = perCpuCounter(scope, 'kt_listed');
  const prog = scope.add(countOwnEvents('tracepoint', 'kt_listed_prog', counter));
  scope.add(attachTracepoint(prog, 'syscalls', 'sys_enter_getppid'));
  const loaded = listPrograms().filter((p) => p.name === 'kt_listed_prog');
  assert.equal(loaded.length, 1);
  assert.equal(loaded[0]!.type, 5);
  assert.equal(listMaps().filter((m) => m.name === 'kt_listed').length, 1);
  scope.closeAll();
  assert.deepEqual(listPrograms().filter((p) => p.id === loaded[0]!.id), []);
  // The kernel drops a freed program's map references after an RCU grace period, so the map goes a little later.
  assert.equal(await eventually(() => listMaps().every((m) => m.name !== 'kt_listed'), 3000), true);
});

test('programRunStats reads anyone\'s program by id: exactly the runs made while statistics are on, none after; gone once closed', { skip: needsRoot }, () => {
  const scope = new KernelScope();
  let id = 0;
  try {
    const prog = scope.add(BpfProgram.load({ name: 'kt_run_stats', type: 'raw_tracepoint', insns: program(...out), license: 'GPL' }));
    const [loaded] = listPrograms().filter((p) => p.name === 'kt_run_stats');
    assert.ok(loaded);
    id = loaded.id;
    const ctx = Buffer.alloc(16);
    const before = programRunStats(loaded.id)!;
    const stop = enableRunTimeStats();
    try {
      for (let i = 0; i < 7; i++) prog.testRun(ctx);
    } finally {
      stop();
    }
    const during = programRunStats(loaded.id)!;
    assert.equal(during.runCount - before.runCount, 7);
    assert.ok(during.runTimeNs > before.runTimeNs, `run time ${before.runTimeNs} → ${during.runTimeNs}`);
    // Statistics off again (unless the sysctl or another process has them on): runs go uncounted.
    if (readFileSync('/proc/sys/kernel/bpf_stats_enabled', 'utf8').trim() === '0') {
      prog.testRun(ctx);
      assert.equal(programRunStats(loaded.id)!.runCount, during.runCount);
    }
  } finally {
    scope.closeAll();
  }
  assert.equal(programRunStats(id), undefined);
});
