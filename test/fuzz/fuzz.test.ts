// The fuzz campaign of `npm test`: 1 000 cases of a fixed seed (`npm run fuzz` runs 10 000 of a
// fresh one). Every case must end in a result or in diagnostics with a known code and a span
// inside the query; a failure prints the case's replay seed, the query and what went wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeFailure, runFuzz } from './fuzz-run.js';

const SEED = 0x5eed_2024;
const CASES = 1000;

test(`${CASES} fuzz cases through parse, plan and compile end in a result or a diagnostic`, { timeout: 300_000 }, async () => {
  const s = await runFuzz(SEED, CASES);
  assert.equal([...s.outcomes.values()].reduce((a, b) => a + b, 0), CASES);
  assert.equal(s.failures.length, 0, `fuzz failures:\n${s.failures.map((f) => describeFailure(SEED, f)).join('\n')}`);
  // The generators must reach every stage: valid statements, syntax errors and planner diagnostics.
  assert.ok((s.outcomes.get('ok') ?? 0) >= CASES / 5, `too few valid statements: ${[...s.outcomes].join(' ')}`);
  assert.ok((s.outcomes.get('parse-error') ?? 0) >= CASES / 10, `too few syntax errors: ${[...s.outcomes].join(' ')}`);
  assert.ok((s.outcomes.get('unknown-column') ?? 0) > 0, `no planner diagnostics: ${[...s.outcomes].join(' ')}`);
  assert.deepEqual([...s.sources.keys()].sort(), ['grammar', 'mutant', 'soup']);
});
