// Pass 4, residual: the DuckDB part of a plan, a SELECT over the kernel's output table. After
// kernel aggregation it renames the k*/a* columns and applies HAVING, ORDER BY and LIMIT; over
// streamed rows it is the query itself, with the filters the kernel did not take, decoded columns
// decoded.
import type { Expr, SelectItem } from '../query/ast.js';
import { printExpr } from '../query/print.js';
import { quoteIdent } from '../query/quote.js';
import { isAggregate } from './aggregate-calls.js';
import { decodedKey, decodedStar, decodeForDuckDB } from './decoded-columns.js';
import { containerIdPrefixes, isCgroupKey, mergedAggregate } from './cgroup-filters.js';
import { duckdbType } from '../catalog/types.js';
import { resultType } from '../functions/aggregate.js';
import { aggregateFunction } from '../functions/registry.js';
import { exprKey, mapChildren } from './expr-walk.js';
import { KERNEL_TABLE, type Projected } from './plan.js';
import { Scope } from './scope.js';
import type { SplitQuery } from './split.js';

interface ResidualParts {
  readonly items: readonly string[];
  readonly where: readonly string[];
  readonly groupBy: readonly string[];
  readonly having?: string;
  readonly orderBy: readonly string[];
  readonly limit?: number;
}

function residualSelect(p: ResidualParts): string {
  const parts = [`SELECT ${p.items.join(', ')}`, `FROM ${KERNEL_TABLE}`];
  if (p.where.length > 0) parts.push(`WHERE ${p.where.map((w) => (p.where.length > 1 ? `(${w})` : w)).join(' AND ')}`);
  if (p.groupBy.length > 0) parts.push(`GROUP BY ${p.groupBy.join(', ')}`);
  if (p.having) parts.push(`HAVING ${p.having}`);
  if (p.orderBy.length > 0) parts.push(`ORDER BY ${p.orderBy.join(', ')}`);
  if (p.limit !== undefined) parts.push(`LIMIT ${p.limit}`);
  return parts.join(' ');
}

/** The name DuckDB gives a SELECT item: its alias, a column's own name, else the expression's text. */
export function itemName(item: Extract<SelectItem, { kind: 'expr' }>): string {
  if (item.alias) return item.alias;
  if (item.expr.kind === 'column') return item.expr.name.toLowerCase();
  return printExpr(item.expr);
}

export function residual(s: SplitQuery): string {
  const { bound, work } = s;
  const q = bound.query;
  const scope = new Scope(bound.table);
  const limit = q.limit ? { limit: q.limit.value } : {};
  switch (work.kind) {
    case 'aggregate': {
      const { rewrite, merged } = overAggregates(s, work);
      const sql = (e: Expr): string => printExpr(rewrite(e));
      const having = q.having ? sql(q.having) : undefined;
      return residualSelect({
        items: q.items.map((i) => (i.kind === 'expr' ? `${sql(i.expr)} AS ${quoteIdent(itemName(i))}` : '*')),
        where: having !== undefined && !merged ? [having] : [],
        groupBy: merged ? work.keys.map((k) => quoteIdent(k.name)) : [],
        ...(having !== undefined && merged ? { having } : {}),
        orderBy: q.orderBy.map((o) => `${sql(o.expr)}${o.descending ? ' DESC' : ''}`),
        ...limit,
      });
    }
    case 'stream': {
      // Decoded columns reach DuckDB raw: it decodes them; GROUP BY, HAVING and ORDER BY may name aliases instead.
      const sql = (e: Expr, names: readonly string[] = []): string => printExpr(containerIdPrefixes(decodeForDuckDB(e, scope, names), scope, names));
      return residualSelect({
        items: q.items.map((i) => (i.kind === 'expr' ? `${sql(i.expr)} AS ${quoteIdent(itemName(i))}` : decodedStar(work.columns))),
        where: s.kept.map((k) => sql(k.expr)),
        groupBy: q.groupBy.map((g) => sql(g, bound.aliases)),
        ...(q.having ? { having: sql(q.having, bound.aliases) } : {}),
        orderBy: q.orderBy.map((o) => `${sql(o.expr, bound.aliases)}${o.descending ? ' DESC' : ''}`),
        ...limit,
      });
    }
  }
}

type AggregateWork = Extract<SplitQuery['work'], { kind: 'aggregate' }>;

/**
 * The query's expressions over the kernel's key and aggregate columns. Grouped by a cgroup text
 * column, the kernel's groups are per cgroup: DuckDB merges those that share the text (`merged`).
 */
function overAggregates(s: SplitQuery, work: AggregateWork): { readonly rewrite: (e: Expr) => Expr; readonly merged: boolean } {
  const scope = new Scope(s.bound.table);
  const merged = work.keys.some(isCgroupKey);
  const rewrite = (e: Expr): Expr => {
    const key = work.keys.find((k) => exprKey(k.of) === exprKey(e));
    if (key) return decodedKey(key.of, { kind: 'column', name: key.name, span: e.span }, scope);
    const aggregate = isAggregate(e) ? work.aggregates.find((a) => exprKey(a.call) === exprKey(e)) : undefined;
    if (aggregate) {
      const column: Expr = { kind: 'column', name: aggregate.name, span: e.span };
      return merged ? mergedAggregate(aggregate.fn, column, duckdbType(resultType(aggregateFunction(aggregate.fn), aggregate.arg?.signed ?? true))) : column;
    }
    return mapChildren(e, rewrite);
  };
  return { rewrite, merged };
}

/**
 * When the residual only renames kernel columns (each item a key or an aggregate as the kernel
 * made it, no HAVING, ORDER BY or LIMIT), the columns it takes and the names it gives them, in
 * order: a runtime can then build the result without DuckDB (engine/direct-result.ts). Otherwise
 * undefined.
 */
export function plainProjection(s: SplitQuery): readonly Projected[] | undefined {
  const { bound, work } = s;
  const q = bound.query;
  if (work.kind !== 'aggregate' || q.having || q.orderBy.length > 0 || q.limit) return undefined;
  const { rewrite, merged } = overAggregates(s, work);
  if (merged) return undefined;
  const out: Projected[] = [];
  for (const item of q.items) {
    if (item.kind !== 'expr') return undefined;
    const e = rewrite(item.expr);
    if (e.kind !== 'column') return undefined;
    out.push({ column: e.name, name: itemName(item) });
  }
  return out;
}
