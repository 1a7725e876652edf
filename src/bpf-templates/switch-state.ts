// sched_switch's prev_state on the raw tracepoint, computed as the classic tracepoint's record
// computes it (__trace_sched_switch_state and __task_state_index in the kernel's sched headers), so
// that both hooks give the same value: TASK_REPORT_MAX when the switch is a preemption; else the
// state and exit_state bits that /proc reports, TASK_REPORT_IDLE for an idle kernel thread,
// uninterruptible for a frozen task or one waiting on an RT lock; of those, the highest bit.
import type { Item } from '../bpf/index.js';
import { Helper, add, and, call, comment, jeq, jne, ja, label, ldx, mov, or, st, stx } from '../bpf/index.js';
import { R0, R1, R2, R3, R4, R6, R10 } from '../bpf/register.js';

const TASK_UNINTERRUPTIBLE = 0x2;
/** Bits of a task's state and exit_state /proc reports (R S D T t X Z P). */
const TASK_REPORT = 0x7f;
const TASK_REPORT_IDLE = 0x80;
const TASK_REPORT_MAX = 0x100;
/** TASK_UNINTERRUPTIBLE | TASK_NOLOAD. */
const TASK_IDLE = 0x402;
/** TASK_RTLOCK_WAIT | TASK_FROZEN. */
const SHOWN_UNINTERRUPTIBLE = 0x1000 | 0x8000;

export interface SwitchStateArgs {
  /** Context offsets of the raw tracepoint's bool preempt, unsigned int prev_state and task_struct *prev. */
  readonly preempt: number;
  readonly state: number;
  readonly task: number;
  /** Offset of exit_state in task_struct. */
  readonly exitState: number;
}

/** The reported state into the 8-byte stack slot `slot`; `p` prefixes the labels. */
export function emitSwitchState(a: SwitchStateArgs, slot: number, p: string): Item[] {
  const out: Item[] = [
    comment('prev_state: TASK_REPORT_MAX when preempted', ldx.b(R1, R6, a.preempt)),
    mov.imm(R0, TASK_REPORT_MAX),
    jne.imm(R1, 0, `${p}_store`),
    comment('the task\'s exit_state', st.dw(R10, slot, 0)),
    mov.reg(R1, R10), add.imm(R1, slot), mov.imm(R2, 4),
    ldx.dw(R3, R6, a.task), add.imm(R3, a.exitState),
    call(Helper.probeReadKernel),
    ldx.w(R2, R10, slot),
    ldx.w(R1, R6, a.state),
    comment('(state | exit_state) & TASK_REPORT', mov.reg(R3, R1)),
    or.reg(R3, R2),
    and.imm(R3, TASK_REPORT),
    mov.reg(R4, R1), and.imm(R4, TASK_IDLE),
    jne.imm(R4, TASK_IDLE, `${p}_not_idle`),
    mov.imm(R3, TASK_REPORT_IDLE),
    label(`${p}_not_idle`),
    mov.reg(R4, R1), and.imm(R4, SHOWN_UNINTERRUPTIBLE),
    jeq.imm(R4, 0, `${p}_bits`),
    mov.imm(R3, TASK_UNINTERRUPTIBLE),
    label(`${p}_bits`),
  ];
  // 1 << (fls(state) - 1), 0 for 0: the highest bit set.
  for (let bit = TASK_REPORT_IDLE; bit >= 1; bit >>= 1) {
    out.push(mov.imm(R0, bit), mov.reg(R4, R3), and.imm(R4, bit), jne.imm(R4, 0, `${p}_store`));
  }
  out.push(mov.imm(R0, 0), ja(`${p}_store`), label(`${p}_store`), stx.dw(R10, slot, R0));
  return out;
}
