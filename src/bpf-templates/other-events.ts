// A table over several events (KernelTable.also) runs one program per event. Each is the query's
// program with every column read where that event keeps it: the same names and types, so keys,
// aggregate states and records are laid out alike and the programs share the maps.
import type { Column } from '../catalog/column.js';
import type { OtherEvent } from '../catalog/table.js';
import { describeSource } from '../catalog/table.js';
import type { KExpr } from '../planner/kexpr.js';
import { mapColumns } from '../planner/kexpr.js';
import { isBufferColumn, stringCapacity } from '../planner/layout.js';
import type { KernelField, KernelPlan } from '../planner/plan.js';

/** The plan as it runs on `event`. */
export function planAtEvent(plan: KernelPlan, event: OtherEvent): KernelPlan {
  const byName = new Map(event.columns.map((c) => [c.name, c]));
  const column = (c: Column): Column => {
    const o = byName.get(c.name);
    // The catalog checked that every event has every column: a miss is a bpfql bug.
    if (!o) throw new Error(`${describeSource(event.source)} has no column ${c.name}`);
    // Records and keys are laid out once for all events: a string must take the same room in each.
    if (isBufferColumn(c) && stringCapacity(o) !== stringCapacity(c)) throw new Error(`${c.name} takes ${stringCapacity(o)} bytes on ${describeSource(event.source)}, ${stringCapacity(c)} elsewhere`);
    return o;
  };
  const expr = (e: KExpr): KExpr => mapColumns(e, column);
  const field = (f: KernelField): KernelField => ({ ...f, expr: expr(f.expr) });
  const mode = plan.mode.kind === 'aggregate'
    ? { ...plan.mode, keys: plan.mode.keys.map(field), aggregates: plan.mode.aggregates.map((a) => (a.arg ? { ...a, arg: expr(a.arg) } : a)) }
    : { ...plan.mode, fields: plan.mode.fields.map(field) };
  return {
    ...plan,
    source: event.source,
    ...(plan.filter ? { filter: expr(plan.filter) } : {}),
    mode,
    columns: plan.columns.map(column),
  };
}
