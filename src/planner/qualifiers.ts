// A query names one table, so `open.ret` is `ret`. The kernel binds names without their
// qualifier; DuckDB, reading the kernel's rows from a table of another name, would not find
// `open`. So qualifiers go before planning, and `open.ret` and `ret` are one expression.
import type { Expr, SelectQuery } from '../query/ast.js';
import { mapChildren } from './expr-walk.js';

function unqualifiedExpr(e: Expr): Expr {
  if (e.kind === 'column') return e.qualifier === undefined ? e : { kind: 'column', name: e.name, span: e.span };
  return mapChildren(e, unqualifiedExpr);
}

export function unqualified(q: SelectQuery): SelectQuery {
  return {
    ...q,
    items: q.items.map((i) => (i.kind === 'expr' ? { ...i, expr: unqualifiedExpr(i.expr) } : i)),
    ...(q.where ? { where: unqualifiedExpr(q.where) } : {}),
    groupBy: q.groupBy.map(unqualifiedExpr),
    ...(q.having ? { having: unqualifiedExpr(q.having) } : {}),
    orderBy: q.orderBy.map((o) => ({ ...o, expr: unqualifiedExpr(o.expr) })),
  };
}
