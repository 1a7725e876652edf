// Which kind of program each event source runs, and how it is attached.
import type { EventSource } from '../catalog/table.js';
import type { Attachment } from '../kernel/attach.js';
import { attachPerfSampling, attachRawTracepoint, attachTracepoint, attachUprobe } from '../kernel/attach.js';
import type { BpfProgram, ProgramType } from '../kernel/program.js';
import { assertNever } from '../diag/assert-never.js';

export function programTypeOf(source: EventSource): ProgramType {
  switch (source.kind) {
    case 'tracepoint': return 'tracepoint';
    // Its context is the event's TP_PROTO arguments (struct bpf_raw_tracepoint_args).
    case 'raw-tracepoint': return 'raw_tracepoint';
    // Its context is struct bpf_perf_event_data, whose first member is the interrupted pt_regs.
    case 'perf-sample': return 'perf_event';
    // Uprobe programs are kprobe programs: their context is the probed thread's pt_regs.
    case 'uprobe': return 'kprobe';
    default:
      return assertNever(source);
  }
}

export function attachSource(prog: BpfProgram, source: EventSource): Attachment {
  switch (source.kind) {
    case 'tracepoint': return attachTracepoint(prog, source.category, source.event);
    case 'raw-tracepoint': return attachRawTracepoint(prog, source.event);
    case 'perf-sample': return attachPerfSampling(prog, source.frequencyHz);
    case 'uprobe': return attachUprobe(prog, source.binary, source.offset, source.retprobe === true);
    default:
      return assertNever(source);
  }
}
