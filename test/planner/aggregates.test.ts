// Planning stddev, hist, lhist and the quantiles: kernel aggregates with their result types,
// constant parameters and shared states; diagnostics for wrong constants; map sizing; and the
// DuckDB calls kept when the query streams.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QueryError } from '../../src/diag/diagnostic.js';
import { parseStatement } from '../../src/query/parse.js';
import type { AggregateMode, Plan } from '../../src/planner/plan.js';
import { planQuery, type PlanOptions } from '../../src/planner/planner.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

const EXIT = 'tracepoint.syscalls.sys_exit_openat';

function plan(sql: string, opts: PlanOptions = {}): Plan {
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error('not a query');
  return planQuery(s.query, fixtureCatalog(), fixturePlannerEnv, opts);
}

function aggregateMode(p: Plan): AggregateMode {
  if (p.kernel.mode.kind !== 'aggregate') throw new Error(`planned as ${p.kernel.mode.kind}`);
  return p.kernel.mode;
}

/** The diagnostic a query fails with, and the text its span covers. */
function planError(sql: string, opts: PlanOptions = {}): { code: string; at: string; params: unknown } {
  try {
    plan(sql, opts);
  } catch (e) {
    if (e instanceof QueryError) {
      const d = e.diagnostics[0]!;
      return { code: d.code, at: sql.slice(d.span.start, d.span.end), params: d.params };
    }
    throw e;
  }
  throw new Error(`planning '${sql}' succeeded`);
}

test('stddev, hist, lhist and the quantiles are kernel aggregates with their result types', () => {
  const p = plan(`SELECT stddev(ret), hist(ret), lhist(ret, -100, 100, 10), quantile(ret, 0.25), p99(ret) FROM ${EXIT}`);
  const mode = aggregateMode(p);
  assert.deepEqual(mode.aggregates.map((a) => [a.fn, a.resultType.kind === 'int' ? `${a.resultType.signed ? 's' : 'u'}${a.resultType.bits}` : a.resultType.kind, a.offset]), [
    ['stddev', 'float', 8],
    ['hist', 'buckets', 48],
    ['lhist', 'buckets', 568],
    ['quantile', 's64', 568 + 22 * 8],
    ['p99', 's64', 568 + 22 * 8],
  ]);
  assert.deepEqual(mode.aggregates.map((a) => a.params), [
    { kind: 'none' },
    { kind: 'none' },
    { kind: 'linear', lo: -100n, hi: 100n, step: 10n },
    { kind: 'quantile', q: 0.25 },
    { kind: 'quantile', q: 0.99 },
  ]);
  assert.equal(mode.aggregates[4]!.stateOf, 'a3');
  assert.equal(mode.valueSize, 568 + 22 * 8 + 2 * 1920 * 8);
  assert.deepEqual(p.kernelColumns.map((c) => [c.name, c.type.kind]), [['a0', 'float'], ['a1', 'buckets'], ['a2', 'buckets'], ['a3', 'int'], ['a4', 'int']]);
  assert.equal(p.residualSql, 'SELECT a0 AS "stddev(ret)", a1 AS "hist(ret)", a2 AS "lhist(ret, -100, 100, 10)", a3 AS "quantile(ret, 0.25)", a4 AS "p99(ret)" FROM __bpfql_kernel');
});

test('quantiles of an unsigned argument are unsigned and need half the state', () => {
  const mode = aggregateMode(plan(`SELECT p50(count), p90(count) FROM tracepoint.syscalls.sys_enter_read`));
  assert.deepEqual(mode.aggregates.map((a) => [a.resultType, a.offset, a.stateOf ?? '-']), [
    [{ kind: 'int', bits: 64, signed: false }, 8, '-'],
    [{ kind: 'int', bits: 64, signed: false }, 8, 'a0'],
  ]);
  assert.equal(mode.valueSize, 8 + 1920 * 8);
});

test('large values get fewer keys by default; maxEntries overrides', () => {
  assert.equal(aggregateMode(plan(`SELECT comm, count(*) FROM ${EXIT} GROUP BY comm`)).maxEntries, 65536);
  assert.equal(aggregateMode(plan(`SELECT comm, hist(ret) FROM ${EXIT} GROUP BY comm`)).maxEntries, Math.floor((8 << 20) / 528));
  assert.equal(aggregateMode(plan(`SELECT comm, p99(ret) FROM ${EXIT} GROUP BY comm`)).maxEntries, Math.floor((8 << 20) / 30728));
  assert.equal(aggregateMode(plan(`SELECT comm, p99(ret) FROM ${EXIT} GROUP BY comm`, { maxEntries: 4096 })).maxEntries, 4096);
});

test('states beyond what a per-CPU map value may hold stream to DuckDB instead', () => {
  const p = plan(`SELECT p99(ret), p99(ret + (-1)) FROM ${EXIT}`);
  assert.equal(p.kernel.mode.kind, 'stream');
  assert.equal(p.residualSql, 'SELECT p99(ret) AS "p99(ret)", p99(ret + -1) AS "p99(ret + -1)" FROM __bpfql_kernel');
});

test('streamed, the calls go to DuckDB unchanged, for its macros and built-ins to compute', () => {
  const p = plan(`SELECT comm, stddev(ret), hist(ret), lhist(ret, 0, 100, 10), quantile(ret, 0.5), p999(ret) FROM ${EXIT} GROUP BY comm`, { kernelAggregation: false });
  assert.equal(p.kernel.mode.kind, 'stream');
  assert.equal(
    p.residualSql,
    'SELECT comm AS comm, stddev(ret) AS "stddev(ret)", hist(ret) AS "hist(ret)", lhist(ret, 0, 100, 10) AS "lhist(ret, 0, 100, 10)", quantile(ret, 0.5) AS "quantile(ret, 0.5)", p999(ret) AS "p999(ret)" FROM __bpfql_kernel GROUP BY comm',
  );
});

test('wrong numbers of arguments are wrong-arity at the call', () => {
  assert.deepEqual(planError(`SELECT lhist(ret, 0, 10) FROM ${EXIT}`), { code: 'wrong-arity', at: 'lhist(ret, 0, 10)', params: { name: 'lhist', expected: '4', found: 3 } });
  assert.deepEqual(planError(`SELECT p99(ret, 0.5) FROM ${EXIT}`), { code: 'wrong-arity', at: 'p99(ret, 0.5)', params: { name: 'p99', expected: '1', found: 2 } });
  assert.deepEqual(planError(`SELECT quantile(ret) FROM ${EXIT}`), { code: 'wrong-arity', at: 'quantile(ret)', params: { name: 'quantile', expected: '2', found: 1 } });
  assert.deepEqual(planError(`SELECT hist(*) FROM ${EXIT}`), { code: 'wrong-arity', at: 'hist(*)', params: { name: 'hist', expected: '1', found: 0 } });
});

test('constants that are not number literals, or out of range, are bad-argument at the argument', () => {
  assert.deepEqual(planError(`SELECT lhist(ret, 0, pid, 1) FROM ${EXIT}`), { code: 'bad-argument', at: 'pid', params: { name: 'lhist', reason: 'hi must be a number literal' } });
  assert.deepEqual(planError(`SELECT lhist(ret, 10, 0, 1) FROM ${EXIT}`), { code: 'bad-argument', at: '0', params: { name: 'lhist', reason: 'hi (0) must be greater than lo (10)' } });
  assert.deepEqual(planError(`SELECT lhist(ret, 0, 10, -2) FROM ${EXIT}`), { code: 'bad-argument', at: '-2', params: { name: 'lhist', reason: 'step must be at least 1, not -2' } });
  assert.deepEqual(planError(`SELECT lhist(ret, 0.5, 10, 1) FROM ${EXIT}`), { code: 'bad-argument', at: '0.5', params: { name: 'lhist', reason: 'lo, hi and step must be integers' } });
  assert.deepEqual(planError(`SELECT quantile(ret, 1.5) FROM ${EXIT}`), { code: 'bad-argument', at: '1.5', params: { name: 'quantile', reason: 'q must be between 0 and 1, not 1.5' } });
  assert.deepEqual(planError(`SELECT quantile(ret, 'x') FROM ${EXIT}`), { code: 'bad-argument', at: "'x'", params: { name: 'quantile', reason: 'q must be a number literal' } });
});

test('constants are checked in HAVING and ORDER BY, and when DuckDB computes the aggregates', () => {
  assert.equal(planError(`SELECT comm FROM ${EXIT} GROUP BY comm HAVING quantile(ret, 2) > 0`).at, '2');
  assert.equal(planError(`SELECT comm FROM ${EXIT} GROUP BY comm ORDER BY lhist(ret, 5, 1, 1)`).at, '1');
  assert.deepEqual(planError(`SELECT quantile(ret, -0.5) FROM ${EXIT}`, { kernelAggregation: false }), {
    code: 'bad-argument', at: '-0.5', params: { name: 'quantile', reason: 'q must be between 0 and 1, not -0.5' },
  });
});
