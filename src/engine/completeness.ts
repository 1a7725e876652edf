// How complete a kernel result is: what the kernel could not record. Never silent.
export interface Completeness {
  /** Ring-buffer records dropped because the buffer was full. */
  readonly lostRecords: number;
  /** Map updates that failed (map full: raise --max-keys). */
  readonly failedUpdates: number;
  /** Exit events whose entry was never seen or was evicted (paired tables). */
  readonly unmatchedPairs: number;
  /** Events the kernel skipped because another BPF program was running on that CPU at the time. */
  readonly missedEvents: number;
}

export const COMPLETE: Completeness = { lostRecords: 0, failedUpdates: 0, unmatchedPairs: 0, missedEvents: 0 };

export function isComplete(c: Completeness): boolean {
  return c.lostRecords === 0 && c.failedUpdates === 0 && c.unmatchedPairs === 0 && c.missedEvents === 0;
}

export function describeCompleteness(c: Completeness): string {
  if (isComplete(c)) return 'complete: no lost records, no failed map updates, no unmatched or skipped events';
  const parts: string[] = [];
  if (c.lostRecords > 0) parts.push(`${c.lostRecords} records lost (ring buffer full)`);
  if (c.failedUpdates > 0) parts.push(`${c.failedUpdates} map updates failed (map full; raise --max-keys)`);
  if (c.missedEvents > 0) parts.push(`${c.missedEvents} events skipped by the kernel (another BPF program was running on the CPU)`);
  if (c.unmatchedPairs > 0) parts.push(`${c.unmatchedPairs} exit events without their entry (started before the query, or evicted)`);
  return `INCOMPLETE: ${parts.join(', ')}`;
}
