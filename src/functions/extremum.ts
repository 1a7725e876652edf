// min(x) and max(x): the first value initialises the state, later ones replace it when smaller
// (larger). Only CPUs that saw the key take part in the merge, since the others hold zeros.
import { comment, jge, jle, jsge, jsle, label, ldx, stx } from '../bpf/index.js';
import { R1, R2, R10 } from '../bpf/register.js';
import type { AggregateFunction } from './aggregate.js';
import { noParams } from './aggregate.js';
import { readU64 } from './cpu-states.js';

function extremum<K extends 'min' | 'max'>(kind: K): AggregateFunction<K> {
  return {
    name: kind,
    needsArg: true,
    // Any value DuckDB can order; the kernel sees only integers.
    argument: 'any',
    paramNames: [],
    params: noParams,
    result: 'argument',
    stateBytes: () => 8,
    // Zero is no neutral start for min or max: the first value is the state.
    emitFirst: (e, value) => [
      comment(`${kind}: first value`, ldx.dw(R1, R10, e.argSlot)),
      stx.dw(value, e.offset, R1),
    ],
    emitUpdate: (e, value) => {
      const keep = `${kind}_keep_${e.id}`;
      // Keep the current state when x is not smaller (min) or not larger (max).
      const skip = kind === 'min' ? (e.signed ? jsge : jge) : (e.signed ? jsle : jle);
      return [
        comment(`${kind}: replace when x is ${kind === 'min' ? 'smaller' : 'larger'}`, ldx.dw(R1, R10, e.argSlot)),
        ldx.dw(R2, value, e.offset),
        skip.reg(R1, R2, keep),
        stx.dw(value, e.offset, R1),
        label(keep),
      ];
    },
    finalize: (cpus, signed) => {
      let best: bigint | null = null;
      for (const c of cpus) {
        if (c.count === 0n) continue;
        const v = readU64(c.view, c.offset, signed);
        if (best === null || (kind === 'min' ? v < best : v > best)) best = v;
      }
      return best;
    },
  };
}

export const minAggregate = extremum('min');
export const maxAggregate = extremum('max');
