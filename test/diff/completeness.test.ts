// When a differential case is compared, left out as map-full, or reported incomplete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bothFullOrComplete, lossOf, mapFull } from './completeness.js';

const run = (kernelRows: number, failedUpdates: number, lostRecords = 0, kind = 'aggregate') => ({
  kernelRows,
  completeness: { lostRecords, failedUpdates, lostPairs: 0, lostStacks: 0, missedEvents: 0 },
  plan: { kernel: { mode: { kind, maxEntries: 272 } } },
});

test('a map is full when updates failed with as many groups as it holds', () => {
  assert.equal(mapFull(run(272, 61)), true);
  assert.equal(mapFull(run(271, 61)), false);
  assert.equal(mapFull(run(272, 0)), false);
  assert.equal(mapFull(run(272, 61, 0, 'stream')), false);
  assert.equal(lossOf(run(272, 61)), '0 records lost, 61 map updates failed');
  assert.equal(lossOf(run(272, 0)), undefined);
});

test('both hooks filling the same map is map-full (seed 1903, case 918383613), not incomplete', () => {
  assert.equal(bothFullOrComplete(run(272, 61), run(272, 61)), true);
  assert.equal(bothFullOrComplete(run(272, 61), run(300, 0, 0, 'stream')), true);
  // Anything else lost on either side is a loss to report.
  assert.equal(bothFullOrComplete(run(272, 61, 3), run(272, 61)), false);
  assert.equal(bothFullOrComplete(run(272, 61), run(272, 61, 1)), false);
  assert.equal(bothFullOrComplete(run(272, 61), run(100, 5)), false);
  assert.equal(bothFullOrComplete(run(100, 0), run(100, 0)), false);
});
