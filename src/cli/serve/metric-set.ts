// The metrics running now, and the change from one config file to the next: a metric whose
// statement is unchanged keeps running (and counting), a changed one restarts (its counters
// from zero, its start time now), a removed one stops, a new one starts.
import type { Engine } from '../../engine/engine.js';
import { reportError } from '../../engine/report-error.js';
import type { MetricFamily } from '../../output/metrics/model.js';
import type { Metric } from './config.js';
import type { StandingOptions } from './standing.js';
import { StandingQuery } from './standing.js';

export interface ChangeCounts {
  readonly kept: number;
  readonly restarted: number;
  readonly started: number;
  readonly stopped: number;
}

export class MetricSet {
  private running = new Map<string, StandingQuery>();

  constructor(
    private readonly engine: Engine,
    private readonly opts: StandingOptions,
    /** Where a metric that failed while running is reported (it is then dropped, and a reload starts it again). */
    private readonly say: (line: string) => void,
  ) {}

  get queries(): readonly StandingQuery[] {
    return [...this.running.values()];
  }

  /** Every family of every running metric, in the file's order. */
  families(): MetricFamily[] {
    return this.queries.flatMap((q) => q.accumulator.families());
  }

  private start(metric: Metric): StandingQuery {
    const q = new StandingQuery(this.engine, metric, this.opts);
    void q.done.then(
      () => undefined,
      (e: unknown) => {
        if (this.running.get(metric.name) !== q) return;
        this.running.delete(metric.name);
        this.say(`bpfql serve: metric ${metric.name} stopped: ${reportError(e, metric.shape.query, metric.name).text}`);
      },
    );
    return q;
  }

  /** Runs `metrics` from now on, changing only what changed. */
  async apply(metrics: readonly Metric[]): Promise<ChangeCounts> {
    const next = new Map<string, StandingQuery>();
    const counts = { kept: 0, restarted: 0, started: 0, stopped: 0 };
    const stopping: Promise<void>[] = [];
    const wanted = new Set(metrics.map((m) => m.name));
    for (const [name, q] of this.running) {
      if (!wanted.has(name)) {
        counts.stopped++;
        stopping.push(q.stop());
      }
    }
    for (const m of metrics) {
      const old = this.running.get(m.name);
      if (old !== undefined && old.metric.text === m.text) {
        counts.kept++;
        next.set(m.name, old);
        continue;
      }
      if (old !== undefined) {
        counts.restarted++;
        // The old query's window table is the new one's: it must be gone before the new one starts.
        await old.stop();
      } else {
        counts.started++;
      }
      next.set(m.name, this.start(m));
    }
    this.running = next;
    await Promise.all(stopping);
    return counts;
  }

  /** Stops every metric. */
  async stopAll(): Promise<void> {
    const all = this.queries;
    this.running = new Map();
    await Promise.all(all.map((q) => q.stop()));
  }
}
