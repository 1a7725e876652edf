// Whether a query's rows can be shown as they happen: each row of its result must come from one
// kernel row alone, so that the residual SQL run over each batch of kernel rows gives exactly the
// rows it gives over all of them, in the same order. Ordering, grouping, aggregates and EVERY
// windows need later rows; a LIMIT does not (the caller stops after that many).
import { isAggregateCall } from '../functions/names.js';
import type { SelectQuery } from '../query/ast.js';
import { someExpr } from './expr-walk.js';
import type { Plan } from './plan.js';

export function isStreamable(q: SelectQuery, plan: Plan): boolean {
  if (plan.kernel.mode.kind !== 'stream' || plan.everyMs !== undefined) return false;
  if (q.groupBy.length > 0 || q.groupByAll !== undefined || q.having !== undefined || q.orderBy.length > 0) return false;
  return !q.items.some((i) => i.kind === 'expr' && someExpr(i.expr, (e) => e.kind === 'call' && isAggregateCall(e.name)));
}
