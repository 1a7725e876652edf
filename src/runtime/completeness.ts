// How complete a kernel result is: what the kernel could not record. Never silent. Only losses
// count: events outside the query's window (a call in flight when it attached or when it ended)
// and events its WHERE rejects are not losses.
export interface Completeness {
  /** Ring-buffer records dropped because the buffer was full. */
  readonly lostRecords: number;
  /** Map updates that failed (map full: raise --max-keys). */
  readonly failedUpdates: number;
  /**
   * Paired tables: entries the pairing map had no room for (too many pairs open at once: raise
   * --max-keys); each such pair, when it completes, is missing from the result.
   */
  readonly lostPairs: number;
  /**
   * Stacks the stack map could not keep (their hash bucket held another stack, or it was full):
   * each such event's stack reads `[stack lost: error N]`.
   */
  readonly lostStacks: number;
  /** Events the kernel skipped because another BPF program was running on that CPU at the time. */
  readonly missedEvents: number;
}

export const COMPLETE: Completeness = { lostRecords: 0, failedUpdates: 0, lostPairs: 0, lostStacks: 0, missedEvents: 0 };

export function isComplete(c: Completeness): boolean {
  return c.lostRecords === 0 && c.failedUpdates === 0 && c.lostPairs === 0 && c.lostStacks === 0 && c.missedEvents === 0;
}

export function describeCompleteness(c: Completeness): string {
  if (isComplete(c)) return 'complete: no lost records, no failed map updates, no lost pairs, no lost stacks, no skipped events';
  const parts: string[] = [];
  if (c.lostRecords > 0) parts.push(`${c.lostRecords} records lost (ring buffer full)`);
  if (c.failedUpdates > 0) parts.push(`${c.failedUpdates} map updates failed (map full; raise --max-keys)`);
  if (c.missedEvents > 0) parts.push(`${c.missedEvents} events skipped by the kernel (another BPF program was running on the CPU)`);
  if (c.lostStacks > 0) parts.push(`${c.lostStacks} stacks lost (the stack map held another stack in their slot, or was full): they read [stack lost]`);
  if (c.lostPairs > 0) parts.push(`${c.lostPairs} entry events not saved (too many pairs in flight; raise --max-keys): their pairs are missing`);
  return `INCOMPLETE: ${parts.join(', ')}`;
}
