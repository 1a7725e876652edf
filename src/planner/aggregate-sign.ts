// Whether an aggregate of a planned query can give a negative value. `bpfql serve` asks it of
// sum(x): a sum that only grows is a Prometheus counter, one that can fall is not.
import type { SelectQuery } from '../query/ast.js';
import type { AggregateCall } from './aggregate-calls.js';
import { aggregateCalls } from './aggregate-calls.js';
import { exprKey } from './expr-walk.js';
import type { Plan } from './plan.js';
import { aggregateSlotName } from './split.js';

/**
 * False only when the plan shows the value cannot be negative: the kernel computes it as an
 * unsigned integer (its argument is unsigned), or DuckDB does from an unsigned column. An
 * expression DuckDB computes is not looked into, and counts as possibly negative.
 */
export function aggregateCanBeNegative(q: SelectQuery, plan: Plan, call: AggregateCall): boolean {
  const mode = plan.kernel.mode;
  if (mode.kind === 'aggregate') {
    const j = aggregateCalls(q).findIndex((c) => exprKey(c) === exprKey(call));
    const slot = mode.aggregates.find((s) => s.name === aggregateSlotName(j));
    if (slot !== undefined) return !(slot.resultType.kind === 'int' && !slot.resultType.signed);
  }
  const arg = call.args[0];
  const column = arg?.kind === 'column' ? plan.kernel.columns.find((c) => c.name === arg.name) : undefined;
  return !(column?.type.kind === 'int' && !column.type.signed);
}
