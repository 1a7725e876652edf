// sum(x): a u64 per CPU, added to in place; two's complement makes it right for signed x too.
// Zero is the neutral start, so a key's first event needs nothing special.
import { add, comment, ldx, stx } from '../bpf/index.js';
import { R1, R2, R10 } from '../bpf/register.js';
import type { AggregateFunction } from './aggregate.js';
import { noParams } from './aggregate.js';
import { readU64 } from './cpu-states.js';

export const sumAggregate: AggregateFunction<'sum'> = {
  name: 'sum',
  needsArg: true,
  argument: 'number',
  paramNames: [],
  params: noParams,
  result: 'argument',
  stateBytes: () => 8,
  emitUpdate: (e, value) => [
    comment('sum += x', ldx.dw(R1, R10, e.argSlot)),
    ldx.dw(R2, value, e.offset),
    add.reg(R2, R1),
    stx.dw(value, e.offset, R2),
  ],
  finalize: (cpus, signed) => {
    const total = cpus.reduce((s, c) => s + readU64(c.view, c.offset, false), 0n);
    const wrapped = total & ((1n << 64n) - 1n);
    return signed && wrapped >= 1n << 63n ? wrapped - (1n << 64n) : wrapped;
  },
};
