// Which kind of program each event source runs, and how it is attached.
import type { EventSource } from '../catalog/table.js';
import type { Attachment } from '../kernel/attach.js';
import { attachBtfTracepoint, attachPerfSampling, attachRawTracepoint, attachTracepoint, attachUprobe } from '../kernel/attach.js';
import type { BpfProgram, ProgramType } from '../kernel/program.js';
import { assertNever } from '../diag/assert-never.js';

export function programTypeOf(source: EventSource): ProgramType {
  switch (source.kind) {
    case 'tracepoint': return 'tracepoint';
    // Its context is the event's TP_PROTO arguments (struct bpf_raw_tracepoint_args).
    case 'raw-tracepoint': return 'raw_tracepoint';
    // The same context, typed: a tracing program loaded for BPF_TRACE_RAW_TP.
    case 'btf-tracepoint': return 'tracing';
    // Its context is struct bpf_perf_event_data, whose first member is the interrupted pt_regs.
    case 'perf-sample': return 'perf_event';
    // Uprobe programs are kprobe programs: their context is the probed thread's pt_regs.
    case 'uprobe': return 'kprobe';
    default:
      return assertNever(source);
  }
}

/** The program a source runs: its type, and for a tp_btf program the BTF id it is loaded for. */
export function programOf(source: EventSource): { readonly type: ProgramType; readonly attachBtfId?: number } {
  return { type: programTypeOf(source), ...(source.kind === 'btf-tracepoint' ? { attachBtfId: source.btfId } : {}) };
}

export function attachSource(prog: BpfProgram, source: EventSource): Attachment {
  switch (source.kind) {
    case 'tracepoint': return attachTracepoint(prog, source.category, source.event);
    case 'raw-tracepoint': return attachRawTracepoint(prog, source.event);
    case 'btf-tracepoint': return attachBtfTracepoint(prog, source.event);
    case 'perf-sample': return attachPerfSampling(prog, source.frequencyHz);
    case 'uprobe': return attachUprobe(prog, source.binary, source.offset, source.retprobe === true);
    default:
      return assertNever(source);
  }
}
