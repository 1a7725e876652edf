// count(*) and count(x): kernel columns always have a value, so both are the event count every
// map value already starts with; no state of its own.
import { S64 } from '../../catalog/types.js';
import type { KernelAggregate } from './aggregate.js';
import { noParams } from './aggregate.js';

export const countAggregate: KernelAggregate = {
  name: 'count',
  needsArg: false,
  paramNames: [],
  params: noParams,
  resultType: () => S64,
  stateBytes: () => 0,
  emitUpdate: () => [],
  finalize: (cpus) => cpus.reduce((n, c) => n + c.count, 0n),
};
