// min(x) and max(x): the first value initialises the state, later ones replace it when smaller
// (larger). Only CPUs that saw the key take part in the merge, since the others hold zeros.
import { comment, jge, jle, jsge, jsle, label, ldx, stx } from '../../bpf/index.js';
import { R1, R2, R10 } from '../../bpf/register.js';
import { S64, U64 } from '../../catalog/types.js';
import type { KernelAggregate } from './aggregate.js';
import { noParams, readU64 } from './aggregate.js';

function extremum(kind: 'min' | 'max'): KernelAggregate {
  return {
    name: kind,
    needsArg: true,
    paramNames: [],
    params: noParams,
    resultType: (signed) => (signed ? S64 : U64),
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
