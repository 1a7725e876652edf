// Pass 2, split: what the kernel runs and what DuckDB keeps. Each WHERE conjunct is offered to
// the kernel (pushdown.ts) and kept for DuckDB with the reason when refused; a grouped query is
// aggregated in the kernel when its keys, aggregates and their states all fit a kernel program,
// else the kernel streams the rows DuckDB groups, and the split says why.
import type { Column } from '../catalog/column.js';
import { starColumns } from '../catalog/stack-columns.js';
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import type { AggregateParams } from '../functions/aggregate.js';
import { aggregateFunction, isKernelAggregate } from '../functions/registry.js';
import type { Expr } from '../query/ast.js';
import { printExpr } from '../query/print.js';
import type { AggregateCall } from './aggregate-calls.js';
import { paramsOf } from './aggregate-params.js';
import type { KernelAggregate } from './aggregate-states.js';
import { layoutStates } from './aggregate-states.js';
import type { BoundQuery, Grouping } from './bind.js';
import { decodedKernelValue, tableConditions } from './decoded-columns.js';
import { type CgroupTree, cgroupSetMap, cgroupSetTest, commandCgroupTest, isCgroupKey, isMergeable } from './cgroup-filters.js';
import { exprSlots } from './expr-cost.js';
import { columnRefs, exprKey } from './expr-walk.js';
import type { KExpr } from './kexpr.js';
import { columnsOf } from './kexpr.js';
import type { FieldValue } from './layout.js';
import { layoutFields, stringCapacity, widened } from './layout.js';
import { MAX_PERCPU_VALUE } from './map-limits.js';
import { DATA_STACK_BYTES, EXPRESSION_SLOTS } from './program-limits.js';
import { conjuncts, logical, Pushdown } from './pushdown.js';
import { Scope } from './scope.js';

export interface SplitOptions {
  /** Offer WHERE conjuncts to the kernel (default true). */
  readonly kernelFilter?: boolean;
  /** Aggregate in the kernel when possible (default true); false streams raw rows to DuckDB. */
  readonly kernelAggregation?: boolean;
  /** Only events of this cgroup v2 (`bpfql watch --cgroup`), filtered in the kernel whatever the query says. */
  readonly cgroupId?: bigint;
  /**
   * Only events of this cgroup v2 and the cgroups below it, those made while the query runs too
   * (a traced command's, and the containers it starts), filtered in the kernel whatever the query says.
   */
  readonly cgroupTree?: CgroupTree;
}

/** A WHERE conjunct DuckDB evaluates, and why the kernel does not. */
export interface KeptFilter {
  readonly expr: Expr;
  readonly reason: string;
}

/** A group key the kernel writes, and the GROUP BY expression it is the value of. */
export interface KernelKey extends FieldValue {
  readonly of: Expr;
}

/** The kernel's name for the state of the query's `j`th distinct aggregate call (aggregateCalls' order). */
export function aggregateSlotName(j: number): string {
  return `a${j}`;
}

/** An aggregate the kernel computes, and the call it computes. */
export interface KernelAggregateCall extends KernelAggregate {
  readonly call: AggregateCall;
}

export type KernelWork =
  | { readonly kind: 'aggregate'; readonly keys: readonly KernelKey[]; readonly aggregates: readonly KernelAggregateCall[] }
  | {
    readonly kind: 'stream';
    /** The columns DuckDB reads, in the order the records carry them. */
    readonly columns: readonly Column[];
    /** For a grouped query: why DuckDB aggregates the rows and not the kernel. */
    readonly reason?: string;
  };

export interface SplitQuery {
  readonly bound: BoundQuery;
  /** Every condition the kernel evaluates, AND-ed: the table's own, the cgroup's, and the WHERE conjuncts it took. */
  readonly filter?: KExpr;
  readonly kept: readonly KeptFilter[];
  readonly work: KernelWork;
}

export function split(bound: BoundQuery, opts: SplitOptions = {}): SplitQuery {
  const scope = new Scope(bound.table);
  const pushdown = new Pushdown(scope);
  const { filter, kept } = splitWhere(bound, scope, pushdown, opts);
  const grouping = bound.grouping;
  const aggregated = grouping.kind === 'grouped' ? aggregateInKernel(grouping, filter, kept, scope, pushdown, opts) : undefined;
  const work: KernelWork = aggregated?.kind === 'aggregate'
    ? aggregated
    : { kind: 'stream', columns: streamedColumns(bound, kept, scope), ...(aggregated ? { reason: aggregated.reason } : {}) };
  return { bound, ...(filter ? { filter } : {}), kept, work };
}

function splitWhere(bound: BoundQuery, scope: Scope, pushdown: Pushdown, opts: SplitOptions): { filter: KExpr | undefined; kept: KeptFilter[] } {
  const pushed: KExpr[] = [];
  const kept: KeptFilter[] = [];
  // Jumps span the whole program, so its expressions share one budget; DuckDB filters the rest.
  let slots = 0;
  let sets = 0;
  for (const c of bound.query.where ? conjuncts(bound.query.where) : []) {
    if (opts.kernelFilter === false) {
      kept.push({ expr: c, reason: 'filtering in the kernel is off' });
      continue;
    }
    const set = cgroupSetTest(c, scope, cgroupSetMap(sets));
    if (set && slots + exprSlots(set) <= EXPRESSION_SLOTS) {
      pushed.push(set);
      slots += exprSlots(set);
      sets++;
      continue;
    }
    const offer = pushdown.offer(c);
    if (!offer.ok) {
      kept.push({ expr: c, reason: offer.reason });
      continue;
    }
    const n = exprSlots(offer.expr);
    if (slots + n > EXPRESSION_SLOTS) {
      kept.push({ expr: c, reason: 'the kernel program has no room left for it' });
      continue;
    }
    pushed.push(offer.expr);
    slots += n;
  }
  const only = commandCgroupTest(scope, opts);
  if (only) pushed.unshift(only);
  pushed.unshift(...tableConditions(bound.table));
  const combined = pushed.reduce<KExpr | undefined>((acc, e) => (acc ? logical('AND', acc, e) : e), undefined);
  // A filter that folded to TRUE filters nothing.
  return { filter: combined?.kind === 'const' && combined.value !== 0n ? undefined : combined, kept };
}

type Refusal = { readonly kind: 'refused'; readonly reason: string };
const refused = (reason: string): Refusal => ({ kind: 'refused', reason });

type Grouped = Extract<Grouping, { kind: 'grouped' }>;

function aggregateInKernel(grouping: Grouped, filter: KExpr | undefined, kept: readonly KeptFilter[], scope: Scope, pushdown: Pushdown, opts: SplitOptions): Extract<KernelWork, { kind: 'aggregate' }> | Refusal {
  if (opts.kernelAggregation === false) return refused('aggregation in the kernel is off');
  if (kept.length > 0) return refused('DuckDB filters rows the kernel cannot, so it groups them too');
  const keys: KernelKey[] = [];
  for (const [i, g] of grouping.keys.entries()) {
    const v = kernelValue(g, scope, pushdown);
    if (v.kind === 'refused') return refused(`GROUP BY ${printExpr(g)}: ${v.reason}`);
    keys.push({ name: `k${i}`, ...v.value, of: g });
  }
  const aggregates: KernelAggregateCall[] = [];
  for (const [j, call] of grouping.aggregates.entries()) {
    const a = kernelAggregate(call, aggregateSlotName(j), pushdown);
    if (a.kind === 'refused') return a;
    aggregates.push(a.aggregate);
  }
  const byCgroup = keys.find(isCgroupKey);
  const unmergeable = byCgroup && aggregates.find((a) => !isMergeable(a.fn));
  if (byCgroup && unmergeable) {
    return refused(`${unmergeable.fn}() per ${printExpr(byCgroup.of)}: the kernel groups by cgroup, and several cgroups can share one ${printExpr(byCgroup.of)}; DuckDB merges only count, sum, min and max of them`);
  }
  return fitRefusal(filter, keys, aggregates) ?? { kind: 'aggregate', keys, aggregates };
}

/** A group key as the kernel writes it: an integer expression, or a string column's bytes. */
function kernelValue(e: Expr, scope: Scope, pushdown: Pushdown): { readonly kind: 'value'; readonly value: Omit<FieldValue, 'name'> } | Refusal {
  const decoded = decodedKernelValue(e, scope);
  if (decoded) return { kind: 'value', value: decoded };
  if (e.kind === 'column') {
    const col = scope.find(e.name);
    // The kernel groups by the cgroup id; DuckDB merges the groups of cgroups that share a text.
    if (col?.source.kind === 'cgroup') return { kind: 'value', value: { expr: { kind: 'column', column: col, signed: false }, type: col.type, width: 8 } };
    if (col && (col.type.kind === 'string' || col.type.kind === 'bytes')) return { kind: 'value', value: { expr: { kind: 'column', column: col, signed: false }, type: col.type, width: stringCapacity(col) } };
    if (col && col.type.kind === 'timestamp') return refused(`'${col.name}' becomes a wall-clock time only after the run`);
  }
  const offer = pushdown.offer(e);
  if (!offer.ok) return refused(offer.reason);
  const declared = offer.expr.kind === 'column' ? offer.expr.column.type : { kind: 'int' as const, bits: 64 as const, signed: offer.expr.signed };
  return { kind: 'value', value: { expr: offer.expr, type: widened(offer.expr, declared), width: 8 } };
}

function kernelAggregate(call: AggregateCall, name: string, pushdown: Pushdown): { readonly kind: 'aggregate'; readonly aggregate: KernelAggregateCall } | Refusal {
  const fn = call.name.toLowerCase();
  if (!isKernelAggregate(fn)) return refused(`${fn}() runs in DuckDB`);
  if (call.distinct) return refused(`${fn}(DISTINCT …) runs in DuckDB`);
  const argKey = call.args[0] ? exprKey(call.args[0]) : '';
  const accept = (arg: KExpr | undefined, params: AggregateParams): { kind: 'aggregate'; aggregate: KernelAggregateCall } =>
    ({ kind: 'aggregate', aggregate: { name, fn, ...(arg ? { arg } : {}), params, argKey, call } });
  if (aggregateFunction(fn).needsArg) {
    const params = paramsOf(call, fn);
    const offer = pushdown.offer(call.args[0]!);
    return offer.ok ? accept(offer.expr, params) : refused(offer.reason);
  }
  if (call.star) return accept(undefined, { kind: 'none' });
  if (call.args.length !== 1) throw new QueryError([diagnostic('wrong-arity', { name: fn, expected: '1 or *', found: call.args.length }, call.span)]);
  // count(x) counts the events where x is not NULL: the event count itself when x always has a
  // value, else a counter of its own, added the kernel's 0/1 test of x to.
  const present = pushdown.offer({ kind: 'is-null', operand: call.args[0]!, negated: true, span: call.span });
  if (!present.ok) return refused(present.reason);
  return present.expr.kind === 'const' && present.expr.value !== 0n ? accept(undefined, { kind: 'none' }) : accept(present.expr, { kind: 'non-null' });
}

/** Why the aggregation would not fit a kernel program, or undefined when it does. */
function fitRefusal(filter: KExpr | undefined, keys: readonly FieldValue[], aggregates: readonly KernelAggregate[]): Refusal | undefined {
  // The kernel refuses larger per-CPU values.
  const { valueSize } = layoutStates(aggregates);
  if (valueSize > MAX_PERCPU_VALUE) return refused(`the aggregates' states take ${valueSize} bytes, more than the ${MAX_PERCPU_VALUE} of a per-CPU map value`);
  const exprs = [...(filter ? [filter] : []), ...keys.map((k) => k.expr), ...aggregates.flatMap((a) => (a.arg ? [a.arg] : []))];
  if (exprs.reduce((n, e) => n + exprSlots(e), 0) > EXPRESSION_SLOTS) return refused('the filter, keys and aggregate arguments are too long for one kernel program');
  // The key is built on the stack beside the string buffers it copies from.
  const reads = exprs.reduce<Column[]>((out, e) => columnsOf(e, out), []);
  const strings = reads.reduce((n, col) => n + (col.type.kind === 'string' || col.type.kind === 'bytes' ? stringCapacity(col) : 0), 0);
  if (layoutFields(keys).size + strings + 8 * aggregates.length > DATA_STACK_BYTES) return refused('the key and the strings it is copied from take more stack than a kernel program has');
  return undefined;
}

/** The columns DuckDB reads from streamed rows: those the query names, and `cpu` when it names none. */
function streamedColumns(bound: BoundQuery, kept: readonly KeptFilter[], scope: Scope): Column[] {
  const q = bound.query;
  const wanted: Column[] = [];
  const want = (col: Column | undefined): void => {
    if (col && !wanted.some((w) => w.name === col.name)) wanted.push(col);
  };
  const wantRefs = (e: Expr): void => columnRefs(e).forEach((r) => want(scope.find(r.name)));
  if (q.items.some((i) => i.kind === 'star')) starColumns(bound.table.columns).forEach(want);
  for (const i of q.items) if (i.kind === 'expr') wantRefs(i.expr);
  kept.forEach((k) => wantRefs(k.expr));
  if (bound.grouping.kind === 'grouped') bound.grouping.keys.forEach(wantRefs);
  if (q.having) wantRefs(q.having);
  q.orderBy.forEach((o) => wantRefs(o.expr));
  if (wanted.length === 0) want(scope.find('cpu'));
  return wanted;
}
