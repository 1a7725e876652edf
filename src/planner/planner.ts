// The planner: binds a kernel query to its table, offers WHERE conjuncts and aggregates to the
// kernel, and writes the DuckDB SQL that finishes the job over what the kernel produces.
import type { Catalog } from '../catalog/catalog.js';
import type { Column } from '../catalog/column.js';
import { starColumns } from '../catalog/stack-columns.js';
import type { KernelTable } from '../catalog/table.js';
import type { ResultColumn, ValueType } from '../catalog/types.js';
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import type { Expr, SelectItem, SelectQuery } from '../query/ast.js';
import { printExpr } from '../query/print.js';
import type { AggregateParams } from '../functions/aggregate.js';
import { resultType } from '../functions/aggregate.js';
import { isAggregateCall } from '../functions/names.js';
import { aggregateFunction, isKernelAggregate } from '../functions/registry.js';
import { exprSlots } from './expr-cost.js';
import { DATA_STACK_BYTES, EXPRESSION_SLOTS } from './program-limits.js';
import { checkAggregateParams, paramsOf } from './aggregate-params.js';
import { children, columnRefs, exprKey, mapChildren, someExpr } from './expr-walk.js';
import type { KExpr } from './kexpr.js';
import { columnsOf } from './kexpr.js';
import { align8, stringCapacity, widened } from './layout.js';
import type { AggregateSlot, KernelField, KernelPlan, Plan, TaskOffsets } from './plan.js';
import { DEFAULT_MAX_PAIRS, KERNEL_TABLE } from './plan.js';
import { conjuncts, logical, Pushdown } from './pushdown.js';
import { Scope } from './scope.js';
import { unqualified } from './qualifiers.js';
import { TypeChecker } from './typecheck.js';
import { checkDecodedConstants, decodeForDuckDB, decodedKernelValue, decodedKey, decodedStar, tableConditions } from './decoded-columns.js';
import { quoteIdent, residualSelect } from './residual.js';
import { regOffsetsFor } from './reg-offsets.js';
import { offsetFor } from './offsets.js';
import { resolveTableFunction } from './table-functions.js';
import { writeOutShorthands } from './shorthands.js';
import { checkStringBounds } from './string-bounds.js';

export interface PlannerEnv {
  /**
   * Byte offset of a struct member, from BTF; asked only for columns that read task_struct or
   * registers. Throws OffsetUnavailableError when the kernel cannot say (those columns are then unavailable).
   */
  memberOffset(struct: string, member: string): number;
}

export interface PlanOptions {
  /** Offer WHERE conjuncts to the kernel (default true). */
  readonly kernelFilter?: boolean;
  /** Aggregate in the kernel when possible (default true); false streams raw rows to DuckDB. */
  readonly kernelAggregation?: boolean;
  /** Keys of an aggregation map, and pairs a paired table's pairing map holds (--max-keys). */
  readonly maxEntries?: number;
  readonly ringBytes?: number;
  /** Only events of this cgroup v2 (a traced command's), filtered in the kernel whatever the query says. */
  readonly cgroupId?: bigint;
}

export const DEFAULT_MAX_ENTRIES = 65536;
/** Bytes of one CPU's value the kernel accepts in a per-CPU map (PCPU_MIN_UNIT_SIZE). */
export const MAX_PERCPU_VALUE = 32768;
/** Bytes per CPU an aggregation map may take unless told otherwise: large states get fewer keys. */
export const MAP_BYTES_PER_CPU = 8 * 1024 * 1024;

/** Keys an aggregation map holds by default: DEFAULT_MAX_ENTRIES, or fewer when values are large. */
export function defaultMaxEntries(valueSize: number): number {
  return Math.min(DEFAULT_MAX_ENTRIES, Math.floor(MAP_BYTES_PER_CPU / align8(valueSize)));
}
export const DEFAULT_RING_BYTES = 8 * 1024 * 1024;

type ColumnRef = Extract<Expr, { kind: 'column' }>;

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

function isAggregate(e: Expr): e is Extract<Expr, { kind: 'call' }> {
  return e.kind === 'call' && isAggregateCall(e.name);
}

function itemName(item: Extract<SelectItem, { kind: 'expr' }>): string {
  if (item.alias) return item.alias;
  if (item.expr.kind === 'column') return item.expr.name.toLowerCase();
  return printExpr(item.expr);
}

export function planQuery(query: SelectQuery, catalog: Catalog, env: PlannerEnv, opts: PlanOptions = {}): Plan {
  const table = resolveTable(query, catalog);
  const q = writeOutShorthands(unqualified(query), table);
  const scope = new Scope(table);
  const aliases = q.items.flatMap((i) => (i.kind === 'expr' && i.alias ? [i.alias] : []));

  // Bind every column reference; aliases of the SELECT list may be named in GROUP BY, HAVING and ORDER BY.
  const bind = (e: Expr, allowAliases: boolean): void => {
    for (const ref of columnRefs(e)) scope.column(ref, allowAliases ? aliases : []);
  };
  for (const i of q.items) if (i.kind === 'expr') bind(i.expr, false);
  if (q.where) bind(q.where, false);
  q.groupBy.forEach((g) => bind(g, true));
  if (q.having) bind(q.having, true);
  q.orderBy.forEach((o) => bind(o.expr, true));

  if (q.where) {
    const agg = findAggregate(q.where);
    if (agg) throw new QueryError([diagnostic('aggregate-in-where', { name: agg.name }, agg.span)]);
  }
  for (const i of q.items) if (i.kind === 'expr') checkNesting(i.expr, false);
  checkDecodedConstants(q, scope);
  checkStringBounds(q, scope);
  checkAggregateParams(q);
  const aliased = new Map(q.items.flatMap((i) => (i.kind === 'expr' && i.alias ? [[i.alias.toLowerCase(), i.expr] as const] : [])));
  const columnsFirst = new TypeChecker(scope, aliased);
  for (const e of [...q.items.flatMap((i) => (i.kind === 'expr' ? [i.expr] : [])), ...(q.where ? [q.where] : []), ...q.groupBy]) columnsFirst.check(e);
  const aliasesFirst = new TypeChecker(scope, aliased, true);
  for (const e of [...(q.having ? [q.having] : []), ...q.orderBy.map((o) => o.expr)]) aliasesFirst.check(e);

  // GROUP BY may name a SELECT alias: use the aliased expression.
  const groupBy = q.groupBy.map((g) => {
    if (g.kind === 'column' && !scope.find(g.name)) {
      const item = q.items.find((i) => i.kind === 'expr' && i.alias?.toLowerCase() === g.name.toLowerCase());
      if (item && item.kind === 'expr') return item.expr;
    }
    return g;
  });
  const hasAggregates = q.items.some((i) => i.kind === 'expr' && findAggregate(i.expr)) || (q.having !== undefined && findAggregate(q.having) !== undefined);
  const grouped = groupBy.length > 0 || hasAggregates;
  if (grouped) {
    for (const i of q.items) {
      if (i.kind === 'star') throw new QueryError([diagnostic('not-grouped', { name: '*' }, i.span)]);
      checkGrouped(i.expr, groupBy);
    }
    if (q.having) checkGrouped(q.having, groupBy, aliases);
  }

  const pushdown = new Pushdown(scope);
  const pushed: KExpr[] = [];
  const refused: Expr[] = [];
  let filterSlots = 0;
  for (const c of q.where ? conjuncts(q.where) : []) {
    const offer = opts.kernelFilter === false ? undefined : pushdown.offer(c);
    // Jumps span the whole program, so its expressions share one budget; DuckDB filters the rest.
    const slots = offer?.ok ? exprSlots(offer.expr) : 0;
    if (offer?.ok && filterSlots + slots <= EXPRESSION_SLOTS) {
      pushed.push(offer.expr);
      filterSlots += slots;
    } else {
      refused.push(c);
    }
  }
  if (opts.cgroupId !== undefined) {
    const column = scope.find('cgroup_id');
    if (column) pushed.unshift({ kind: 'compare', op: '=', left: { kind: 'column', column, signed: false }, right: { kind: 'const', value: opts.cgroupId, signed: false }, signed: false });
  }
  pushed.unshift(...tableConditions(table));
  const combined = pushed.reduce<KExpr | undefined>((acc, e) => (acc ? logical('AND', acc, e) : e), undefined);
  // A filter that folded to TRUE filters nothing.
  const filter = combined?.kind === 'const' && combined.value !== 0n ? undefined : combined;

  const common = { table, scope, pushdown, filter, groupBy, env, opts, q };
  const aggregated = grouped && refused.length === 0 && opts.kernelAggregation !== false ? planAggregate(common) : undefined;
  const plan = aggregated ?? planStream(common, refused);
  return { ...plan, residualFilters: refused.map(printExpr), ...(q.for ? { durationMs: q.for.ms } : {}), ...(q.every ? { everyMs: q.every.ms } : {}) };
}

interface Common {
  readonly table: KernelTable;
  readonly scope: Scope;
  readonly pushdown: Pushdown;
  readonly filter: KExpr | undefined;
  readonly groupBy: readonly Expr[];
  readonly env: PlannerEnv;
  readonly opts: PlanOptions;
  readonly q: SelectQuery;
}

function findAggregate(e: Expr): Extract<Expr, { kind: 'call' }> | undefined {
  if (isAggregate(e)) return e;
  for (const c of children(e)) {
    const found = findAggregate(c);
    if (found) return found;
  }
  return undefined;
}

function checkNesting(e: Expr, inside: boolean): void {
  if (isAggregate(e)) {
    if (inside) throw new QueryError([diagnostic('nested-aggregate', { name: e.name }, e.span)]);
    e.args.forEach((a) => checkNesting(a, true));
    return;
  }
  children(e).forEach((c) => checkNesting(c, inside));
}

function checkGrouped(e: Expr, groupBy: readonly Expr[], aliases: readonly string[] = []): void {
  if (groupBy.some((g) => exprKey(g) === exprKey(e)) || isAggregate(e)) return;
  if (e.kind === 'column') {
    if (aliases.some((a) => a.toLowerCase() === e.name.toLowerCase())) return;
    throw new QueryError([diagnostic('not-grouped', { name: e.name }, e.span)]);
  }
  children(e).forEach((c) => checkGrouped(c, groupBy, aliases));
}

function taskOffsetsFor(columns: readonly Column[], env: PlannerEnv, q: SelectQuery): TaskOffsets | undefined {
  const out: Record<string, readonly number[]> = {};
  for (const c of columns) {
    const source = c.source;
    if (source.kind === 'task') out[source.path.join('.')] = offsetFor(c, q, () => source.path.map((m) => env.memberOffset('task_struct', m)));
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A value the kernel writes into a key or record: an integer expression or a string column. */
function kernelValue(e: Expr, c: Common): { expr: KExpr; type: ValueType; width: number } | undefined {
  const decoded = decodedKernelValue(e, c.scope);
  if (decoded) return decoded;
  if (e.kind === 'column') {
    const col = c.scope.find(e.name);
    if (col && (col.type.kind === 'string' || col.type.kind === 'bytes')) return { expr: { kind: 'column', column: col, signed: false }, type: col.type, width: stringCapacity(col) };
    if (col && col.type.kind === 'timestamp') return undefined;
  }
  const offer = c.pushdown.offer(e);
  if (!offer.ok) return undefined;
  const declared: ValueType = offer.expr.kind === 'column' ? offer.expr.column.type : { kind: 'int', bits: 64, signed: offer.expr.signed };
  return { expr: offer.expr, type: widened(offer.expr, declared), width: 8 };
}

function layoutFields(values: readonly { name: string; expr: KExpr; type: ValueType; width: number }[]): { fields: KernelField[]; size: number } {
  let offset = 0;
  const fields = values.map((v) => {
    const f: KernelField = { name: v.name, expr: v.expr, type: v.type, offset, width: v.width };
    offset += align8(v.width);
    return f;
  });
  return { fields, size: offset };
}

function planAggregate(c: Common): Omit<Plan, 'residualFilters'> | undefined {
  const keyValues = [];
  for (const [i, g] of c.groupBy.entries()) {
    const v = kernelValue(g, c);
    if (!v) return undefined;
    keyValues.push({ name: `k${i}`, ...v });
  }
  const calls: Extract<Expr, { kind: 'call' }>[] = [];
  const collect = (e: Expr): void => {
    if (isAggregate(e)) {
      if (!calls.some((x) => exprKey(x) === exprKey(e))) calls.push(e);
      return;
    }
    children(e).forEach(collect);
  };
  for (const i of c.q.items) if (i.kind === 'expr') collect(i.expr);
  if (c.q.having) collect(c.q.having);
  c.q.orderBy.forEach((o) => collect(o.expr));

  const slots: AggregateSlot[] = [];
  const argKeys = new Map<string, string>();
  let valueSize = 8; // every value starts with the event count
  for (const [j, call] of calls.entries()) {
    const name = call.name.toLowerCase();
    if (!isKernelAggregate(name) || call.distinct) return undefined;
    const agg = aggregateFunction(name);
    let arg: KExpr | undefined;
    let params: AggregateParams = { kind: 'none' };
    if (agg.needsArg) {
      params = paramsOf(call, name);
      const offer = c.pushdown.offer(call.args[0]!);
      if (!offer.ok) return undefined;
      arg = offer.expr;
    } else if (!call.star) {
      if (call.args.length !== 1) throw new QueryError([diagnostic('wrong-arity', { name, expected: '1 or *', found: call.args.length }, call.span)]);
      // count(x) counts the events where x is not NULL: the event count itself when x always has
      // a value, else a counter of its own, added the kernel's 0/1 test of x to.
      const present = c.pushdown.offer({ kind: 'is-null', operand: call.args[0]!, negated: true, span: call.span });
      if (!present.ok) return undefined;
      if (!(present.expr.kind === 'const' && present.expr.value !== 0n)) {
        arg = present.expr;
        params = { kind: 'non-null' };
      }
    }
    const signed = arg?.signed ?? true;
    // Aggregates of one state family over the same argument (p50(x), p99(x)) share one state.
    const argKey = call.args[0] ? exprKey(call.args[0]) : '';
    const owner = agg.stateFamily === undefined ? undefined : slots.find((s) => s.stateOf === undefined && aggregateFunction(s.fn).stateFamily === agg.stateFamily && argKeys.get(s.name) === argKey);
    const slot: AggregateSlot = { name: `a${j}`, fn: name, ...(arg ? { arg } : {}), params, offset: owner?.offset ?? valueSize, ...(owner ? { stateOf: owner.name } : {}), resultType: resultType(agg, signed) };
    slots.push(slot);
    argKeys.set(slot.name, argKey);
    if (!owner) valueSize += agg.stateBytes(signed, params);
  }
  // The kernel refuses larger per-CPU values; DuckDB computes such queries instead.
  if (valueSize > MAX_PERCPU_VALUE) return undefined;
  const { fields: keys, size: keySize } = layoutFields(keyValues);
  const kernelExprs = [...(c.filter ? [c.filter] : []), ...keys.map((k) => k.expr), ...slots.flatMap((s) => (s.arg ? [s.arg] : []))];
  if (kernelExprs.reduce((n, e) => n + exprSlots(e), 0) > EXPRESSION_SLOTS) return undefined;
  const readColumns: Column[] = [];
  if (c.filter) columnsOf(c.filter, readColumns);
  keys.forEach((k) => columnsOf(k.expr, readColumns));
  slots.forEach((s) => s.arg && columnsOf(s.arg, readColumns));
  // The key is built on the stack beside the string buffers it copies from; when they would not
  // fit, DuckDB aggregates instead.
  const strings = readColumns.reduce((n, col) => n + (col.type.kind === 'string' || col.type.kind === 'bytes' ? stringCapacity(col) : 0), 0);
  if (keySize + strings + 8 * slots.length > DATA_STACK_BYTES) return undefined;
  const taskOffsets = taskOffsetsFor(readColumns, c.env, c.q);
  const kernel: KernelPlan = {
    source: c.table.source,
    ...(c.filter ? { filter: c.filter } : {}),
    mode: { kind: 'aggregate', keys, keySize: Math.max(keySize, 8), aggregates: slots, valueSize, maxEntries: c.opts.maxEntries ?? defaultMaxEntries(valueSize) },
    ...(taskOffsets ? { taskOffsets } : {}),
    ...regOffsetsFor(readColumns, c.env, c.q),
    ...(c.table.pairing ? { pairing: { ...c.table.pairing, maxEntries: c.opts.maxEntries ?? DEFAULT_MAX_PAIRS } } : {}),
    columns: readColumns,
  };
  const kernelColumns: ResultColumn[] = [...keys.map((k) => ({ name: k.name, type: k.type })), ...slots.map((s) => ({ name: s.name, type: s.resultType }))];

  // Residual: the SELECT list, HAVING and ORDER BY over the kernel's k*/a* columns.
  const rewrite = (e: Expr): Expr => {
    const key = c.groupBy.findIndex((g) => exprKey(g) === exprKey(e));
    if (key >= 0) return decodedKey(c.groupBy[key]!, { kind: 'column', name: `k${key}`, span: e.span }, c.scope);
    if (isAggregate(e)) return { kind: 'column', name: `a${calls.findIndex((x) => exprKey(x) === exprKey(e))}`, span: e.span };
    return mapChildren(e, rewrite);
  };
  const sql = (e: Expr): string => printExpr(rewrite(e));
  const items = c.q.items.map((i) => (i.kind === 'expr' ? `${sql(i.expr)} AS ${quoteIdent(itemName(i))}` : '*'));
  const residualSql = residualSelect({
    items,
    where: c.q.having ? [sql(c.q.having)] : [],
    groupBy: [],
    orderBy: c.q.orderBy.map((o) => `${sql(o.expr)}${o.descending ? ' DESC' : ''}`),
    ...(c.q.limit ? { limit: c.q.limit.value } : {}),
  });
  return { table: c.table.name, kernel, kernelColumns, residualSql, ...(c.q.limit ? { limit: c.q.limit.value } : {}) };
}

function planStream(c: Common, refused: readonly Expr[]): Omit<Plan, 'residualFilters'> {
  const q = c.q;
  const wanted: Column[] = [];
  const want = (col: Column | undefined): void => {
    if (col && !wanted.some((w) => w.name === col.name)) wanted.push(col);
  };
  const wantRefs = (e: Expr): void => columnRefs(e).forEach((r: ColumnRef) => want(c.scope.find(r.name)));
  if (q.items.some((i) => i.kind === 'star')) starColumns(c.table.columns).forEach(want);
  for (const i of q.items) if (i.kind === 'expr') wantRefs(i.expr);
  refused.forEach(wantRefs);
  c.groupBy.forEach(wantRefs);
  if (q.having) wantRefs(q.having);
  q.orderBy.forEach((o) => wantRefs(o.expr));
  if (wanted.length === 0) want(c.scope.find('cpu'));

  const values = wanted.map((col) => {
    const expr: KExpr = { kind: 'column', column: col, signed: col.type.kind === 'int' && col.type.signed };
    const width = col.type.kind === 'string' || col.type.kind === 'bytes' ? stringCapacity(col) : 8;
    return { name: col.name, expr, type: widened(expr, col.type), width };
  });
  const { fields, size } = layoutFields(values);
  const readColumns: Column[] = [];
  if (c.filter) columnsOf(c.filter, readColumns);
  wanted.forEach((w) => readColumns.some((r) => r.name === w.name) || readColumns.push(w));
  const taskOffsets = taskOffsetsFor(readColumns, c.env, c.q);
  const kernel: KernelPlan = {
    source: c.table.source,
    ...(c.filter ? { filter: c.filter } : {}),
    mode: { kind: 'stream', fields, recordSize: size, ringBytes: c.opts.ringBytes ?? DEFAULT_RING_BYTES },
    ...(taskOffsets ? { taskOffsets } : {}),
    ...regOffsetsFor(readColumns, c.env, c.q),
    ...(c.table.pairing ? { pairing: { ...c.table.pairing, maxEntries: c.opts.maxEntries ?? DEFAULT_MAX_PAIRS } } : {}),
    columns: readColumns,
  };
  const kernelColumns: ResultColumn[] = fields.map((f) => ({ name: f.name, type: f.type }));
  // Decoded columns reach DuckDB raw: it decodes them; GROUP BY, HAVING and ORDER BY may name aliases instead.
  const aliases = q.items.flatMap((i) => (i.kind === 'expr' && i.alias ? [i.alias] : []));
  const sql = (e: Expr, names: readonly string[] = []): string => printExpr(decodeForDuckDB(e, c.scope, names));
  const items = q.items.map((i) => (i.kind === 'expr' ? `${sql(i.expr)} AS ${quoteIdent(itemName(i))}` : decodedStar(wanted)));
  const residualSql = residualSelect({
    items,
    where: refused.map((e) => sql(e)),
    groupBy: q.groupBy.map((g) => sql(g, aliases)),
    ...(q.having ? { having: sql(q.having, aliases) } : {}),
    orderBy: q.orderBy.map((o) => `${sql(o.expr, aliases)}${o.descending ? ' DESC' : ''}`),
    ...(q.limit ? { limit: q.limit.value } : {}),
  });
  const grouped = q.groupBy.length > 0 || q.items.some((i) => i.kind === 'expr' && someExpr(i.expr, isAggregate));
  // A plain LIMIT stops the query once that many rows have passed every filter: only when the
  // kernel evaluates them all does it count such rows (DuckDB filters the rest after the run).
  const stopAfter = q.limit && !grouped && q.orderBy.length === 0 && refused.length === 0 ? { limit: q.limit.value } : {};
  return { table: c.table.name, kernel, kernelColumns, residualSql, ...stopAfter };
}

export { KERNEL_TABLE };
