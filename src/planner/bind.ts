// Pass 1, bind: the query's table, its names and its shape. DuckDB's shorthands are written out
// and qualifiers dropped first; then every column reference is bound (SELECT aliases where SQL
// lets GROUP BY, HAVING and ORDER BY name them), types and constants are checked, and the query's
// grouping is settled. The passes after it read the BoundQuery, never the query as parsed.
import type { Catalog } from '../catalog/catalog.js';
import type { KernelTable } from '../catalog/table.js';
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import type { Expr, SelectQuery } from '../query/ast.js';
import { checkAggregateParams } from './aggregate-params.js';
import type { AggregateCall } from './aggregate-calls.js';
import { aggregateCalls, checkNesting, findAggregate, isAggregate } from './aggregate-calls.js';
import { checkDecodedConstants } from './decoded-columns.js';
import { children, columnRefs, exprKey } from './expr-walk.js';
import { unqualified } from './qualifiers.js';
import { Scope } from './scope.js';
import { writeOutShorthands } from './shorthands.js';
import { checkStringBounds } from './string-bounds.js';
import { resolveTableFunction } from './table-functions.js';
import { TypeChecker } from './typecheck.js';

/** Whether the query returns its rows or groups them. */
export type Grouping =
  | { readonly kind: 'rows' }
  | {
    readonly kind: 'grouped';
    /** GROUP BY's expressions, a SELECT alias replaced by the expression it names. */
    readonly keys: readonly Expr[];
    /** Each distinct aggregate call of the SELECT list, HAVING and ORDER BY, in order. */
    readonly aggregates: readonly AggregateCall[];
  };

export interface BoundQuery {
  readonly table: KernelTable;
  /** The query without qualifiers, its shorthands (`* EXCLUDE`, `GROUP BY ALL`, ordinals) written out. */
  readonly query: SelectQuery;
  /** The SELECT list's aliases, as written. */
  readonly aliases: readonly string[];
  readonly grouping: Grouping;
}

/** Binds the query to `table`, whatever its FROM names (the planner's choice of a cheaper form of it). */
export function bindTo(parsed: SelectQuery, table: KernelTable): BoundQuery {
  const query = writeOutShorthands(unqualified(parsed), table);
  const scope = new Scope(table);
  const aliases = query.items.flatMap((i) => (i.kind === 'expr' && i.alias ? [i.alias] : []));
  bindNames(query, scope, aliases);
  if (query.where) {
    const agg = findAggregate(query.where);
    if (agg) throw new QueryError([diagnostic('aggregate-in-where', { name: agg.name }, agg.span)]);
  }
  for (const i of query.items) if (i.kind === 'expr') checkNesting(i.expr);
  checkDecodedConstants(query, scope);
  checkStringBounds(query, scope);
  checkAggregateParams(query);
  checkTypes(query, scope);
  return { table, query, aliases, grouping: grouping(query, scope, aliases) };
}

/** The table FROM names; a QueryError when the catalog has none or this kernel cannot give it. */
export function resolveTable(q: SelectQuery, catalog: Catalog): KernelTable {
  const from = q.from;
  if (from.kind === 'table-function') return resolveTableFunction(from, catalog);
  const r = catalog.resolve(from.name);
  switch (r.kind) {
    case 'table': return r.table;
    case 'unavailable': throw new QueryError([diagnostic('table-unavailable', { name: r.name, reason: r.reason }, from.span)]);
    case 'unknown': throw new QueryError([diagnostic('unknown-table', { name: from.name, suggestions: catalog.suggest(from.name) }, from.span)]);
  }
}

/** Every column reference names a column, or an alias where SQL allows one; unknown-column otherwise. */
function bindNames(q: SelectQuery, scope: Scope, aliases: readonly string[]): void {
  const names = (e: Expr, allowAliases: boolean): void => {
    for (const ref of columnRefs(e)) scope.column(ref, allowAliases ? aliases : []);
  };
  for (const i of q.items) if (i.kind === 'expr') names(i.expr, false);
  if (q.where) names(q.where, false);
  q.groupBy.forEach((g) => names(g, true));
  if (q.having) names(q.having, true);
  q.orderBy.forEach((o) => names(o.expr, true));
}

/** The SELECT list, WHERE and GROUP BY see columns first; HAVING and ORDER BY see aliases first. */
function checkTypes(q: SelectQuery, scope: Scope): void {
  const aliased = new Map(q.items.flatMap((i) => (i.kind === 'expr' && i.alias ? [[i.alias.toLowerCase(), i.expr] as const] : [])));
  const columnsFirst = new TypeChecker(scope, aliased);
  for (const e of [...q.items.flatMap((i) => (i.kind === 'expr' ? [i.expr] : [])), ...(q.where ? [q.where] : []), ...q.groupBy]) columnsFirst.check(e);
  const aliasesFirst = new TypeChecker(scope, aliased, true);
  for (const e of [...(q.having ? [q.having] : []), ...q.orderBy.map((o) => o.expr)]) aliasesFirst.check(e);
}

/** GROUP BY may name a SELECT alias: the key is then the aliased expression. */
function groupKey(g: Expr, q: SelectQuery, scope: Scope): Expr {
  if (g.kind === 'column' && !scope.find(g.name)) {
    const item = q.items.find((i) => i.kind === 'expr' && i.alias?.toLowerCase() === g.name.toLowerCase());
    if (item && item.kind === 'expr') return item.expr;
  }
  return g;
}

/** A query groups when it has GROUP BY or an aggregate in its SELECT list or HAVING; then every other value must be a key. */
function grouping(q: SelectQuery, scope: Scope, aliases: readonly string[]): Grouping {
  const keys = q.groupBy.map((g) => groupKey(g, q, scope));
  const aggregates = q.items.some((i) => i.kind === 'expr' && findAggregate(i.expr)) || (q.having !== undefined && findAggregate(q.having) !== undefined);
  if (keys.length === 0 && !aggregates) return { kind: 'rows' };
  for (const i of q.items) {
    if (i.kind === 'star') throw new QueryError([diagnostic('not-grouped', { name: '*' }, i.span)]);
    checkGrouped(i.expr, keys);
  }
  if (q.having) checkGrouped(q.having, keys, aliases);
  return { kind: 'grouped', keys, aggregates: aggregateCalls(q) };
}

function checkGrouped(e: Expr, keys: readonly Expr[], aliases: readonly string[] = []): void {
  if (keys.some((g) => exprKey(g) === exprKey(e)) || isAggregate(e)) return;
  if (e.kind === 'column') {
    if (aliases.some((a) => a.toLowerCase() === e.name.toLowerCase())) return;
    throw new QueryError([diagnostic('not-grouped', { name: e.name }, e.span)]);
  }
  children(e).forEach((c) => checkGrouped(c, keys, aliases));
}
