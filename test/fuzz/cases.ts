// The case stream: case `index` of a run seeded with `seed` is a pure function of the two, so a
// failure is replayed by its case seed alone.
import type { PlanOptions } from '../../src/planner/planner.js';
import { generateStatement } from './gen-query.js';
import { mutate } from './mutate.js';
import { caseSeed, Rng } from './rng.js';
import { tokenSoup } from './soup.js';
import type { TableShape } from './tables.js';

export type CaseSource = 'soup' | 'grammar' | 'mutant';

export interface FuzzCase {
  /** Replays this case alone (`--case-seed`). */
  readonly seed: number;
  readonly source: CaseSource;
  readonly text: string;
  readonly options: PlanOptions;
}

function planOptions(rng: Rng): PlanOptions {
  switch (rng.int(10)) {
    case 0: return { kernelFilter: false };
    case 1: return { kernelAggregation: false };
    case 2: return { cgroupId: BigInt(rng.next()) << 16n, maxEntries: rng.range(1, 100) };
    default: return {};
  }
}

/** The case with this case seed. */
export function caseFromSeed(seed: number, tables: readonly TableShape[]): FuzzCase {
  const rng = new Rng(seed);
  const roll = rng.int(100);
  const source: CaseSource = roll < 25 ? 'soup' : roll < 60 ? 'grammar' : 'mutant';
  const text = source === 'soup' ? tokenSoup(rng, tables) : source === 'grammar' ? generateStatement(rng, tables) : mutate(rng, generateStatement(rng, tables), tables);
  return { seed, source, text, options: planOptions(rng) };
}

export function fuzzCase(runSeed: number, index: number, tables: readonly TableShape[]): FuzzCase {
  return caseFromSeed(caseSeed(runSeed, index), tables);
}
