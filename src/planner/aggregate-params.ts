// The constant arguments of aggregates (lhist's lo, hi and step, quantile's q): number literals,
// checked when the query is planned, whichever side computes the aggregate, with diagnostics
// pointing at the argument at fault.
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import type { AggregateParams, ParamLiteral } from '../functions/aggregate.js';
import type { AggregateName } from '../functions/registry.js';
import { aggregateFunction, isKernelAggregate } from '../functions/registry.js';
import type { Expr, SelectQuery } from '../query/ast.js';
import { children } from './expr-walk.js';

type Call = Extract<Expr, { kind: 'call' }>;

/** A number literal, possibly negated. */
function literalOf(e: Expr): ParamLiteral | undefined {
  if (e.kind === 'literal') {
    const v = e.value;
    if (v.type === 'int') return { kind: 'int', value: v.value };
    if (v.type === 'float') return { kind: 'float', value: v.value };
    return undefined;
  }
  if (e.kind === 'unary' && e.op === '-') {
    const inner = literalOf(e.operand);
    if (inner?.kind === 'int') return { kind: 'int', value: -inner.value };
    if (inner?.kind === 'float') return { kind: 'float', value: -inner.value };
  }
  return undefined;
}

/**
 * The params of a call to a kernel aggregate taking an argument: checks that it has the argument
 * and one literal per constant, and that the aggregate accepts their values.
 */
export function paramsOf(call: Call, name: AggregateName): AggregateParams {
  const agg = aggregateFunction(name);
  const names = agg.paramNames;
  const expected = 1 + names.length;
  if (call.star || call.args.length !== expected) {
    throw new QueryError([diagnostic('wrong-arity', { name, expected: String(expected), found: call.args.length }, call.span)]);
  }
  const literals: ParamLiteral[] = [];
  for (const [i, paramName] of names.entries()) {
    const arg = call.args[i + 1]!;
    const lit = literalOf(arg);
    if (!lit) throw new QueryError([diagnostic('bad-argument', { name, reason: `${paramName} must be a number literal` }, arg.span)]);
    literals.push(lit);
  }
  const params = agg.params(literals);
  if (params.kind === 'problem') {
    throw new QueryError([diagnostic('bad-argument', { name, reason: params.reason }, call.args[params.index + 1]!.span)]);
  }
  return params;
}

/** Checks the constants of every aggregate the kernel knows that takes them, anywhere in `e`. */
function checkIn(e: Expr): void {
  if (e.kind === 'call') {
    const name = e.name.toLowerCase();
    if (isKernelAggregate(name) && aggregateFunction(name).paramNames.length > 0) paramsOf(e, name);
  }
  children(e).forEach(checkIn);
}

/** Checks aggregate constants in the SELECT list, HAVING and ORDER BY, so both plan modes refuse the same mistakes. */
export function checkAggregateParams(q: SelectQuery): void {
  for (const i of q.items) if (i.kind === 'expr') checkIn(i.expr);
  if (q.having) checkIn(q.having);
  q.orderBy.forEach((o) => checkIn(o.expr));
}
