// The record conditions of a paired table's events (FieldCondition): which records open, update
// or close a pair. Checked first, on the record alone, so that other records cost a few loads.
import { comment, ja, jeq, label, ldx } from '../bpf/index.js';
import { R1, R6 } from '../bpf/register.js';
import type { FieldCondition } from '../catalog/table.js';
import type { Codegen } from './codegen.js';

const LOAD = { 1: 'b', 2: 'h', 4: 'w', 8: 'dw' } as const;

/** Jumps to `out` unless every condition holds for the record in R6. */
export function emitConditions(g: Codegen, conditions: readonly FieldCondition[], out: string): void {
  for (const c of conditions) {
    const met = g.fresh('condition_met');
    // Loaded without sign extension: the values are compared as the field's own bits.
    const mask = c.field.size === 8 ? undefined : (1n << BigInt(8 * c.field.size)) - 1n;
    g.emit(comment(`record field at ${c.field.offset} is one of ${c.values.join(', ')}`, ldx[LOAD[c.field.size]](R1, R6, c.field.offset)));
    for (const v of c.values) {
      const bits = mask === undefined ? v : v & mask;
      // An immediate is 32 bits, sign-extended: larger values need a register compare, not needed yet.
      if (bits < 0n || bits > 0x7fffffffn) throw new Error(`condition value ${v} does not fit an immediate`);
      g.emit(jeq.imm(R1, Number(bits), met));
    }
    g.emit(ja(out), label(met));
  }
}
