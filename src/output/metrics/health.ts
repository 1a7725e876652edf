// bpfql's own health as metric families, one series per standing query (label `metric`): what
// the kernel could not record (from each run's completeness), windows closed, series dropped by
// the cap, programs attached, and the time its programs ran in the kernel when BPF stats are on.
import type { Label, MetricFamily, Point } from './model.js';

/** How one standing query is doing, as its latest window left it (counts since it started). */
export interface MetricHealth {
  readonly metric: string;
  readonly startMs: number;
  readonly windows: number;
  readonly seriesDropped: number;
  readonly lostRecords: number;
  readonly failedUpdates: number;
  /** Paired tables: entry events the pairing map had no room for, so their exit events matched nothing. */
  readonly unmatchedEvents: number;
  readonly lostStacks: number;
  /** Events the kernel skipped (another BPF program was running on the CPU). */
  readonly skippedEvents: number;
  readonly programs: number;
  /** Nanoseconds its programs ran, when kernel.bpf_stats_enabled is on. */
  readonly runTimeNs?: number;
}

type Field = Exclude<keyof MetricHealth, 'metric' | 'startMs' | 'runTimeNs'>;

const COUNTERS: readonly (readonly [Field, string, string])[] = [
  ['windows', 'bpfql_windows_closed', 'Windows closed'],
  ['seriesDropped', 'bpfql_series_dropped', 'Rows dropped because their metric had --max-series label sets already'],
  ['lostRecords', 'bpfql_lost_records', 'Ring-buffer records the kernel dropped (buffer full)'],
  ['failedUpdates', 'bpfql_failed_updates', 'Map updates that failed (map full: raise --max-keys)'],
  ['unmatchedEvents', 'bpfql_unmatched_events', 'Entry events not saved (too many pairs in flight), so their exits matched nothing'],
  ['lostStacks', 'bpfql_lost_stacks', 'Stacks the stack map could not keep'],
  ['skippedEvents', 'bpfql_skipped_events', 'Events the kernel skipped (another BPF program was running on the CPU)'],
];

/** Every health family name, so that no metric's family takes one. */
export const HEALTH_FAMILIES: readonly string[] = [...COUNTERS.map((c) => c[1]), 'bpfql_programs_attached', 'bpfql_query_run_time_seconds'];

/** The health families of `queries`, each series labelled `constLabels` (host) and metric; run time only when some query has it. */
export function healthFamilies(queries: readonly MetricHealth[], startMs: number, constLabels: readonly Label[]): MetricFamily[] {
  const label = (h: MetricHealth): readonly Label[] => [...constLabels, ['metric', h.metric]];
  const families = COUNTERS.map(([field, name, help]): MetricFamily => ({
    name, help, type: 'counter', startMs,
    points: queries.map((h): Point => ({ kind: 'number', labels: label(h), value: h[field] })),
  }));
  families.push({
    name: 'bpfql_programs_attached', help: 'BPF programs attached', type: 'gauge', startMs,
    points: queries.map((h): Point => ({ kind: 'number', labels: label(h), value: h.programs })),
  });
  const timed = queries.filter((h) => h.runTimeNs !== undefined);
  if (timed.length > 0) {
    families.push({
      name: 'bpfql_query_run_time_seconds', help: 'Time the query\'s programs ran in the kernel (BPF stats)', type: 'counter', startMs,
      points: timed.map((h): Point => ({ kind: 'number', labels: label(h), value: h.runTimeNs! / 1e9 })),
    });
  }
  return families;
}
