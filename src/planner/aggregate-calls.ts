// Aggregate calls in a query's expressions: finding them, refusing them where SQL forbids them,
// and listing each distinct one once (the kernel computes `count(*)` once however often it is named).
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import { isAggregateCall } from '../functions/names.js';
import type { Expr, SelectQuery } from '../query/ast.js';
import { children, exprKey } from './expr-walk.js';

export type AggregateCall = Extract<Expr, { kind: 'call' }>;

export function isAggregate(e: Expr): e is AggregateCall {
  return e.kind === 'call' && isAggregateCall(e.name);
}

/** The first aggregate call in `e`, outermost first. */
export function findAggregate(e: Expr): AggregateCall | undefined {
  if (isAggregate(e)) return e;
  for (const c of children(e)) {
    const found = findAggregate(c);
    if (found) return found;
  }
  return undefined;
}

/** An aggregate inside another one's argument is an error at the inner call. */
export function checkNesting(e: Expr, inside = false): void {
  if (isAggregate(e)) {
    if (inside) throw new QueryError([diagnostic('nested-aggregate', { name: e.name }, e.span)]);
    e.args.forEach((a) => checkNesting(a, true));
    return;
  }
  children(e).forEach((c) => checkNesting(c, inside));
}

/** Each distinct aggregate call of the SELECT list, HAVING and ORDER BY, in order of first appearance. */
export function aggregateCalls(q: SelectQuery): AggregateCall[] {
  const calls: AggregateCall[] = [];
  const collect = (e: Expr): void => {
    if (isAggregate(e)) {
      if (!calls.some((x) => exprKey(x) === exprKey(e))) calls.push(e);
      return;
    }
    children(e).forEach(collect);
  };
  for (const i of q.items) if (i.kind === 'expr') collect(i.expr);
  if (q.having) collect(q.having);
  q.orderBy.forEach((o) => collect(o.expr));
  return calls;
}
