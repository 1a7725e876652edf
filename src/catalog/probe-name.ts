// The `probe` column's text: an event named as bpftrace's `probe` builtin names it, so counts per
// probe can be set beside bpftrace's.
import type { EventSource } from './table.js';
import { assertNever } from '../diag/assert-never.js';

export function probeName(source: EventSource | undefined): string {
  if (source === undefined) throw new Error('probe needs the event the program is on');
  switch (source.kind) {
    case 'tracepoint': case 'raw-tracepoint': return `tracepoint:${source.category}:${source.event}`;
    case 'perf-sample': return `profile:hz:${source.frequencyHz}`;
    case 'uprobe': return `${source.retprobe === true ? 'uretprobe' : 'uprobe'}:${source.binary}:${source.symbol}`;
    default:
      return assertNever(source);
  }
}
