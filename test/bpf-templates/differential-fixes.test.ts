// Template behaviour the differential suite (test/diff) found wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disassemble } from '../../src/bpf/index.js';
import { aggregateMaps, AGG_MAP, PREALLOC_VALUE_BYTES } from '../../src/bpf-templates/aggregate-program.js';
import { compileKernelPlan } from '../../src/bpf-templates/compile.js';
import type { AggregateMode } from '../../src/planner/plan.js';
import { planQuery } from '../../src/planner/planner.js';
import { parseStatement } from '../../src/query/parse.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

const mode = (valueSize: number): AggregateMode => ({ kind: 'aggregate', keys: [], keySize: 8, aggregates: [], valueSize, maxEntries: 100 });
const aggFlags = (valueSize: number): number | undefined => aggregateMaps(mode(valueSize)).find((m) => m.name === AGG_MAP)?.flags;

test('aggregation maps of large states (quantiles) are preallocated, small ones allocate keys as they appear', () => {
  assert.equal(aggFlags(16), 1);
  assert.equal(aggFlags(PREALLOC_VALUE_BYTES), 1);
  assert.equal(aggFlags(PREALLOC_VALUE_BYTES + 8), 0);
  assert.equal(aggFlags(30 * 1024 + 8), 0);
});

function compiled(sql: string): string[] {
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error('not a query');
  const plan = planQuery(s.query, fixtureCatalog(), fixturePlannerEnv);
  return disassemble(compileKernelPlan(plan.kernel, plan.table).assembled).split('\n').map((l) => l.replace(/^\s*\d+: /, ''));
}

test('an int syscall argument saved at entry counts its low 4 bytes only: dfd sign-extends (AT_FDCWD is -100), flags zero-extends', () => {
  for (const sql of ['SELECT dfd, flags, count(*) FROM open GROUP BY dfd, flags', 'SELECT dfd, flags FROM open']) {
    const lines = compiled(sql);
    const dfd = lines.findIndex((l) => l.endsWith('; dfd: saved at entry'));
    assert.deepEqual(lines.slice(dfd + 1, dfd + 3), ['r1 <<= 32', 'r1 s>>= 32'], sql);
    const flags = lines.findIndex((l) => l.endsWith('; flags: saved at entry'));
    assert.equal(lines[flags + 1], 'w1 = w1', sql);
  }
  // 64-bit arguments stay whole.
  const lines = compiled('SELECT requested FROM read');
  assert.notEqual(lines[lines.findIndex((l) => l.endsWith('; requested: saved at entry')) + 1], 'w1 = w1');
});
