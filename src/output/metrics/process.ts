// The server's own process as the families every Prometheus exporter exposes under these names
// (process_cpu_seconds_total, process_resident_memory_bytes, …), so the dashboards and alerts a
// fleet already has for its exporters (memory creeping up over days, a server spinning) cover
// bpfql too.
import type { Label, MetricFamily } from './model.js';

/** What the process measures of itself at scrape time. */
export interface ProcessStats {
  /** User and system CPU time since it started. */
  readonly cpuSeconds: number;
  readonly residentBytes: number;
  readonly startTimeSeconds: number;
  readonly openFds: number;
}

// No metric's family can take these names: those are all `bpfql_…`.
export function processFamilies(s: ProcessStats, startMs: number, constLabels: readonly Label[]): MetricFamily[] {
  const one = (name: string, help: string, type: 'counter' | 'gauge', value: number): MetricFamily =>
    ({ name, help, type, startMs, points: [{ kind: 'number', labels: constLabels, value }] });
  return [
    one('process_cpu_seconds', 'User and system CPU time spent, in seconds', 'counter', s.cpuSeconds),
    one('process_resident_memory_bytes', 'Resident memory size, in bytes', 'gauge', s.residentBytes),
    one('process_start_time_seconds', 'Start time of the process since the Unix epoch, in seconds', 'gauge', s.startTimeSeconds),
    one('process_open_fds', 'Open file descriptors', 'gauge', s.openFds),
  ];
}
