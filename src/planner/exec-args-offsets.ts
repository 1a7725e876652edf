// Where a program's arguments sit (current->mm->arg_start … arg_end), asked of BTF at plan time
// for the columns that read them.
import type { Column } from '../catalog/column.js';
import type { SelectQuery } from '../query/ast.js';
import type { PlannerEnv } from './offsets.js';
import { offsetFor } from './offsets.js';
import type { ExecArgsOffsets } from './plan.js';

/** `{ execArgsOffsets }` when a column reads the arguments, or nothing. */
export function execArgsOffsetsFor(columns: readonly Column[], env: PlannerEnv, q: SelectQuery): { execArgsOffsets?: ExecArgsOffsets } {
  const c = columns.find((x) => x.source.kind === 'exec-args');
  if (c === undefined) return {};
  return {
    execArgsOffsets: offsetFor(c, q, () => ({
      mm: env.memberOffset('task_struct', 'mm'),
      argStart: env.memberOffset('mm_struct', 'arg_start'),
      argEnd: env.memberOffset('mm_struct', 'arg_end'),
    })),
  };
}
