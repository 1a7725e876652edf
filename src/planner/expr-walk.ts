// Small exhaustive helpers over AST expressions: children, structural keys and rewriting.
import type { Expr, SelectQuery } from '../query/ast.js';

/** Every expression of a query, in clause order: SELECT list, WHERE, GROUP BY, HAVING, ORDER BY. */
export function queryExprs(q: SelectQuery): Expr[] {
  return [
    ...q.items.flatMap((i) => (i.kind === 'expr' ? [i.expr] : [])),
    ...(q.where ? [q.where] : []),
    ...q.groupBy,
    ...(q.having ? [q.having] : []),
    ...q.orderBy.map((o) => o.expr),
  ];
}

export function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'column': case 'literal': return [];
    case 'unary': return [e.operand];
    case 'binary': return [e.left, e.right];
    case 'in': return [e.operand, ...e.list];
    case 'between': return [e.operand, e.low, e.high];
    case 'is-null': return [e.operand];
    case 'like': return [e.operand, e.pattern];
    case 'call': return [...e.args];
    case 'cast': return [e.operand];
    case 'case': return [...(e.operand ? [e.operand] : []), ...e.whens.flatMap((w) => [w.when, w.then]), ...(e.otherwise ? [e.otherwise] : [])];
  }
}

/** Rebuilds `e` with each child replaced by `f(child)`. */
export function mapChildren(e: Expr, f: (x: Expr) => Expr): Expr {
  switch (e.kind) {
    case 'column': case 'literal': return e;
    case 'unary': return { ...e, operand: f(e.operand) };
    case 'binary': return { ...e, left: f(e.left), right: f(e.right) };
    case 'in': return { ...e, operand: f(e.operand), list: e.list.map(f) };
    case 'between': return { ...e, operand: f(e.operand), low: f(e.low), high: f(e.high) };
    case 'is-null': return { ...e, operand: f(e.operand) };
    case 'like': return { ...e, operand: f(e.operand), pattern: f(e.pattern) };
    case 'call': return { ...e, args: e.args.map(f) };
    case 'cast': return { ...e, operand: f(e.operand) };
    case 'case': {
      const out: Expr = { ...e, whens: e.whens.map((w) => ({ when: f(w.when), then: f(w.then) })) };
      return { ...out, ...(e.operand ? { operand: f(e.operand) } : {}), ...(e.otherwise ? { otherwise: f(e.otherwise) } : {}) };
    }
  }
}

/** A key equal for structurally equal expressions, whatever their spans and identifier case. */
export function exprKey(e: Expr): string {
  return JSON.stringify(e, (k, v: unknown) => {
    if (k === 'span') return undefined;
    if (typeof v === 'bigint') return `${v}n`;
    return v;
  }).toLowerCase();
}

export function someExpr(e: Expr, pred: (x: Expr) => boolean): boolean {
  return pred(e) || children(e).some((c) => someExpr(c, pred));
}

export function columnRefs(e: Expr, out: Extract<Expr, { kind: 'column' }>[] = []): Extract<Expr, { kind: 'column' }>[] {
  if (e.kind === 'column') out.push(e);
  for (const c of children(e)) columnRefs(c, out);
  return out;
}
