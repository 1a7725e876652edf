// The planner: a list of passes, each a function of the one before's output (as a compiler's
// pass manager runs them). bind settles names, aliases, types and grouping; split decides what
// the kernel runs and what DuckDB keeps; lower lays the kernel's part out as a KernelPlan;
// residual writes the DuckDB SQL that finishes the job over what the kernel produces.
import type { Catalog } from '../catalog/catalog.js';
import type { SelectQuery } from '../query/ast.js';
import { printExpr } from '../query/print.js';
import { bindTo, resolveTable } from './bind.js';
import { onEntryAlone } from './entry-only.js';
import type { LowerOptions } from './lower.js';
import { lower } from './lower.js';
import type { PlannerEnv } from './offsets.js';
import type { Plan } from './plan.js';
import { plainProjection, residual } from './residual.js';
import type { SplitOptions } from './split.js';
import { split } from './split.js';
import { withTypedFields } from './typed-fields.js';

export type PlanOptions = SplitOptions & LowerOptions;

export function planQuery(query: SelectQuery, catalog: Catalog, env: PlannerEnv, opts: PlanOptions = {}): Plan {
  const typed = withTypedFields(query, resolveTable(query, catalog), env);
  const bound = onEntryAlone(bindTo(typed.query, typed.table));
  const placed = split(bound, opts);
  const { kernel, kernelColumns, limit } = lower(placed, env, opts);
  const residualSql = residual(placed);
  const projection = plainProjection(placed);
  const q = bound.query;
  return {
    table: bound.table.name, kernel, kernelColumns, residualSql, ...(limit !== undefined ? { limit } : {}),
    ...(projection !== undefined ? { projection } : {}),
    residualFilters: placed.kept.map((k) => printExpr(k.expr)),
    ...(q.for ? { durationMs: q.for.ms } : {}),
    ...(q.every ? { everyMs: q.every.ms } : {}),
  };
}
