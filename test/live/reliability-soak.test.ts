// One minute of the soak (`npm run soak` runs five): a getppid storm under a streaming and an
// aggregating query. Every lost record is counted, the aggregates are exact, and neither bpfql
// process's memory grows by more than RSS_GROWTH_BOUND_MB from the first half to the second.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeSoak, runSoak, soakFailures } from '../soak/soak.js';
import { kernelSkip } from '../helpers/workload.js';

test('soak, one minute: losses counted, aggregates exact, memory flat', { skip: kernelSkip() }, async (t) => {
  const figures = await runSoak({ stormMs: 60_000, storms: 2 });
  for (const line of describeSoak(figures)) t.diagnostic(line);
  assert.deepEqual(soakFailures(figures), []);
  // The storm must have been a storm: at least 50 000 calls a second.
  assert.ok(figures.totalMade > 50_000 * 60, describeSoak(figures).join('\n'));
});
