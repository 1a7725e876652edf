// Runs fuzz cases in this thread: the loop shared by the worker and by replays.
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';
import type { FuzzCase } from './cases.js';
import { fuzzCase } from './cases.js';
import { checkStatement, type Verdict } from './property.js';
import { tableShapes, type TableShape } from './tables.js';

/** A case taking longer than this is a failure, even when it ends. */
export const SLOW_MS = 2000;

export interface CaseReport {
  readonly index: number;
  readonly fuzz: FuzzCase;
  readonly verdict: Verdict;
  readonly ms: number;
}

export class CaseRunner {
  private readonly catalog = fixtureCatalog();
  readonly tables: readonly TableShape[] = tableShapes(this.catalog);

  run(fuzz: FuzzCase, index: number): CaseReport {
    const started = performance.now();
    const verdict = checkStatement(fuzz.text, this.catalog, fixturePlannerEnv, fuzz.options);
    const ms = performance.now() - started;
    const slow: Verdict = { kind: 'failure', reason: `took ${ms.toFixed(0)} ms (limit ${SLOW_MS} ms)` };
    return { index, fuzz, verdict: ms > SLOW_MS && verdict.kind !== 'failure' ? slow : verdict, ms };
  }

  runIndex(runSeed: number, index: number): CaseReport {
    return this.run(fuzzCase(runSeed, index, this.tables), index);
  }
}
