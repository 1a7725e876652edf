// What the fuzz worker and the main thread exchange.
import type { CaseSource } from './cases.js';
import type { Verdict } from './property.js';

export interface WorkerInput {
  readonly seed: number;
  readonly from: number;
  readonly to: number;
  /** Int32 slot 0: the index of the case running now. */
  readonly progress: SharedArrayBuffer;
}

export interface CaseMessage {
  readonly index: number;
  readonly caseSeed: number;
  readonly source: CaseSource;
  /** 'ok', 'failure', or the first diagnostic's code. */
  readonly outcome: string;
  readonly failure?: { readonly text: string; readonly reason: string };
}

export function outcomeOf(v: Verdict): string {
  switch (v.kind) {
    case 'ok': return 'ok';
    case 'diagnostic': return v.code;
    case 'failure': return 'failure';
  }
}
