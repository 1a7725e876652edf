// A bound on how deep an expression tree may be. Long operator chains (`a OR b OR …`) parse
// without recursion but build a tree as deep as the chain is long, and every later stage walks
// trees recursively; past this depth a query is refused with a diagnostic, not a stack overflow.
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import type { Expr, SelectQuery, Statement } from './ast.js';

export const MAX_EXPRESSION_DEPTH = 256;

function operands(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'column': case 'literal': return [];
    case 'unary': case 'is-null': case 'cast': return [e.operand];
    case 'binary': return [e.left, e.right];
    case 'in': return [e.operand, ...e.list];
    case 'between': return [e.operand, e.low, e.high];
    case 'like': return [e.operand, e.pattern];
    case 'call': return e.args;
    case 'case': return [...(e.operand ? [e.operand] : []), ...e.whens.flatMap((w) => [w.when, w.then]), ...(e.otherwise ? [e.otherwise] : [])];
  }
}

/** Throws when `root` is deeper than the limit, pointing at `root`. Iterative, so any depth is safe to check. */
export function checkExpressionDepth(root: Expr): void {
  const stack: { e: Expr; depth: number }[] = [{ e: root, depth: 1 }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    if (top.depth > MAX_EXPRESSION_DEPTH) {
      throw new QueryError([diagnostic('unsupported', { feature: `an expression more than ${MAX_EXPRESSION_DEPTH} operators deep` }, root.span)]);
    }
    for (const c of operands(top.e)) stack.push({ e: c, depth: top.depth + 1 });
  }
}

function queryExprs(q: SelectQuery): Expr[] {
  return [
    ...q.items.flatMap((i) => (i.kind === 'expr' ? [i.expr] : [])),
    ...(q.from.kind === 'table-function' ? q.from.args : []),
    ...(q.where ? [q.where] : []),
    ...q.groupBy,
    ...(q.having ? [q.having] : []),
    ...q.orderBy.map((o) => o.expr),
  ];
}

export function checkStatementDepth(s: Statement): void {
  switch (s.kind) {
    case 'query': case 'explain': case 'create-table-as': case 'insert-into':
      queryExprs(s.query).forEach(checkExpressionDepth);
      return;
    case 'describe':
      if (s.table.kind === 'table-function') s.table.args.forEach(checkExpressionDepth);
      return;
    case 'show-tables': case 'describe-struct':
      return;
  }
}
