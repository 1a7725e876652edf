// The per-CPU counters every program keeps about what it could not record, so that each result
// says how complete it is.
import { Helper, add, call, comment, jeq, ldMap, ldx, mov, st, stx } from '../bpf/index.js';
import { R0, R1, R2, R10 } from '../bpf/register.js';
import type { Codegen } from './codegen.js';

export const STATS_MAP = 'stats';

/** Index of each counter in the stats value (u64 each). */
/**
 * lostPairs: entries of a paired table the pairing map had no room for. lostStacks: stacks
 * bpf_get_stackid could not store (their hash bucket held another stack, or the map was full).
 */
export const Stat = { mapFull: 0, ringLost: 1, lostPairs: 2, lostStacks: 3 } as const;
export type StatName = keyof typeof Stat;
export const STAT_COUNT = 4;

/** Adds one to a counter; clobbers R0–R5. `after` is where to continue. */
export function emitCountStat(g: Codegen, stat: StatName, keySlot: number, after: string): void {
  g.emit(
    comment(`count ${stat}`, st.w(R10, keySlot, 0)),
    ldMap(R1, STATS_MAP),
    mov.reg(R2, R10),
    add.imm(R2, keySlot),
    call(Helper.mapLookupElem),
    jeq.imm(R0, 0, after),
    ldx.dw(R1, R0, Stat[stat] * 8),
    add.imm(R1, 1),
    stx.dw(R0, Stat[stat] * 8, R1),
  );
}
