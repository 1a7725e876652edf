// DuckDB's shorthands, written out before binding: `* EXCLUDE (a, b)` as the table's other
// columns, `GROUP BY ALL` as every SELECT item without an aggregate, and the ordinals of
// `GROUP BY 1` and `ORDER BY 2 DESC` as the SELECT items they number.
import { starColumns } from '../catalog/stack-columns.js';
import type { KernelTable } from '../catalog/table.js';
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import { closest } from '../diag/messages.js';
import type { Expr, SelectItem, SelectQuery } from '../query/ast.js';
import { isAggregateCall } from '../functions/names.js';
import { someExpr } from './expr-walk.js';

type Item = Extract<SelectItem, { kind: 'expr' }>;

function expandStar(item: SelectItem, table: KernelTable): SelectItem[] {
  if (item.kind !== 'star' || item.exclude === undefined) return [item];
  const names = starColumns(table.columns).map((c) => c.name);
  for (const x of item.exclude) {
    if (!names.includes(x.name.toLowerCase())) {
      throw new QueryError([diagnostic('unknown-column', { name: x.name, table: table.name, suggestions: closest(x.name, names) }, x.span)]);
    }
  }
  const excluded = new Set(item.exclude.map((x) => x.name.toLowerCase()));
  return names.filter((n) => !excluded.has(n)).map((name): Item => ({ kind: 'expr', expr: { kind: 'column', name, span: item.span }, span: item.span }));
}

/** The SELECT item an integer literal numbers (1-based), or the expression unchanged. */
function byOrdinal(e: Expr, items: readonly SelectItem[], clause: string, useAlias: boolean): Expr {
  if (e.kind !== 'literal' || e.value.type !== 'int') return e;
  const n = e.value.value;
  const item = n >= 1n && n <= BigInt(items.length) ? items[Number(n) - 1]! : undefined;
  if (item === undefined || item.kind === 'star') {
    throw new QueryError([diagnostic('bad-ordinal', { clause, position: String(n), items: items.length }, e.span)]);
  }
  // ORDER BY may sort by the item's name (its value, already computed); GROUP BY needs the expression.
  if (useAlias && item.alias !== undefined) return { kind: 'column', name: item.alias, span: e.span };
  return item.expr;
}

export function writeOutShorthands(q: SelectQuery, table: KernelTable): SelectQuery {
  const items = q.items.flatMap((i) => expandStar(i, table));
  let groupBy = q.groupBy.map((g) => byOrdinal(g, items, 'GROUP BY', false));
  if (q.groupByAll !== undefined) {
    if (items.some((i) => i.kind === 'star')) throw new QueryError([diagnostic('not-grouped', { name: '*' }, q.groupByAll)]);
    groupBy = items.flatMap((i) => (i.kind === 'expr' && !someExpr(i.expr, (x) => x.kind === 'call' && isAggregateCall(x.name)) ? [i.expr] : []));
  }
  const orderBy = q.orderBy.map((o) => ({ ...o, expr: byOrdinal(o.expr, items, 'ORDER BY', true) }));
  const { groupByAll: _all, ...rest } = q;
  return { ...rest, items, groupBy, orderBy };
}
