// One standing query's windows turned into the metric families it exposes (shape.ts says what
// each column becomes). Only what the families need is kept: a number (or a bucket map) per
// series and value column, never a window's rows, and at most `maxSeries` label sets per metric:
// rows of further label sets are dropped and counted.
import { assertNever } from '../../diag/assert-never.js';
import { jsonText } from '../json-text.js';
import type { Row } from '../result.js';
import type { Label, MetricFamily, Point } from './model.js';
import type { MetricColumn, MetricShape } from './shape.js';

/**
 * The exposed family name of a value column: `bpfql_<metric>_<column>`. A counter's `_total` is
 * the exposition's suffix, so a column named `total` (or `x_total`) is not given a second one:
 * `count(*) AS total` of metric execs is exposed as bpfql_execs_total.
 */
export function familyName(metric: string, column: string, kind: ValueColumn['kind']): string {
  const base = `bpfql_${metric}_${column}`;
  if (kind !== 'counter') return base;
  if (column === 'total') return `bpfql_${metric}`;
  return base.endsWith('_total') ? base.slice(0, -'_total'.length) : base;
}

/** A label's text: strings as they are, numbers in decimal, NULL empty, lists and structs as JSON. */
function labelValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return jsonText(v);
}

/** A value as a float, or undefined for NULL (an empty group's min, say). */
function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

interface HistogramState { readonly buckets: Map<number, number>; sum: number }
interface SummaryState { value: number; sum: number; count: number }

type ValueColumn = Exclude<MetricColumn, { kind: 'label' }>;

type ColumnState =
  | { readonly kind: 'counter' | 'updown'; readonly column: MetricColumn & { kind: 'counter' | 'updown' }; readonly series: Map<string, number> }
  | { readonly kind: 'gauge'; readonly column: MetricColumn & { kind: 'gauge' }; series: Map<string, number> }
  | { readonly kind: 'histogram'; readonly column: MetricColumn & { kind: 'histogram' }; readonly series: Map<string, HistogramState> }
  | { readonly kind: 'summary'; readonly column: MetricColumn & { kind: 'summary' }; readonly series: Map<string, SummaryState> };

function stateOf(column: MetricColumn): ColumnState | undefined {
  switch (column.kind) {
    case 'label': return undefined;
    case 'counter':
    case 'updown': return { kind: column.kind, column, series: new Map() };
    case 'gauge': return { kind: 'gauge', column, series: new Map() };
    case 'histogram': return { kind: 'histogram', column, series: new Map() };
    case 'summary': return { kind: 'summary', column, series: new Map() };
    default: return assertNever(column);
  }
}

/** hist()/lhist() buckets as DuckDB gives them: `{lo, hi, count}`, non-empty ones only. */
function bucketsOf(v: unknown): { readonly hi: number; readonly count: number }[] {
  if (!Array.isArray(v)) return [];
  const out: { hi: number; count: number }[] = [];
  for (const b of v as unknown[]) {
    if (typeof b !== 'object' || b === null) continue;
    const { hi, count } = b as { hi?: unknown; count?: unknown };
    const h = numberOf(hi);
    const c = numberOf(count);
    if (h !== undefined && c !== undefined) out.push({ hi: h, count: c });
  }
  return out;
}

export interface AccumulatorOptions {
  /** Labels every series carries first (`host`). */
  readonly constLabels: readonly Label[];
  readonly maxSeries: number;
  /** When the metric started counting. */
  readonly startMs: number;
}

export class MetricAccumulator {
  /** Every label set admitted so far, by its key. */
  private readonly labelSets = new Map<string, readonly Label[]>();
  private readonly states: readonly ColumnState[];
  private readonly labels: readonly (MetricColumn & { kind: 'label' })[];
  /** Rows whose label set was refused by the series cap, over all windows. */
  dropped = 0;
  windows = 0;

  constructor(readonly shape: MetricShape, private readonly opts: AccumulatorOptions) {
    this.states = shape.columns.map(stateOf).filter((s): s is ColumnState => s !== undefined);
    this.labels = shape.columns.filter((c): c is MetricColumn & { kind: 'label' } => c.kind === 'label');
  }

  get startMs(): number {
    return this.opts.startMs;
  }

  /** Adds one window's rows: the query's columns, then the extra ones (no window bounds). */
  add(rows: readonly Row[]): void {
    this.windows++;
    for (const s of this.states) if (s.kind === 'gauge') s.series = new Map();
    for (const row of rows) {
      const values = this.labels.map((c) => labelValue(row[c.at]));
      const key = JSON.stringify(values);
      if (!this.labelSets.has(key)) {
        if (this.labelSets.size >= this.opts.maxSeries) {
          this.dropped++;
          continue;
        }
        this.labelSets.set(key, [...this.opts.constLabels, ...this.labels.map((c, i): Label => [c.name, values[i]!])]);
      }
      for (const s of this.states) this.addValue(s, key, row);
    }
  }

  private addValue(s: ColumnState, key: string, row: Row): void {
    switch (s.kind) {
      case 'counter':
      case 'updown': {
        const v = numberOf(row[s.column.at]);
        if (v !== undefined) s.series.set(key, (s.series.get(key) ?? 0) + v);
        return;
      }
      case 'gauge': {
        const v = numberOf(row[s.column.at]);
        if (v !== undefined) s.series.set(key, v);
        return;
      }
      case 'histogram': {
        const h = s.series.get(key) ?? { buckets: new Map<number, number>(), sum: 0 };
        for (const b of bucketsOf(row[s.column.at])) h.buckets.set(b.hi, (h.buckets.get(b.hi) ?? 0) + b.count);
        h.sum += numberOf(row[s.column.sumAt]) ?? 0;
        s.series.set(key, h);
        return;
      }
      case 'summary': {
        const v = numberOf(row[s.column.at]);
        const sm = s.series.get(key) ?? { value: NaN, sum: 0, count: 0 };
        if (v !== undefined) sm.value = v;
        sm.sum += numberOf(row[s.column.sumAt]) ?? 0;
        sm.count += numberOf(row[s.column.countAt]) ?? 0;
        s.series.set(key, sm);
        return;
      }
      default:
        return assertNever(s);
    }
  }

  /** The families as they now stand, one per value column, in the query's order. */
  families(): MetricFamily[] {
    return this.states.map((s): MetricFamily => ({
      name: familyName(this.shape.metric, s.column.name, s.kind),
      help: `${s.column.name} of bpfql metric ${this.shape.metric}`,
      type: s.kind,
      startMs: this.opts.startMs,
      points: this.points(s),
    }));
  }

  private points(s: ColumnState): Point[] {
    const labels = (key: string): readonly Label[] => this.labelSets.get(key)!;
    switch (s.kind) {
      case 'counter':
      case 'updown':
      case 'gauge':
        return [...s.series].map(([key, value]): Point => ({ kind: 'number', labels: labels(key), value }));
      case 'histogram':
        return [...s.series].map(([key, h]): Point => {
          let count = 0;
          const buckets = [...h.buckets].sort((a, b) => a[0] - b[0]).map(([le, c]) => ({ le, count: (count += c) }));
          if (buckets[buckets.length - 1]?.le !== Infinity) buckets.push({ le: Infinity, count });
          return { kind: 'histogram', labels: labels(key), buckets, sum: h.sum, count };
        });
      case 'summary':
        return [...s.series].map(([key, sm]): Point => ({ kind: 'summary', labels: labels(key), quantiles: [{ q: s.column.q, value: sm.value }], sum: sm.sum, count: sm.count }));
      default:
        return assertNever(s);
    }
  }
}
