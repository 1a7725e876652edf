// The `probe` column of a wildcard table (`tracepoint.<category>.*`): each event's rows carry its
// name as bpftrace's `probe` builtin says it, so counts per probe can be set beside bpftrace's.
import type { Column } from './column.js';
import type { TracepointRef } from './curated.js';
import { STRING } from './types.js';

export function probeName(r: TracepointRef): string {
  return `tracepoint:${r.category}:${r.event}`;
}

/** `probe` on event `r` of a table over all of `events`: room for the longest name and its NUL. */
export function probeColumn(r: TracepointRef, events: readonly TracepointRef[]): Column {
  const longest = Math.max(...events.map((e) => Buffer.byteLength(probeName(e))));
  return { name: 'probe', type: STRING, source: { kind: 'constant-text', value: probeName(r), size: (longest + 1 + 7) & ~7 }, description: 'the event, as bpftrace\'s probe names it' };
}
