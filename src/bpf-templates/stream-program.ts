// Streaming: per event, filter, then reserve a fixed-layout record in the ring buffer, fill it
// and submit it without waking the reader (user space drains on its own clock, which batches
// wake-ups). A failed reserve counts a lost record.
import { Helper, call, comment, exit, ja, jeq, label, ldMap, mov } from '../bpf/index.js';
import { R0, R1, R2, R3, R7 } from '../bpf/register.js';
import type { Column } from '../catalog/column.js';
import { columnsOf } from '../planner/kexpr.js';
import type { KernelPlan, StreamMode } from '../planner/plan.js';
import { writeField } from './aggregate-program.js';
import type { Codegen } from './codegen.js';
import { emitCountStat } from './stats.js';
import { emitPreamble } from './preamble.js';

export const RING_MAP = 'events';
/** BPF_RB_NO_WAKEUP: the reader polls, so no wake-up per record. */
const RB_NO_WAKEUP = 1;

export function emitStreamProgram(plan: KernelPlan, mode: StreamMode): Codegen {
  const { g, values, expr } = emitPreamble(plan);
  const rest: Column[] = [];
  mode.fields.forEach((f) => columnsOf(f.expr, rest));
  values.fetch(rest);
  g.emit(
    comment('reserve a record', ldMap(R1, RING_MAP)),
    mov.imm(R2, mode.recordSize),
    mov.imm(R3, 0),
    call(Helper.ringbufReserve),
    jeq.imm(R0, 0, 'lost'),
    mov.reg(R7, R0),
  );
  for (const f of mode.fields) writeField(g, expr, values, f, R7, 0);
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
