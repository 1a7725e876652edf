// The `probe` column's text: an event named as bpftrace's `probe` builtin names it, so counts per
// probe can be set beside bpftrace's.
import type { Column } from './column.js';
import type { EventSource } from './table.js';
import { STRING } from './types.js';
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

/** `probe` for a table whose program runs on each of `sources`: room for the longest name and its NUL. */
export function probeColumn(sources: readonly EventSource[]): Column {
  const longest = Math.max(...sources.map((s) => Buffer.byteLength(probeName(s))));
  return { name: 'probe', type: STRING, source: { kind: 'probe-name', size: (longest + 1 + 7) & ~7 }, description: 'the event, as bpftrace\'s probe names it' };
}
