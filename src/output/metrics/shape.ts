// What each column of a standing query becomes when it is served as metrics, decided from the
// query's aggregate calls (never from column names):
//   - a SELECT item without an aggregate (a GROUP BY key) is a label;
//   - count(...) and sum(...) are counters, added up over windows for the life of the metric; but
//     a sum whose argument can be negative (a signed column: read's returned is -errno on a
//     failure) can fall, and a Prometheus counter that falls reads as a reset to rate() and
//     increase(): its running total is an up-down counter, exposed as a gauge (as OpenTelemetry
//     exposes a non-monotonic sum);
//   - min, max, avg, stddev and variance are gauges: the last window's value;
//   - hist and lhist are histograms, their buckets added up over windows;
//   - quantile(x, q) and p50…p999 are summaries: the last window's quantile, with _sum and _count
//     added up over windows.
// Anything else (an aggregate inside an expression, count(DISTINCT …), DuckDB's own aggregates)
// has no meaning that adds up over windows, and is refused with its span.
// Histograms and summaries need the sum (and summaries the count) of their argument, which the
// bucket list and the quantile do not carry: they are added to the query as extra columns.
import { diagnostic, QueryError } from '../../diag/diagnostic.js';
import { assertNever } from '../../diag/assert-never.js';
import { isKernelAggregate, type AggregateName } from '../../functions/registry.js';
import { findAggregate } from '../../planner/aggregate-calls.js';
import { paramsOf } from '../../planner/aggregate-params.js';
import type { Expr, MetricDefinition, SelectItem } from '../../query/ast.js';

export type ValueKind = 'counter' | 'gauge' | 'histogram' | 'summary';

const KIND_OF: Readonly<Record<AggregateName, ValueKind>> = {
  count: 'counter', sum: 'counter',
  min: 'gauge', max: 'gauge', avg: 'gauge', stddev: 'gauge', variance: 'gauge',
  hist: 'histogram', lhist: 'histogram',
  quantile: 'summary', p50: 'summary', p90: 'summary', p95: 'summary', p99: 'summary', p999: 'summary',
};

/** One column of a window's rows, by its place among the query's columns (window_start and window_end not counted). */
export type MetricColumn =
  | { readonly kind: 'label'; readonly name: string; readonly at: number }
  | { readonly kind: 'counter'; readonly name: string; readonly at: number }
  | { readonly kind: 'updown'; readonly name: string; readonly at: number }
  | { readonly kind: 'gauge'; readonly name: string; readonly at: number }
  | { readonly kind: 'histogram'; readonly name: string; readonly at: number; readonly sumAt: number }
  | { readonly kind: 'summary'; readonly name: string; readonly at: number; readonly q: number; readonly sumAt: number; readonly countAt: number };

export interface MetricShape {
  /** The name given in CREATE METRIC. */
  readonly metric: string;
  readonly columns: readonly MetricColumn[];
  /** How many columns the query as written has (the extra ones follow them). */
  readonly written: number;
  /** The query to run: the one written, with the extra columns histograms and summaries need. */
  readonly query: string;
  readonly everyMs: number;
}

/** Prometheus' metric names. */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** Prometheus' label names (names starting with __ are its own). */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Labels the exposition sets itself: the host's name, histogram bounds, summary quantiles. */
export const RESERVED_LABELS: ReadonlySet<string> = new Set(['host', 'le', 'quantile']);

function refuse(column: string, reason: string, item: SelectItem): never {
  throw new QueryError([diagnostic('metric-column', { column, reason }, item.span)]);
}

function itemName(item: SelectItem & { kind: 'expr' }, fallback: string | undefined, text: string): string {
  const name = item.alias ?? (item.expr.kind === 'column' ? item.expr.name : fallback);
  if (name === undefined) refuse(text.slice(item.span.start, item.span.end), 'a label needs a name: give it one with AS', item);
  if (!LABEL_NAME.test(name) || name.startsWith('__')) refuse(name, 'a metric column is named with letters, digits and _ (not starting with a digit or __)', item);
  return name;
}

export type Call = Extract<Expr, { kind: 'call' }>;

/** Whether an aggregate call of the query can give a negative value (from its plan: the planner knows the argument's type). */
export type CanBeNegative = (call: Call) => boolean;

/** The value column `item` is, or a refusal; `aggregate` is the call found in it. */
function valueKind(item: SelectItem & { kind: 'expr' }, aggregate: Call): { name: AggregateName; kind: ValueKind } {
  const name = aggregate.name.toLowerCase();
  const shown = item.alias ?? name;
  if (aggregate !== item.expr) refuse(shown, 'a metric column is one aggregate call, not an expression around one', item);
  if (!isKernelAggregate(name)) refuse(shown, `${name}() does not add up over windows; use count, sum, min, max, avg, stddev, variance, hist, lhist or a quantile`, item);
  if (aggregate.distinct) refuse(shown, 'a distinct count does not add up over windows', item);
  return { name, kind: KIND_OF[name] };
}

/**
 * The shape of metric `def`, whose statement text is `text` (the definition's spans are in it).
 * Throws a QueryError pointing into `text` when the query cannot be served as metrics.
 */
export function metricShape(def: MetricDefinition, text: string, canBeNegative: CanBeNegative): MetricShape {
  if (!METRIC_NAME.test(def.name)) throw new QueryError([diagnostic('bad-metric-name', { name: def.name, reason: 'invalid' }, def.nameSpan)]);
  const q = def.query;
  if (q.every === undefined) throw new QueryError([diagnostic('metric-needs-every', { metric: def.name }, q.span)]);
  const columns: MetricColumn[] = [];
  const extra: string[] = [];
  const n = q.items.length;
  const names = new Set<string>();
  for (const [at, item] of q.items.entries()) {
    if (item.kind === 'star') refuse('*', 'name the columns: GROUP BY keys become labels, aggregates values', item);
    const aggregate = findAggregate(item.expr);
    const value = aggregate && valueKind(item, aggregate);
    const name = itemName(item, value?.name, text);
    if (names.has(name)) refuse(name, 'two columns have this name; give one an alias (AS name)', item);
    names.add(name);
    if (value === undefined || aggregate === undefined) {
      if (RESERVED_LABELS.has(name)) refuse(name, `${name} is a label bpfql serve sets itself; give the column another name with AS`, item);
      columns.push({ kind: 'label', name, at });
      continue;
    }
    switch (value.kind) {
      case 'counter':
        columns.push({ kind: value.name === 'sum' && canBeNegative(aggregate) ? 'updown' : 'counter', name, at });
        break;
      case 'gauge':
        columns.push({ kind: 'gauge', name, at });
        break;
      case 'histogram':
      case 'summary': {
        const arg = aggregate.args[0];
        if (arg === undefined) refuse(name, `${value.name}() needs an argument`, item);
        const argText = text.slice(arg.span.start, arg.span.end);
        const sumAt = n + extra.length;
        extra.push(`sum(${argText})`, `count(${argText})`);
        if (value.kind === 'histogram') {
          columns.push({ kind: 'histogram', name, at, sumAt });
          break;
        }
        const params = paramsOf(aggregate, value.name);
        if (params.kind !== 'quantile') refuse(name, `${value.name}() has no quantile`, item);
        columns.push({ kind: 'summary', name, at, q: params.q, sumAt, countAt: sumAt + 1 });
        break;
      }
      default:
        return assertNever(value.kind);
    }
  }
  if (!columns.some((c) => c.kind !== 'label')) {
    throw new QueryError([diagnostic('metric-column', { column: def.name, reason: 'the query has no aggregate to serve (count, sum, min, max, avg, hist, a quantile…)' }, q.span)]);
  }
  // The extra columns go right after the last SELECT item, so nothing written moves before it.
  const last = q.items[n - 1]!.span.end;
  const added = extra.map((e, i) => `, ${e} AS __serve_${i}`).join('');
  const query = text.slice(q.span.start, last) + added + text.slice(last, q.span.end);
  return { metric: def.name, columns, written: n, query, everyMs: q.every.ms };
}
