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

function entryLines(sql: string): string[] {
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error('not a query');
  const plan = planQuery(s.query, fixtureCatalog(), fixturePlannerEnv);
  const entry = compileKernelPlan(plan.kernel, plan.table).entries[0];
  if (!entry) throw new Error('no entry program');
  return disassemble(entry.assembled).split('\n').map((l) => l.replace(/^\s*\d+: /, ''));
}

test('an int syscall argument saved at entry is its low 4 bytes, extended by its C type: int dfd sign-extends (AT_FDCWD is -100), unsigned int fd zero-extends', () => {
  const open = entryLines('SELECT dfd, flags FROM open');
  const dfd = open.findIndex((l) => l.endsWith('; save field at 16'));
  assert.deepEqual(open.slice(dfd - 3, dfd), ['r1 = *(u32 *)(r6 +16)', 'r1 <<= 32', 'r1 s>>= 32']);
  const flags = open.findIndex((l) => l.endsWith('; save field at 32'));
  assert.deepEqual(open.slice(flags - 3, flags), ['r1 = *(u32 *)(r6 +32)', 'r1 <<= 32', 'r1 s>>= 32']);
  const read = entryLines('SELECT fd, requested FROM read');
  const fd = read.findIndex((l) => l.endsWith('; save field at 16'));
  assert.equal(read[fd - 1], 'r1 = *(u32 *)(r6 +16)');
  // 64-bit arguments stay whole.
  assert.equal(read[read.findIndex((l) => l.endsWith('; save field at 32')) - 1], 'r1 = *(u64 *)(r6 +32)');
  // The exit side takes the saved value as it is: one rule, applied where the field is read.
  for (const sql of ['SELECT dfd, flags, count(*) FROM open GROUP BY dfd, flags', 'SELECT dfd, flags FROM open']) {
    const lines = compiled(sql);
    const at = lines.findIndex((l) => l.endsWith('; dfd: saved at entry'));
    assert.doesNotMatch(lines[at + 1]!, /<<=|w1 = w1/, sql);
  }
});
