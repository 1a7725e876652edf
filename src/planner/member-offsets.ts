// Where the members that pointee columns read sit in the structs records point to (a socket's
// ports and addresses, a raw tracepoint's task_struct), asked of BTF at plan time and summed along each path.
import type { Column, MemberPath } from '../catalog/column.js';
import { memberPathKey } from '../catalog/column.js';
import type { SelectQuery } from '../query/ast.js';
import type { PlannerEnv } from './offsets.js';
import { offsetFor } from './offsets.js';
import type { MemberOffsets } from './plan.js';

function pathsOf(c: Column): readonly MemberPath[] {
  const s = c.source;
  if (s.kind === 'pointee') return [s.path];
  if (s.kind === 'pointee-string') return s.hops.filter((h) => h.length > 0);
  if (s.kind === 'switch-state') return [s.exitState];
  if (s.kind === 'address' && s.socket) return [s.socket.v4, s.socket.v6, ...(s.socket.family ? [s.socket.family] : [])];
  return [];
}

/** `{ memberOffsets }` for the columns that read through a record's pointer, or nothing when none does. */
export function memberOffsetsFor(columns: readonly Column[], env: PlannerEnv, q: SelectQuery): { memberOffsets?: MemberOffsets } {
  const out: Record<string, number> = {};
  for (const c of columns) {
    for (const path of pathsOf(c)) {
      out[memberPathKey(path)] = offsetFor(c, q, () => path.reduce((sum, [struct, member]) => sum + env.memberOffset(struct, member), 0));
    }
  }
  return Object.keys(out).length > 0 ? { memberOffsets: out } : {};
}
