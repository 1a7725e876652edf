// Per-CPU hash-map aggregation: per event, filter, build the packed GROUP BY key, then update
// the aggregates in place after a successful lookup, inserting only on a miss (cheaper than a
// full update per event). Each CPU has its own copy of a value, so no atomics are needed.
import { Helper, add, call, comment, exit, ja, jeq, label, ldMap, ldx, mov, st, stx } from '../bpf/index.js';
import type { Reg } from '../bpf/register.js';
import { R0, R1, R2, R3, R4, R6, R10 } from '../bpf/register.js';
import type { AggregateMode, KernelField, KernelPlan } from '../planner/plan.js';
import { columnsOf } from '../planner/kexpr.js';
import type { Column } from '../catalog/column.js';
import { KERNEL_AGGREGATES } from './aggregates/index.js';
import type { AggregateEmit } from './aggregates/aggregate.js';
import { Codegen, RegPool, SCRATCH_REGS } from './codegen.js';
import { ExprEmitter } from './expr.js';
import { emitCountStat } from './stats.js';
import { emitTakeEntry, pairValueSize } from './pairing.js';
import { Values } from './values.js';

export const AGG_MAP = 'agg';

export function emitAggregateProgram(plan: KernelPlan, mode: AggregateMode): Codegen {
  const g = new Codegen();
  g.emit(comment('r6 = context', mov.reg(R6, R1)));
  const entrySlot = plan.pairing ? g.frame.alloc(pairValueSize(plan.pairing), 'entry') : undefined;
  if (plan.pairing && entrySlot !== undefined) emitTakeEntry(g, plan.pairing, entrySlot, 'out');
  const values = new Values(g, plan, entrySlot);
  const expr = new ExprEmitter(g, values);
  if (plan.filter) {
    values.fetch(columnsOf(plan.filter));
    expr.jumpIfFalse(plan.filter, 'out', new RegPool(SCRATCH_REGS));
  }
  const rest: Column[] = [];
  mode.keys.forEach((k) => columnsOf(k.expr, rest));
  mode.aggregates.forEach((a) => a.arg && columnsOf(a.arg, rest));
  values.fetch(rest);

  const keySlot = g.frame.alloc(mode.keySize, 'key');
  for (let i = 0; i < mode.keySize; i += 8) g.emit(i === 0 ? comment('key: clear', st.dw(R10, keySlot, 0)) : st.dw(R10, keySlot + i, 0));
  for (const k of mode.keys) writeField(g, expr, values, k, R10, keySlot);

  const emits: { fn: AggregateMode['aggregates'][number]['fn']; e: AggregateEmit }[] = [];
  for (const a of mode.aggregates) {
    const argSlot = a.arg ? g.frame.alloc(8, a.name) : 0;
    if (a.arg) {
      expr.value(a.arg, R1, new RegPool(SCRATCH_REGS.filter((r) => r !== R1)));
      g.emit(comment(`${a.name}: argument`, stx.dw(R10, argSlot, R1)));
    }
    emits.push({ fn: a.fn, e: { id: a.name, offset: a.offset, argSlot, signed: a.arg?.signed ?? false } });
  }

  g.emit(
    comment('look the key up', ldMap(R1, AGG_MAP)),
    mov.reg(R2, R10),
    add.imm(R2, keySlot),
    call(Helper.mapLookupElem),
    jeq.imm(R0, 0, 'miss'),
    comment('hit: count += 1, update in place', ldx.dw(R1, R0, 0)),
  );
  const hasState = emits.some(({ fn }) => KERNEL_AGGREGATES[fn].stateBytes > 0);
  // Another CPU may have inserted the key: this CPU's slot is then all zeros and must be initialised.
  if (hasState) g.emit(jeq.imm(R1, 0, 'first_on_cpu'));
  g.emit(add.imm(R1, 1), stx.dw(R0, 0, R1));
  for (const { fn, e } of emits) g.emit(...KERNEL_AGGREGATES[fn].emitUpdate(e, R0));
  g.emit(ja('out'));
  if (hasState) {
    g.emit(label('first_on_cpu'), comment('first event of the key on this CPU', st.dw(R0, 0, 1)));
    for (const { fn, e } of emits) g.emit(...KERNEL_AGGREGATES[fn].emitInit(e, R0, 0));
    g.emit(ja('out'));
  }

  const valueSlot = g.frame.alloc(mode.valueSize, 'value');
  g.emit(label('miss'));
  g.emit(comment('miss: build the first value, count = 1', st.dw(R10, valueSlot, 1)));
  for (let i = 8; i < mode.valueSize; i += 8) g.emit(st.dw(R10, valueSlot + i, 0));
  for (const { fn, e } of emits) g.emit(...KERNEL_AGGREGATES[fn].emitInit(e, R10, valueSlot));
  g.emit(
    comment('insert (BPF_ANY: another CPU may have inserted the key; our slot is still ours)', ldMap(R1, AGG_MAP)),
    mov.reg(R2, R10),
    add.imm(R2, keySlot),
    mov.reg(R3, R10),
    add.imm(R3, valueSlot),
    mov.imm(R4, 0),
    call(Helper.mapUpdateElem),
    jeq.imm(R0, 0, 'out'),
  );
  emitCountStat(g, 'mapFull', g.frame.alloc(8, 'stats key'), 'out');
  g.emit(label('out'), mov.imm(R0, 0), exit());
  return g;
}

/** Writes one key or record field at `base + slot + field.offset`. */
export function writeField(g: Codegen, expr: ExprEmitter, values: Values, f: KernelField, base: Reg, slot: number): void {
  const at = slot + f.offset;
  // A stack column is a string in DuckDB but its 8-byte id here: it goes the integer way.
  if (f.type.kind === 'string' && f.expr.kind === 'column' && f.expr.column.source.kind !== 'stack') {
    const src = values.stringSlot(f.expr.column);
    for (let i = 0; i < f.width; i += 8) {
      const load = ldx.dw(R1, R10, src + i);
      g.emit(i === 0 ? comment(`${f.name} = ${f.expr.column.name}`, load) : load, stx.dw(base, at + i, R1));
    }
    return;
  }
  expr.value(f.expr, R1, new RegPool(SCRATCH_REGS.filter((r) => r !== R1 && r !== base)));
  g.emit(comment(`${f.name}`, stx.dw(base, at, R1)));
}
