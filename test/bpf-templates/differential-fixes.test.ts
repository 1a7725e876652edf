// Template behaviour the differential suite (test/diff) found wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateMaps, AGG_MAP, PREALLOC_VALUE_BYTES } from '../../src/bpf-templates/aggregate-program.js';
import type { AggregateMode } from '../../src/planner/plan.js';

const mode = (valueSize: number): AggregateMode => ({ kind: 'aggregate', keys: [], keySize: 8, aggregates: [], valueSize, maxEntries: 100 });
const aggFlags = (valueSize: number): number | undefined => aggregateMaps(mode(valueSize)).find((m) => m.name === AGG_MAP)?.flags;

test('aggregation maps of large states (quantiles) are preallocated, small ones allocate keys as they appear', () => {
  assert.equal(aggFlags(16), 1);
  assert.equal(aggFlags(PREALLOC_VALUE_BYTES), 1);
  assert.equal(aggFlags(PREALLOC_VALUE_BYTES + 8), 0);
  assert.equal(aggFlags(30 * 1024 + 8), 0);
});
