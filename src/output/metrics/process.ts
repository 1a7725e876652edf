// The server's own process as the families every Prometheus exporter exposes under these names
// (process_cpu_seconds_total, process_resident_memory_bytes, …), so the dashboards and alerts a
// fleet already has for its exporters (memory creeping up over days, a server spinning) cover
// bpfql too. The nodejs_… families are the ones Node's exporters use for V8's heap: with the RSS
// beside them, a rise shows whether it is the JavaScript heap or native memory (DuckDB, glibc).
import type { Label, MetricFamily } from './model.js';

/** What the process measures of itself at scrape time. */
export interface ProcessStats {
  /** User and system CPU time since it started. */
  readonly cpuSeconds: number;
  readonly residentBytes: number;
  readonly startTimeSeconds: number;
  readonly openFds: number;
  /** V8's heap: bytes in use, and bytes it holds from the system. */
  readonly heapUsedBytes: number;
  readonly heapTotalBytes: number;
  /** Memory outside V8's heap that JavaScript objects hold (buffers, native wrappers' reports). */
  readonly externalBytes: number;
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
    one('nodejs_heap_size_used_bytes', 'V8 heap in use, in bytes', 'gauge', s.heapUsedBytes),
    one('nodejs_heap_size_total_bytes', 'V8 heap held from the system, in bytes', 'gauge', s.heapTotalBytes),
    one('nodejs_external_memory_bytes', 'Memory outside the V8 heap held by JavaScript objects, in bytes', 'gauge', s.externalBytes),
  ];
}
