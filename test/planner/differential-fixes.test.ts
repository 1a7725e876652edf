// Planner behaviour the differential suite (test/diff) found wrong: the kernel must compute what
// DuckDB computes over the same rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement } from '../../src/query/parse.js';
import type { Plan } from '../../src/planner/plan.js';
import { planQuery, type PlanOptions } from '../../src/planner/planner.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

function plan(sql: string, opts: PlanOptions = {}): Plan {
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error('not a query');
  return planQuery(s.query, fixtureCatalog(), fixturePlannerEnv, opts);
}

test('a u32 column computes as a signed 64-bit value, as the BIGINT DuckDB gets: cpu - 5 < 0 compares signed', () => {
  const p = plan('SELECT count(*) FROM exec WHERE cpu - 5 < 0');
  const f = p.kernel.filter;
  assert.ok(f && f.kind === 'compare');
  assert.equal(f.signed, true);
  assert.ok(f.left.kind === 'arith');
  assert.equal(f.left.signed, true);
});

test('aggregates of expressions over a u32 column are signed (min(cpu - 5) is -4 for cpu 1, not 2^64 - 4)', () => {
  const p = plan('SELECT min(cpu - 5), hist(cpu - 5) FROM exec');
  assert.equal(p.kernel.mode.kind, 'aggregate');
  assert.ok(p.kernel.mode.kind === 'aggregate', p.kernel.mode.kind);
  assert.deepEqual(p.kernel.mode.aggregates.map((a) => [a.fn, a.arg?.signed]), [['min', true], ['hist', true]]);
  assert.deepEqual(p.kernel.mode.aggregates[0]!.resultType, { kind: 'int', bits: 64, signed: true });
});

test('a 64-bit unsigned column stays unsigned', () => {
  const p = plan('SELECT count(*) FROM exec WHERE cgroup_id > 5');
  const f = p.kernel.filter;
  assert.ok(f && f.kind === 'compare');
  assert.equal(f.signed, false);
});

test('LIMIT stops the kernel early only when the kernel evaluates every WHERE conjunct', () => {
  assert.equal(plan("SELECT filename FROM exec WHERE comm = 'cat' LIMIT 3").limit, 3);
  // DuckDB filters LIKE '%x' after the run: rows the kernel counted might all fail it.
  assert.equal(plan("SELECT filename FROM exec WHERE comm = 'cat' AND filename LIKE '%x' LIMIT 3").limit, undefined);
  assert.equal(plan("SELECT filename FROM exec WHERE comm = 'cat' LIMIT 3", { kernelFilter: false }).limit, undefined);
  assert.match(plan("SELECT filename FROM exec WHERE comm = 'cat' AND filename LIKE '%x' LIMIT 3").residualSql, /LIMIT 3$/);
});

test('constants fold as DuckDB computes them, as signed integers: 3 - 5 is -2 and ~0 is -1', () => {
  const p = plan('SELECT 3 - 5 AS a, ~(39 >> 12) AS b, count(*) FROM exec GROUP BY 3 - 5, ~(39 >> 12)');
  assert.equal(p.kernel.mode.kind, 'aggregate');
  assert.ok(p.kernel.mode.kind === 'aggregate', p.kernel.mode.kind);
  assert.deepEqual(p.kernel.mode.keys.map((k) => [k.expr, k.type]), [
    [{ kind: 'const', value: -2n, signed: true }, { kind: 'int', bits: 64, signed: true }],
    [{ kind: 'const', value: -1n, signed: true }, { kind: 'int', bits: 64, signed: true }],
  ]);
  const f = plan('SELECT count(*) FROM exec WHERE pid > 3 - 5').kernel.filter;
  assert.ok(f && f.kind === 'compare');
  assert.deepEqual([f.right, f.signed], [{ kind: 'const', value: -2n, signed: true }, true]);
  // Beyond 64 signed bits the kernel's wrapping stays: 2^64 - 1 is an unsigned constant.
  const g = plan('SELECT count(*) FROM exec WHERE cgroup_id != 18446744073709551615 - 0').kernel.filter;
  assert.ok(g && g.kind === 'compare');
  assert.deepEqual(g.right, { kind: 'const', value: (1n << 64n) - 1n, signed: false });
});

test('a column qualified by the table is the column: DuckDB gets it without the qualifier', () => {
  for (const opts of [{}, { kernelFilter: false, kernelAggregation: false }]) {
    const p = plan("SELECT open.ret AS r, count(*) FROM open WHERE open.filename LIKE '%x' AND abs(open.dfd) > 1 GROUP BY ret ORDER BY open.ret", opts);
    assert.doesNotMatch(p.residualSql, /open\./);
    assert.match(p.residualSql, /ORDER BY /);
  }
  const s = plan('SELECT open.ret FROM open WHERE abs(open.ret) > 1', { kernelFilter: false });
  assert.equal(s.residualSql.includes('abs(ret) > 1'), true, s.residualSql);
});

test('an unsigned 64-bit column against a negative constant folds: -1 is not 2^64 - 1 (no 64-bit compare orders them)', () => {
  // A WHERE that folds to true leaves no filter; to false, a constant 0 (the program matches nothing).
  const folded = (where: string): bigint | undefined => {
    const p = plan(`SELECT count(*) FROM exec WHERE ${where}`);
    assert.deepEqual(p.residualFilters, [], where);
    const f = p.kernel.filter;
    return f === undefined ? 1n : f.kind === 'const' ? f.value : undefined;
  };
  assert.equal(folded('cgroup_id = -1'), 0n);
  assert.equal(folded('cgroup_id != -1'), 1n);
  assert.equal(folded('cgroup_id > -1'), 1n);
  assert.equal(folded('cgroup_id <= -5'), 0n);
  assert.equal(folded('-1 < cgroup_id'), 1n);
  assert.equal(folded('cgroup_id IN (-1, -2)'), 0n);
  // A signed column against 2^63 or more, likewise.
  assert.equal(folded('pid < 9223372036854775808'), 1n);
  assert.equal(folded('18446744073709551615 = pid'), 0n);
  // Constants within the column's range still compare in the kernel.
  assert.equal(plan('SELECT count(*) FROM exec WHERE cgroup_id > 9223372036854775808').kernel.filter?.kind, 'compare');
  assert.equal(plan('SELECT count(*) FROM exec WHERE pid > -1').kernel.filter?.kind, 'compare');
});
