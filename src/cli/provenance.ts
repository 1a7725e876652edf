// Where a result came from, stored in exported Parquet files as key-value metadata.
import { hostname, release } from 'node:os';
import type { KernelRunInfo } from '../engine/engine.js';
import { VERSION } from '../engine/version.js';

export function provenance(statement: string, kernel: KernelRunInfo | undefined): Record<string, string> {
  return {
    'bpfql.query': statement,
    'bpfql.version': VERSION,
    'bpfql.kernel_release': release(),
    'bpfql.hostname': hostname(),
    ...(kernel
      ? {
          'bpfql.started_at': kernel.startedAt.toISOString(),
          'bpfql.ended_at': kernel.endedAt.toISOString(),
          'bpfql.lost_records': String(kernel.completeness.lostRecords),
          'bpfql.failed_map_updates': String(kernel.completeness.failedUpdates),
          'bpfql.lost_pairs': String(kernel.completeness.lostPairs),
          'bpfql.lost_stacks': String(kernel.completeness.lostStacks),
          'bpfql.missed_events': String(kernel.completeness.missedEvents),
        }
      : {}),
  };
}
