// What every program does first: keep the context in R6, take a paired table's entry, and run
// the kernel filter, jumping to `out` for events that fail it. What it sets up (the values
// fetched so far, the expression emitter) is what the rest of the program builds on.
import { comment, mov } from '../bpf/index.js';
import { R1, R6 } from '../bpf/register.js';
import { columnsOf } from '../planner/kexpr.js';
import type { KernelPlan } from '../planner/plan.js';
import { Codegen, RegPool } from './codegen.js';
import { SCRATCH_REGS } from '../planner/program-limits.js';
import { ExprEmitter } from './expr.js';
import { emitTakeEntry } from './pairing.js';
import { emitGateCheck } from './gate.js';
import { pairLayout } from './pair-layout.js';
import type { EntryCopy } from './values.js';
import { Values } from './values.js';

export interface Preamble {
  readonly g: Codegen;
  readonly values: Values;
  readonly expr: ExprEmitter;
}

/** `gated`: the program waits for its gate (see gate.ts) before anything else. */
export function emitPreamble(plan: KernelPlan, gated = false): Preamble {
  const g = new Codegen();
  g.emit(comment('r6 = context', mov.reg(R6, R1)));
  if (gated) emitGateCheck(g, 'out');
  let entry: EntryCopy | undefined;
  if (plan.pairing) {
    const layout = pairLayout(plan.pairing, plan.columns);
    entry = { slot: g.frame.alloc(layout.size, 'entry'), layout };
    emitTakeEntry(g, plan.pairing, layout, entry.slot, 'out');
  }
  const values = new Values(g, plan, entry);
  const expr = new ExprEmitter(g, values);
  if (plan.filter) {
    values.fetch(columnsOf(plan.filter));
    expr.jumpIfFalse(plan.filter, 'out', new RegPool(SCRATCH_REGS));
  }
  return { g, values, expr };
}
