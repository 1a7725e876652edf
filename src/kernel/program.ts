// Loading programs. The first attempt asks for no verifier log (the log costs time even when the
// program is fine); only when the kernel refuses is the program loaded again with a log, so the
// error can say why.
import { AttachType, BpfCmd, INSN_SIZE, ProgLoad, ProgTestRun, attrWithString, fillProgLoadAttr, logTrueSize, progTestRunAttr } from './bpf-cmd.js';
import { readProgInfo } from './prog-info.js';
import { Errno, KernelError, VerifierError } from './errors.js';
import { sys } from './sys.js';

/**
 * kprobe: the type of programs on uprobes too (their context is struct pt_regs). tracing: here
 * only BTF-typed raw tracepoints (tp_btf), loaded for BPF_TRACE_RAW_TP.
 */
export type ProgramType = 'tracepoint' | 'raw_tracepoint' | 'perf_event' | 'kprobe' | 'tracing';

export interface ProgramSpec {
  readonly name: string;
  readonly type: ProgramType;
  /** A tracing program: the vmlinux BTF id of the typedef `btf_trace_<event>` of its raw tracepoint. */
  readonly attachBtfId?: number;
  /** Raw little-endian struct bpf_insn array, 8 bytes per slot. */
  readonly insns: Buffer;
  readonly license: string;
}

/** enum bpf_prog_type values. */
export const programTypeIds: { readonly [T in ProgramType]: number } = {
  kprobe: 2,
  tracepoint: 5,
  perf_event: 7,
  raw_tracepoint: 17,
  tracing: 26,
};

/** First verifier log buffer: enough for the log of a rejected program of a few thousand insns. */
const INITIAL_LOG_SIZE = 1 << 20;
/** The kernel refuses log buffers larger than this (UINT_MAX >> 2). */
const MAX_LOG_SIZE = 0x3fffffff;

export class BpfProgram {
  readonly fd: number;
  readonly spec: ProgramSpec;
  private closed = false;

  private constructor(fd: number, spec: ProgramSpec) {
    this.fd = fd;
    this.spec = spec;
  }

  static load(spec: ProgramSpec): BpfProgram {
    if (spec.insns.length === 0 || spec.insns.length % INSN_SIZE !== 0) {
      throw new RangeError(`program '${spec.name}' has ${spec.insns.length} bytes of instructions; it needs a positive multiple of 8`);
    }
    const first = attempt(spec, 0, Buffer.alloc(0));
    if (first.fd >= 0) return new BpfProgram(first.fd, spec);
    // Without privileges the log would only repeat the refusal.
    if (first.errno === Errno.EPERM) throw new KernelError('BPF_PROG_LOAD', first.errno, { subject: `program '${spec.name}'` });

    let log = Buffer.alloc(INITIAL_LOG_SIZE);
    for (;;) {
      const r = attempt(spec, 1, log);
      if (r.fd >= 0) return new BpfProgram(r.fd, spec);
      // ENOSPC: the log did not fit. Kernels from 6.4 say how much was needed; older ones don't.
      if (r.errno === Errno.ENOSPC && log.length < MAX_LOG_SIZE) {
        const needed = r.trueSize > log.length ? r.trueSize : log.length * 2;
        log = Buffer.alloc(Math.min(needed, MAX_LOG_SIZE));
        continue;
      }
      const text = cString(log);
      if (text === '') throw new KernelError('BPF_PROG_LOAD', r.errno, { subject: `program '${spec.name}'` });
      throw new VerifierError(spec.name, r.errno, text);
    }
  }

  /**
   * Events the kernel skipped because another BPF program was already running on that CPU (it
   * does not nest tracing programs): bpf_prog_info.recursion_misses, at the offset BTF gives.
   */
  recursionMisses(): number {
    return this.infoField('recursion_misses');
  }

  /**
   * Nanoseconds the program has run: bpf_prog_info.run_time_ns, counted only while the
   * kernel.bpf_stats_enabled sysctl is on (0 otherwise).
   */
  runTimeNs(): number {
    return this.infoField('run_time_ns');
  }

  /** A u64 member of the program's bpf_prog_info. */
  private infoField(member: string): number {
    return readProgInfo(this.fd, `program '${this.spec.name}'`)(member);
  }

  /**
   * BPF_PROG_TEST_RUN: runs the program once on `ctx` (for a raw tracepoint program, its u64
   * arguments), on `cpu` when given, and returns what it returned. Tests run generated code this
   * way without a live event.
   */
  testRun(ctx: Buffer, cpu?: number): number {
    const s = sys();
    const attr = progTestRunAttr(this.fd, s.address(ctx), ctx.length, cpu);
    const r = s.bpf(BpfCmd.PROG_TEST_RUN, attr, ProgTestRun.size);
    if (r < 0) throw new KernelError('BPF_PROG_TEST_RUN', -r, { subject: `program '${this.spec.name}'` });
    return attr.readUInt32LE(ProgTestRun.retval);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    sys().close(this.fd);
  }
}

interface Attempt {
  readonly fd: number;
  readonly errno: number;
  readonly trueSize: number;
}

/**
 * The verifier gives up with EAGAIN when a signal arrives while it works (a child's SIGCHLD, a
 * profiler's SIGPROF, a resized terminal's SIGWINCH); nothing is wrong with the program, so the
 * load is tried again, a bounded number of times.
 */
const SIGNAL_RETRIES = 5;

function attempt(spec: ProgramSpec, logLevel: number, log: Buffer): Attempt {
  for (let tries = 1; ; tries++) {
    const r = attemptOnce(spec, logLevel, log);
    if (r.errno !== Errno.EAGAIN || tries > SIGNAL_RETRIES) return r;
  }
}

function attemptOnce(spec: ProgramSpec, logLevel: number, log: Buffer): Attempt {
  const s = sys();
  const { attr, text: license } = attrWithString(ProgLoad.size, spec.license);
  fillProgLoadAttr(attr, {
    progType: programTypeIds[spec.type],
    insns: s.address(spec.insns),
    insnCount: spec.insns.length / INSN_SIZE,
    license: s.address(license),
    name: spec.name,
    logLevel,
    logBuf: log.length === 0 ? 0n : s.address(log),
    logSize: log.length,
    ...(spec.attachBtfId !== undefined ? { attach: { type: AttachType.TRACE_RAW_TP, btfId: spec.attachBtfId } } : {}),
  });
  const r = s.bpf(BpfCmd.PROG_LOAD, attr, ProgLoad.size);
  return r >= 0 ? { fd: r, errno: 0, trueSize: 0 } : { fd: -1, errno: -r, trueSize: logTrueSize(attr) };
}

function cString(buf: Buffer): string {
  const end = buf.indexOf(0);
  return buf.toString('utf8', 0, end === -1 ? buf.length : end);
}
