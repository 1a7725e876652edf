// Part of measurement 6: what detaching costs, by kind of attachment. Closing a perf event that
// carries a BPF program waits for the kernel (an RCU grace period); a process pays it again at
// exit for every attachment it still holds.
import { attachReference } from './reference-programs.js';
import { roundOrder } from './stats.js';

export type DetachKind = 'empty-tracepoint' | 'empty-raw-tracepoint';

export interface DetachTiming {
  readonly kind: DetachKind;
  /** Milliseconds to close the attachment and the program, one per repetition. */
  readonly closeMs: number[];
}

export function measureDetach(reps: number): DetachTiming[] {
  const kinds: DetachKind[] = ['empty-tracepoint', 'empty-raw-tracepoint'];
  const out = new Map(kinds.map((k) => [k, { kind: k, closeMs: [] as number[] }]));
  for (let r = 0; r < reps; r++) {
    for (const kind of roundOrder(kinds, r)) {
      const scope = attachReference(kind);
      const t = performance.now();
      scope.closeAll();
      out.get(kind)!.closeMs.push(performance.now() - t);
    }
  }
  return [...out.values()];
}
