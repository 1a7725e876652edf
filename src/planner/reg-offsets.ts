// Where the registers a probe's columns read sit in struct pt_regs, asked of BTF at plan time so
// that no offset is written into bpfql.
import type { Column } from '../catalog/column.js';
import type { RegOffsets } from './plan.js';
import type { SelectQuery } from '../query/ast.js';
import type { PlannerEnv } from './offsets.js';
import { offsetFor } from './offsets.js';

/** `{ regOffsets }` for the columns that read registers, or nothing when none does. */
export function regOffsetsFor(columns: readonly Column[], env: PlannerEnv, q: SelectQuery): { regOffsets?: RegOffsets } {
  const out: Record<string, number> = {};
  for (const c of columns) {
    const source = c.source;
    if (source.kind === 'ctx-reg' || source.kind === 'reg-user-string') out[source.member] = offsetFor(c, q, () => env.memberOffset('pt_regs', source.member));
  }
  return Object.keys(out).length > 0 ? { regOffsets: out } : {};
}
