// Where each aggregate's state sits in the per-CPU map value: after the u64 event count every
// value starts with, one after another; but aggregates of one state family over the same
// argument (p50(x), p99(x)) read the state of the first of them instead of keeping their own.
import type { AggregateParams } from '../functions/aggregate.js';
import { resultType } from '../functions/aggregate.js';
import type { AggregateName } from '../functions/registry.js';
import { aggregateFunction } from '../functions/registry.js';
import type { KExpr } from './kexpr.js';
import type { AggregateSlot } from './plan.js';

/** An aggregate the kernel computes, before its state has a place. */
export interface KernelAggregate {
  readonly name: string;
  readonly fn: AggregateName;
  readonly arg?: KExpr;
  readonly params: AggregateParams;
  /** The argument as written (its exprKey, '' for none): equal keys may share a state. */
  readonly argKey: string;
}

/** The aggregates' slots, and the bytes of the map value they take with the event count. */
export function layoutStates(aggregates: readonly KernelAggregate[]): { slots: AggregateSlot[]; valueSize: number } {
  const slots: AggregateSlot[] = [];
  let valueSize = 8;
  for (const a of aggregates) {
    const fn = aggregateFunction(a.fn);
    const signed = a.arg?.signed ?? true;
    const owner = fn.stateFamily === undefined
      ? undefined
      : slots.find((s, j) => s.stateOf === undefined && aggregateFunction(s.fn).stateFamily === fn.stateFamily && aggregates[j]!.argKey === a.argKey);
    slots.push({
      name: a.name, fn: a.fn, ...(a.arg ? { arg: a.arg } : {}), params: a.params,
      offset: owner?.offset ?? valueSize, ...(owner ? { stateOf: owner.name } : {}), resultType: resultType(fn, signed),
    });
    if (!owner) valueSize += fn.stateBytes(signed, a.params);
  }
  return { slots, valueSize };
}
