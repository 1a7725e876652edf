// One metric while it runs: its query in the engine, windows feeding its accumulator, and its
// health as the latest window left it. Each has its own stop, so a reload can restart or stop one
// metric and leave the others counting.
import type { ClosedWindow, Engine } from '../../engine/engine.js';
import { MetricAccumulator } from '../../output/metrics/accumulate.js';
import type { MetricHealth } from '../../output/metrics/health.js';
import type { Label, MetricWindow } from '../../output/metrics/model.js';
import type { QueryResult } from '../../output/result.js';
import { quoteIdent } from '../../query/quote.js';
import type { Metric } from './config.js';

export interface StandingOptions {
  readonly constLabels: readonly Label[];
  readonly maxSeries: number;
  /** Whether run time is exported (the kernel counts it). */
  readonly runTime: () => boolean;
  /** A window closed and was added to the families. */
  readonly onWindow: (window: MetricWindow) => void;
  readonly onAttached: () => void;
}

/** The DuckDB table of a metric's latest window. */
function windowTable(metric: string): string {
  return `__bpfql_serve_${metric}`;
}

export class StandingQuery {
  readonly accumulator: MetricAccumulator;
  private readonly controller = new AbortController();
  private latest: ClosedWindow['health'] | undefined;
  /** Programs attached, known from the moment they are (before the first window closes). */
  private attached = 0;
  /** Settles when the query has ended (stopped, or failed: then with its error). */
  readonly done: Promise<unknown>;

  constructor(private readonly engine: Engine, readonly metric: Metric, private readonly opts: StandingOptions) {
    this.accumulator = new MetricAccumulator(metric.shape, { constLabels: opts.constLabels, maxSeries: opts.maxSeries, startMs: Date.now() });
    this.done = engine.execute(metric.shape.query, {
      signal: this.controller.signal,
      latestWindowIn: windowTable(metric.name),
      // The accumulator keeps what /metrics needs; --store writes the rows it is handed.
      keepWindows: false,
      onAttached: (programs) => {
        this.attached = programs;
        opts.onAttached();
      },
      onWindow: (rows, w) => this.window(rows, w),
    });
  }

  private window(result: QueryResult, w: ClosedWindow): void {
    // The query's columns, then the extra ones (windows handed on have no window_start or window_end).
    const rows = result.rows;
    this.accumulator.add(rows);
    this.latest = w.health;
    const { written } = this.metric.shape;
    this.opts.onWindow({
      metric: this.metric.name,
      startMs: w.startUs / 1000,
      endMs: w.endUs / 1000,
      columns: result.columns.slice(0, written),
      rows: rows.map((r) => r.slice(0, written)),
    });
  }

  health(): MetricHealth {
    const c = this.latest?.completeness;
    return {
      metric: this.metric.name,
      startMs: this.accumulator.startMs,
      windows: this.accumulator.windows,
      seriesDropped: this.accumulator.dropped,
      lostRecords: c?.lostRecords ?? 0,
      failedUpdates: c?.failedUpdates ?? 0,
      unmatchedEvents: c?.lostPairs ?? 0,
      lostStacks: c?.lostStacks ?? 0,
      skippedEvents: c?.missedEvents ?? 0,
      programs: this.latest?.programs ?? this.attached,
      ...(this.opts.runTime() ? { runTimeNs: this.latest?.runTimeNs ?? 0 } : {}),
    };
  }

  /** Ends the query and frees what it held in the kernel and in DuckDB. */
  async stop(): Promise<void> {
    this.controller.abort();
    await this.done.catch(() => undefined);
    this.engine.teardownKernel();
    await this.engine.session.run(`DROP TABLE IF EXISTS ${quoteIdent(windowTable(this.metric.name))}`);
  }
}
