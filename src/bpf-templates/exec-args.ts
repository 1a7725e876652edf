// A program's arguments, written straight into a ring-buffer record (ARGV_BYTES of them take
// more room than the 512-byte stack has): current->mm->arg_start … arg_end is where the kernel
// copied the new program's argv, NUL after each, by the time sched_process_exec fires. The
// record gets the arguments' whole length (8 bytes), then at most ARGV_BYTES of them; user space
// splits them (see runtime/exec-args-text.ts) and sees from the length whether they were cut.
import { Helper, add, call, comment, jeq, jle, jslt, label, ldx, mov, st, stx, sub } from '../bpf/index.js';
import type { Reg } from '../bpf/register.js';
import { R0, R1, R2, R3, R10 } from '../bpf/register.js';
import { ARGV_BYTES } from '../catalog/column.js';
import type { ExecArgsOffsets } from '../planner/plan.js';
import type { Codegen } from './codegen.js';

/** Reads the 8 bytes at kernel address R3 into the stack slot. */
function readKernelWord(g: Codegen, slot: number, what: string): void {
  g.emit(st.dw(R10, slot, 0), mov.reg(R1, R10), add.imm(R1, slot), mov.imm(R2, 8), comment(what, call(Helper.probeReadKernel)));
}

/** Writes the arguments at base+at (`base` must survive helper calls: R6–R9). */
export function emitExecArgs(g: Codegen, offsets: ExecArgsOffsets, base: Reg, at: number, name: string): void {
  const mm = g.frame.alloc(8, `${name}: mm`);
  const start = g.frame.alloc(8, `${name}: arg_start`);
  const end = g.frame.alloc(8, `${name}: arg_end`);
  const l = g.fresh(name);
  g.emit(comment(`${name}: no arguments until they are read`, st.dw(base, at, 0)), call(Helper.getCurrentTask), mov.reg(R3, R0), add.imm(R3, offsets.mm));
  readKernelWord(g, mm, '->mm');
  g.emit(ldx.dw(R3, R10, mm), jeq.imm(R3, 0, `${l}_done`), add.imm(R3, offsets.argStart));
  readKernelWord(g, start, '->arg_start');
  g.emit(ldx.dw(R3, R10, mm), add.imm(R3, offsets.argEnd));
  readKernelWord(g, end, '->arg_end');
  g.emit(
    ldx.dw(R2, R10, end), ldx.dw(R1, R10, start), sub.reg(R2, R1),
    comment('at most ARGV_BYTES of them', jle.imm(R2, ARGV_BYTES, `${l}_fits`)),
    mov.imm(R2, ARGV_BYTES),
    label(`${l}_fits`),
    mov.reg(R1, base), add.imm(R1, at + 8),
    ldx.dw(R3, R10, start),
    comment(`${name}: the argument strings`, call(Helper.probeReadUser)),
    // Unreadable: no arguments (the length stays 0) rather than zeros shown as empty ones.
    jslt.imm(R0, 0, `${l}_done`),
    comment('their whole length, to show where they were cut', ldx.dw(R2, R10, end)), ldx.dw(R1, R10, start), sub.reg(R2, R1),
    stx.dw(base, at, R2),
    label(`${l}_done`),
  );
}
