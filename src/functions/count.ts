// count(*) and count(x). When x always has a value (every column but those that may be NULL, and
// every expression the kernel evaluates) both are the event count every map value already starts
// with, and need no state. count(x) of an x that may be NULL (a stack column: a kernel thread has
// no user stack) keeps a counter of its own; its argument is the planner's 0/1 test that x is not
// NULL, added to the counter on every event, so the count is the events where x has a value.
import { add, comment, ldx, stx } from '../bpf/index.js';
import { R1, R2, R10 } from '../bpf/register.js';
import type { AggregateFunction } from './aggregate.js';
import { noParams } from './aggregate.js';
import { mergeCounters } from './cpu-states.js';

export const countAggregate: AggregateFunction<'count'> = {
  name: 'count',
  needsArg: false,
  argument: 'any',
  paramNames: [],
  params: noParams,
  result: 'bigint',
  stateBytes: (_signed, params) => (params.kind === 'non-null' ? 8 : 0),
  emitUpdate: (e, value) => (e.params.kind === 'non-null'
    ? [
      comment('count += (x is not NULL)', ldx.dw(R1, R10, e.argSlot)),
      ldx.dw(R2, value, e.offset),
      add.reg(R2, R1),
      stx.dw(value, e.offset, R2),
    ]
    : []),
  finalize: (cpus, _signed, params) => (params.kind === 'non-null' ? mergeCounters(cpus, 1)[0]! : cpus.reduce((n, c) => n + c.count, 0n)),
};
