// Streaming: per event, filter, then reserve a fixed-layout record in the ring buffer, fill it
// and submit it without waking the reader (user space drains on its own clock, which batches
// wake-ups). A failed reserve counts a lost record.
//
// With EVERY each record also carries the event's time (the same bpf_ktime_get_ns value as its
// `ts` column) after its fields, whether or not the query selects `ts`: user space puts each row
// in the window that time falls in.
import { Helper, call, comment, exit, ja, jeq, label, ldMap, mov, stx } from '../bpf/index.js';
import { R0, R1, R2, R3, R7 } from '../bpf/register.js';
import type { Column } from '../catalog/column.js';
import { COMMON_COLUMNS } from '../catalog/common-columns.js';
import { columnsOf } from '../planner/kexpr.js';
import type { KernelPlan, StreamMode } from '../planner/plan.js';
import { writeField } from './aggregate-program.js';
import type { Codegen } from './codegen.js';
import { emitCountStat } from './stats.js';
import { emitPreamble } from './preamble.js';

export const RING_MAP = 'events';
/** BPF_RB_NO_WAKEUP: the reader polls, so no wake-up per record. */
const RB_NO_WAKEUP = 1;

const TS = COMMON_COLUMNS.find((c) => c.name === 'ts')!;

/** EVERY: where in a record its event time (u64 nanoseconds of CLOCK_MONOTONIC) is. */
export function windowStampOffset(mode: StreamMode): number {
  return (mode.recordSize + 7) & ~7;
}

/** Bytes the program reserves per record. */
export function reservedRecordSize(mode: StreamMode, windowed: boolean): number {
  return windowed ? windowStampOffset(mode) + 8 : mode.recordSize;
}

export function emitStreamProgram(plan: KernelPlan, mode: StreamMode, windowed = false, gated = false): Codegen {
  const { g, values, expr } = emitPreamble(plan, gated);
  const rest: Column[] = [];
  mode.fields.forEach((f) => columnsOf(f.expr, rest));
  if (windowed) rest.push(TS);
  values.fetch(rest);
  g.emit(
    comment('reserve a record', ldMap(R1, RING_MAP)),
    mov.imm(R2, reservedRecordSize(mode, windowed)),
    mov.imm(R3, 0),
    call(Helper.ringbufReserve),
    jeq.imm(R0, 0, 'lost'),
    mov.reg(R7, R0),
  );
  for (const f of mode.fields) writeField(g, expr, values, f, R7, 0);
  if (windowed) {
    values.load(TS, R1);
    g.emit(comment('window stamp: the event time', stx.dw(R7, windowStampOffset(mode), R1)));
  }
  g.emit(
    comment('submit without waking the reader', mov.reg(R1, R7)),
    mov.imm(R2, RB_NO_WAKEUP),
    call(Helper.ringbufSubmit),
    ja('out'),
    label('lost'),
  );
  emitCountStat(g, 'ringLost', g.frame.alloc(8, 'stats key'), 'out');
  g.emit(label('out'), mov.imm(R0, 0), exit());
  return g;
}
