// Attaching loaded programs to events. Each attachment is held by fds (a perf event and its BPF
// link, or a raw tracepoint link); closing them detaches, and so does the kernel when the process dies.
import { AttachType, BpfCmd, LinkCreate, RawTracepointOpen, attrWithString, fillRawTracepointOpenAttr, linkCreateAttr } from './bpf-cmd.js';
import { possibleCpuList } from './cpus.js';
import { Errno, KernelError } from './errors.js';
import {
  PERF_FLAG_FD_CLOEXEC,
  cpuClockEventAttr,
  tracepointEventAttr,
  PerfAttr,
  fillUprobeEventAttr,
} from './perf-cmd.js';
import { linkPerfEvent } from './perf-event-link.js';
import { uprobePmu } from './pmu.js';
import type { BpfProgram, ProgramType } from './program.js';
import { sys } from './sys.js';
import { tracepointId } from './tracefs.js';

export interface Attachment {
  close(): void;
}

/** Closes its fds once, in reverse order of opening. */
class FdAttachment implements Attachment {
  private fds: readonly number[];
  constructor(fds: readonly number[]) {
    this.fds = fds;
  }
  close(): void {
    const fds = this.fds;
    this.fds = [];
    for (let i = fds.length - 1; i >= 0; i--) sys().close(fds[i]!);
  }
}

function requireType(prog: BpfProgram, type: ProgramType, how: string): void {
  if (prog.spec.type !== type) {
    throw new Error(`program '${prog.spec.name}' is a ${prog.spec.type} program; ${how} needs a ${type} program`);
  }
}

/**
 * Runs `prog` on every hit of tracepoint category:event. One perf event (pid -1, CPU 0) is
 * enough: a BPF program on a tracepoint event fires on every CPU.
 */
export function attachTracepoint(prog: BpfProgram, category: string, event: string): Attachment {
  requireType(prog, 'tracepoint', 'attaching to a tracepoint');
  const what = `tracepoint ${category}:${event}`;
  const attr = tracepointEventAttr(tracepointId(category, event));
  const fd = sys().perfEventOpen(attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
  if (fd < 0) throw new KernelError('perf_event_open', -fd, { subject: what });
  return new FdAttachment(linkPerfEvent(fd, prog, what));
}

/** Runs `prog` on raw tracepoint `name` (e.g. 'sys_enter'), through BPF_RAW_TRACEPOINT_OPEN. */
export function attachRawTracepoint(prog: BpfProgram, name: string): Attachment {
  requireType(prog, 'raw_tracepoint', 'attaching to a raw tracepoint');
  const s = sys();
  const { attr, text } = attrWithString(RawTracepointOpen.size, name);
  fillRawTracepointOpenAttr(attr, s.address(text), prog.fd);
  const fd = s.bpf(BpfCmd.RAW_TRACEPOINT_OPEN, attr, RawTracepointOpen.size);
  if (fd < 0) {
    throw new KernelError('BPF_RAW_TRACEPOINT_OPEN', -fd, {
      subject: `raw tracepoint ${name}`,
      hint: fd === -Errno.ENOENT ? `this kernel has no raw tracepoint '${name}'` : undefined,
    });
  }
  return new FdAttachment([fd]);
}

/**
 * Runs a tp_btf program on the raw tracepoint it was loaded for (its attach BTF id names it):
 * BPF_LINK_CREATE with no target, attach type BPF_TRACE_RAW_TP.
 */
export function attachBtfTracepoint(prog: BpfProgram, event: string): Attachment {
  requireType(prog, 'tracing', 'attaching to a BTF-typed raw tracepoint');
  const fd = sys().bpf(BpfCmd.LINK_CREATE, linkCreateAttr(prog.fd, 0, AttachType.TRACE_RAW_TP), LinkCreate.size);
  if (fd < 0) throw new KernelError('BPF_LINK_CREATE', -fd, { subject: `BTF-typed raw tracepoint ${event}` });
  return new FdAttachment([fd]);
}

/** Runs `prog` `frequencyHz` times a second on every CPU (software cpu-clock sampling). */
export function attachPerfSampling(prog: BpfProgram, frequencyHz: number): Attachment {
  requireType(prog, 'perf_event', 'sampling');
  if (!Number.isInteger(frequencyHz) || frequencyHz <= 0) {
    throw new RangeError(`sampling frequency must be a positive whole number of Hz, not ${frequencyHz}`);
  }
  const s = sys();
  const attr = cpuClockEventAttr(frequencyHz);
  const fds: number[] = [];
  try {
    for (const cpu of possibleCpuList()) {
      const what = `cpu-clock sampling on CPU ${cpu}`;
      const fd = s.perfEventOpen(attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
      if (fd === -Errno.ENODEV) continue; // a possible CPU that is offline
      if (fd < 0) throw new KernelError('perf_event_open', -fd, { subject: what });
      fds.push(...linkPerfEvent(fd, prog, what));
    }
  } catch (e) {
    new FdAttachment(fds).close();
    throw e;
  }
  return new FdAttachment(fds);
}

/**
 * Runs `prog` (a kprobe program: its context is the probed thread's pt_regs) whenever any
 * process executes the instruction at `fileOffset` of the binary at `binaryPath`, or, with
 * `retprobe`, whenever the function there returns. Like a tracepoint, one event on CPU 0 with
 * pid -1 covers every CPU and process.
 */
export function attachUprobe(prog: BpfProgram, binaryPath: string, fileOffset: number, retprobe = false): Attachment {
  requireType(prog, 'kprobe', 'attaching to a uprobe');
  const what = `${retprobe ? 'uretprobe' : 'uprobe'} ${binaryPath}+0x${fileOffset.toString(16)}`;
  const s = sys();
  const pmu = uprobePmu();
  // The path shares the attr's memory, so it lives as long as the attr passed to the call.
  const { attr, text } = attrWithString(PerfAttr.length, binaryPath);
  fillUprobeEventAttr(attr, pmu.type, s.address(text), fileOffset, retprobe ? pmu.retprobe : 0n);
  const fd = s.perfEventOpen(attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
  if (fd < 0) {
    throw new KernelError('perf_event_open', -fd, {
      subject: what,
      hint: fd === -Errno.ENOENT ? `no file ${binaryPath}` : fd === -Errno.EINVAL ? `0x${fileOffset.toString(16)} is not an instruction of ${binaryPath} the kernel can probe` : undefined,
    });
  }
  return new FdAttachment(linkPerfEvent(fd, prog, what));
}
