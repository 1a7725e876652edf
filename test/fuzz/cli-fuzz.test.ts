// The command-line fuzz campaign of `npm test`: 500 whole command lines (flags, option values and
// query texts, mutated) of a fixed seed; `npm run fuzz` runs 10 000 of a fresh one. Every line
// must end in exit 0, 1 or 2, without a stack trace or an internal error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCommandLines } from './cli-fuzz.js';

const SEED = 0x0c11_2026;
const CASES = 500;

test(`${CASES} fuzzed command lines end in exit 0, 1 or 2 without a stack trace`, { timeout: 300_000 }, async () => {
  const s = await runCommandLines(SEED, CASES);
  const failures = s.failures.map((f) => `line ${f.index}: ${JSON.stringify(f.argv)}\n  ${f.reason.split('\n').slice(0, 4).join('\n  ')}`);
  assert.deepEqual(failures, []);
  // The lines must reach every outcome: usage and query errors, environment errors, and success.
  for (const code of [0, 1, 2]) assert.ok((s.exits.get(code) ?? 0) > 0, `no exit ${code}: ${[...s.exits].join(' ')}`);
  assert.ok((s.exits.get(2) ?? 0) >= CASES / 10, `too few bad lines: ${[...s.exits].join(' ')}`);
});
