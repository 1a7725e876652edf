// Where the registers a probe's columns read sit in struct pt_regs, asked of BTF at plan time so
// that no offset is written into bpfql.
import type { Column } from '../catalog/column.js';
import type { RegOffsets } from './plan.js';
import type { PlannerEnv } from './planner.js';

/** `{ regOffsets }` for the columns that read registers, or nothing when none does. */
export function regOffsetsFor(columns: readonly Column[], env: PlannerEnv): { regOffsets?: RegOffsets } {
  const out: Record<string, number> = {};
  for (const c of columns) if (c.source.kind === 'ctx-reg') out[c.source.member] = env.memberOffset('pt_regs', c.source.member);
  return Object.keys(out).length > 0 ? { regOffsets: out } : {};
}
