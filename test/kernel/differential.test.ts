// The differential suite's share of `npm test`: 50 generated queries of a fixed seed, each run
// planned as usual and forced to stream raw rows, at the same time over one workload; the two
// results must agree (`npm run test:diff` runs 200 of a fresh seed). See test/diff/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { campaignSeeds, describeFailure, runDiff } from '../diff/run-diff.js';
import { kernelSkip } from '../helpers/workload.js';
import { workloadSkip } from '../helpers/c-workload.js';

const SEED = 0xd1ff_2024;
const QUERIES = 50;
const PER_ROUND = 25;

const skip = kernelSkip() || workloadSkip();

test(`${QUERIES} generated queries give the same result planned and streamed`, { skip, timeout: 180_000 }, async () => {
  const s = await runDiff(campaignSeeds(SEED, QUERIES), PER_ROUND);
  assert.equal(s.results.length, QUERIES);
  assert.equal(s.failures.length, 0, `seed ${SEED}:\n${s.failures.map(describeFailure).join('\n\n')}`);
  // Both plans were exercised, and most queries had rows to compare.
  assert.ok((s.plannedModes.get('aggregate') ?? 0) >= QUERIES / 5, JSON.stringify([...s.plannedModes]));
  assert.ok((s.plannedModes.get('stream') ?? 0) >= QUERIES / 5, JSON.stringify([...s.plannedModes]));
  assert.ok(s.results.filter((r) => (r.rows ?? 0) > 0).length >= QUERIES / 2, 'too many empty results to compare');
});
