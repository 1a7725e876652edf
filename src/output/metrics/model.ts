// The metrics `bpfql serve` exposes, as plain data shared by every way of serving them: the
// Prometheus endpoint, OTLP pushes and the Parquet history each take the same families and the
// same closed windows, so a new way of serving metrics is one new WindowSink.
import type { QueryColumn, Row } from '../result.js';

/** A label name and its value, in the order the query's GROUP BY keys come. */
export type Label = readonly [name: string, value: string];

/** A cumulative histogram bucket: how many values were ≤ `le` (the last bucket's le is +Inf). */
export interface Bucket {
  readonly le: number;
  readonly count: number;
}

export type Point =
  | { readonly kind: 'number'; readonly labels: readonly Label[]; readonly value: number }
  | { readonly kind: 'histogram'; readonly labels: readonly Label[]; readonly buckets: readonly Bucket[]; readonly sum: number; readonly count: number }
  | { readonly kind: 'summary'; readonly labels: readonly Label[]; readonly quantiles: readonly { readonly q: number; readonly value: number }[]; readonly sum: number; readonly count: number };

/**
 * One metric family. Counters only go up for the life of the server (cumulative over windows);
 * up-down counters are cumulative too but may fall (a sum of values that can be negative);
 * gauges are the last window's value; histograms are cumulative like counters.
 */
export interface MetricFamily {
  /** The exposed name without the type's suffixes (`bpfql_execs`; Prometheus adds `_total`). */
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'updown' | 'gauge' | 'histogram' | 'summary';
  /** Time the counter started (the server's start or the metric's last restart), for OTLP and OpenMetrics. */
  readonly startMs: number;
  readonly points: readonly Point[];
}

/** One closed window of one standing query: its rows as DuckDB gave them. */
export interface MetricWindow {
  /** The name given in CREATE METRIC. */
  readonly metric: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly columns: readonly QueryColumn[];
  readonly rows: readonly Row[];
}

/** Somewhere served metrics go (OTLP push, Parquet history). */
export interface WindowSink {
  /** A window of `window.metric` closed; `families` is every family as now exposed, all metrics. */
  window(window: MetricWindow, families: readonly MetricFamily[]): void;
  /** The server is ending: write or send what is pending, within a bounded time. */
  close(): Promise<void>;
}
