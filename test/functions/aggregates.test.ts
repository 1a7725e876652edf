// Each aggregate's user-space side on hand-built per-CPU states: the merge, the bucket bounds,
// the quantile rank and error bound, and the checks of constant arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AggregateFunction, AggregateParams, CpuState, ParamLiteral } from '../../src/functions/aggregate.js';
import { AGGREGATES, aggregateFunction } from '../../src/functions/registry.js';
import { HIST_BUCKETS, histBounds } from '../../src/functions/hist.js';
import { LHIST_MAX_BUCKETS, lhistBounds } from '../../src/functions/lhist.js';
import { discreteRank, LOG_LINEAR_BUCKETS, logLinearBounds, logLinearEstimate, QUANTILE_RELATIVE_ERROR } from '../../src/functions/quantile.js';

const NONE: AggregateParams = { kind: 'none' };

/** One CPU's state: its event count and the aggregate's u64 words (as two's complement). */
function cpu(count: number, words: readonly bigint[]): CpuState {
  const view = new DataView(new ArrayBuffer(8 + 8 * words.length));
  view.setBigUint64(0, BigInt(count), true);
  words.forEach((w, i) => view.setBigUint64(8 + 8 * i, BigInt.asUintN(64, w), true));
  return { count: BigInt(count), view, offset: 8 };
}

/** Counters of a bucketed state: `counts` maps a slot to its count. */
function counters(slots: number, counts: Readonly<Record<number, number>>): bigint[] {
  return Array.from({ length: slots }, (_, i) => BigInt(counts[i] ?? 0));
}

/** The words of stddev's state: Σx in two (two's complement), then Σx² in three. */
function stddevWords(values: readonly bigint[]): bigint[] {
  const sum = BigInt.asUintN(128, values.reduce((s, v) => s + v, 0n));
  const squares = values.reduce((s, v) => s + v * v, 0n);
  const words = (v: bigint, n: number): bigint[] => Array.from({ length: n }, (_, i) => BigInt.asUintN(64, v >> BigInt(64 * i)));
  return [...words(sum, 2), ...words(squares, 3)];
}

function sampleStddev(values: readonly number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
}

function params(agg: AggregateFunction, values: readonly ParamLiteral[]): AggregateParams {
  const p = agg.params(values);
  if (p.kind === 'problem') throw new Error(p.reason);
  return p;
}

const int = (v: number): ParamLiteral => ({ kind: 'int', value: BigInt(v) });

test('stddev is the sample standard deviation of the values all CPUs saw', () => {
  const a = [3n, 7n, 7n, 19n];
  const b = [24n, 1n];
  const s = aggregateFunction('stddev').finalize([cpu(a.length, stddevWords(a)), cpu(0, stddevWords([])), cpu(b.length, stddevWords(b))], false, NONE);
  assert.equal(typeof s, 'number');
  assert.ok(Math.abs((s as number) - sampleStddev([3, 7, 7, 19, 24, 1])) < 1e-12);
});

test('stddev of signed values reads Σx as a 128-bit two\'s complement number', () => {
  const a = [-5n, -100n, 3n];
  const b = [-(1n << 40n)];
  const s = aggregateFunction('stddev').finalize([cpu(3, stddevWords(a)), cpu(1, stddevWords(b))], true, NONE) as number;
  const expected = sampleStddev([-5, -100, 3, -(2 ** 40)]);
  assert.ok(Math.abs(s - expected) / expected < 1e-12);
});

test('stddev stays exact where squares and their sum outgrow 64 and 128 bits', () => {
  const big = [1n << 62n, (1n << 62n) + 2n, (1n << 62n) + 4n];
  assert.equal(aggregateFunction('stddev').finalize([cpu(3, stddevWords(big))], false, NONE), 2);
  const max = (1n << 64n) - 1n;
  const huge = [max, max, max - 6n, max - 6n];
  assert.ok(stddevWords(huge)[4]! > 0n, 'Σx² needs a third word');
  assert.equal(aggregateFunction('stddev').finalize([cpu(2, stddevWords(huge.slice(0, 2))), cpu(2, stddevWords(huge.slice(2)))], false, NONE), Math.sqrt(12));
});

test('stddev is NULL for fewer than two values, like DuckDB\'s stddev_samp', () => {
  assert.equal(aggregateFunction('stddev').finalize([cpu(1, stddevWords([42n])), cpu(0, stddevWords([]))], false, NONE), null);
});

test('hist buckets: negatives, zero, then powers of two up to a top bucket that fits BIGINT', () => {
  assert.equal(HIST_BUCKETS, 65);
  assert.deepEqual(histBounds(0), { lo: -(1n << 63n), hi: -1n });
  assert.deepEqual(histBounds(1), { lo: 0n, hi: 0n });
  assert.deepEqual(histBounds(2), { lo: 1n, hi: 1n });
  assert.deepEqual(histBounds(3), { lo: 2n, hi: 3n });
  assert.deepEqual(histBounds(4), { lo: 4n, hi: 7n });
  assert.deepEqual(histBounds(63), { lo: 1n << 61n, hi: (1n << 62n) - 1n });
  assert.deepEqual(histBounds(64), { lo: 1n << 62n, hi: (1n << 63n) - 1n });
  // Adjacent buckets touch: every value from -2^63 to 2^63-1 has exactly one.
  for (let i = 1; i < HIST_BUCKETS; i++) assert.equal(histBounds(i).lo, histBounds(i - 1).hi + 1n);
});

test('hist merges the CPUs and lists only non-empty buckets, in order', () => {
  const a = cpu(4, counters(HIST_BUCKETS, { 0: 1, 3: 2, 64: 1 }));
  const b = cpu(3, counters(HIST_BUCKETS, { 1: 1, 3: 2 }));
  assert.deepEqual(aggregateFunction('hist').finalize([a, cpu(0, counters(HIST_BUCKETS, {})), b], true, NONE), [
    { lo: -(1n << 63n), hi: -1n, count: 1n },
    { lo: 0n, hi: 0n, count: 1n },
    { lo: 2n, hi: 3n, count: 4n },
    { lo: 1n << 62n, hi: (1n << 63n) - 1n, count: 1n },
  ]);
});

test('lhist: underflow, linear buckets (the last cut at hi - 1), overflow', () => {
  const lhist = aggregateFunction('lhist');
  const p = params(lhist, [int(-10), int(25), int(10)]);
  assert.deepEqual(p, { kind: 'linear', lo: -10n, hi: 25n, step: 10n });
  assert.equal(lhist.stateBytes(true, p), 6 * 8);
  assert.deepEqual(lhistBounds(p, 4), { lo: 20n, hi: 24n });
  const state = counters(6, { 0: 2, 1: 1, 4: 3, 5: 7 });
  assert.deepEqual(lhist.finalize([cpu(13, state)], true, p), [
    { lo: -(1n << 63n), hi: -11n, count: 2n },
    { lo: -10n, hi: -1n, count: 1n },
    { lo: 20n, hi: 24n, count: 3n },
    { lo: 25n, hi: (1n << 63n) - 1n, count: 7n },
  ]);
});

test('lhist refuses bounds in the wrong order, a step below 1, floats and too many buckets', () => {
  const lhist = aggregateFunction('lhist');
  assert.deepEqual(lhist.params([int(5), int(5), int(1)]), { kind: 'problem', index: 1, reason: 'hi (5) must be greater than lo (5)' });
  assert.deepEqual(lhist.params([int(0), int(10), int(0)]), { kind: 'problem', index: 2, reason: 'step must be at least 1, not 0' });
  assert.deepEqual(lhist.params([int(0), { kind: 'float', value: 1.5 }, int(1)]), { kind: 'problem', index: 1, reason: 'lo, hi and step must be integers' });
  assert.deepEqual(lhist.params([int(0), int(LHIST_MAX_BUCKETS + 1), int(1)]), {
    kind: 'problem', index: 2, reason: `(hi - lo) / step gives ${LHIST_MAX_BUCKETS + 1} buckets; at most ${LHIST_MAX_BUCKETS} are allowed`,
  });
  assert.equal(lhist.params([int(0), int(LHIST_MAX_BUCKETS), int(1)]).kind, 'linear');
});

test('log-linear buckets: exact below 32, then 32 per power of two, covering every u64', () => {
  assert.equal(LOG_LINEAR_BUCKETS, 1920);
  assert.deepEqual(logLinearBounds(31), { lo: 31n, hi: 31n });
  assert.deepEqual(logLinearBounds(32), { lo: 32n, hi: 32n });
  assert.deepEqual(logLinearBounds(64), { lo: 64n, hi: 65n });
  assert.deepEqual(logLinearBounds(95), { lo: 126n, hi: 127n });
  assert.deepEqual(logLinearBounds(96), { lo: 128n, hi: 131n });
  assert.equal(logLinearBounds(LOG_LINEAR_BUCKETS - 1).hi, (1n << 64n) - 1n);
  for (let i = 1; i < LOG_LINEAR_BUCKETS; i++) assert.equal(logLinearBounds(i).lo, logLinearBounds(i - 1).hi + 1n, `bucket ${i}`);
});

test('every bucket\'s estimate is within 1/64 of every value in it', () => {
  assert.equal(QUANTILE_RELATIVE_ERROR, 1 / 64);
  let worst = 0;
  for (let i = 1; i < LOG_LINEAR_BUCKETS; i++) {
    const { lo, hi } = logLinearBounds(i);
    const est = logLinearEstimate(i);
    // The error is largest at the bucket's ends, relative to the smaller value at lo.
    const err = Math.max(Number(est - lo) / Number(lo), Number(hi - est) / Number(hi));
    worst = Math.max(worst, err);
  }
  assert.ok(worst <= QUANTILE_RELATIVE_ERROR, `worst ${worst}`);
  assert.ok(worst > QUANTILE_RELATIVE_ERROR * 0.95, 'the bound is close to tight');
});

test('the rank follows DuckDB\'s quantile_disc, q read as the decimal written', () => {
  // Values DuckDB gives for range(1, n + 1): index = value - 1.
  const cases: [number, number, number][] = [
    [10, 0.5, 4], [10, 0.25, 2], [10, 0.75, 7], [10, 0.99, 9], [10, 0.1, 0], [10, 0, 0], [10, 1, 9],
    [11, 0.5, 5], [11, 0.25, 2], [11, 0.75, 8], [4, 0.2, 0], [4, 0.3, 1], [4, 0.7, 2],
    // 0.7 * 10 is 7.000000000000001 in floating point; DuckDB's decimal arithmetic gives 7 (index 6).
    [10, 0.7, 6], [1000, 0.999, 998], [3, 1e-7, 0],
  ];
  for (const [n, q, want] of cases) assert.equal(discreteRank(BigInt(n), q), BigInt(want), `n=${n} q=${q}`);
});

test('quantiles merge the CPUs\' buckets and report the middle of the bucket holding the rank', () => {
  const p99 = aggregateFunction('p99');
  // 98 values of 5 on one CPU, one in bucket 96 ([128, 131]) and one in bucket 200 on another.
  const a = cpu(98, counters(LOG_LINEAR_BUCKETS, { 5: 98 }));
  const b = cpu(2, counters(LOG_LINEAR_BUCKETS, { 96: 1, 200: 1 }));
  const pr = params(p99, []);
  assert.deepEqual(pr, { kind: 'quantile', q: 0.99 });
  // n = 100: rank 98 (0-based) is the value in bucket 96.
  assert.equal(p99.finalize([a, b], false, pr), 129n);
  assert.equal(aggregateFunction('p50').finalize([a, b], false, params(aggregateFunction('p50'), [])), 5n);
  assert.equal(aggregateFunction('p999').finalize([a, b], false, params(aggregateFunction('p999'), [])), logLinearEstimate(200));
});

test('signed quantiles: negative values in the mirrored half, ordered before the others', () => {
  const q = aggregateFunction('quantile');
  const slots = 2 * LOG_LINEAR_BUCKETS;
  assert.equal(q.stateBytes(true, NONE), slots * 8);
  assert.equal(q.stateBytes(false, NONE), LOG_LINEAR_BUCKETS * 8);
  // Values: -130 (magnitude bucket 96), -3 (3), 0, 7.
  const state = cpu(4, counters(slots, { [LOG_LINEAR_BUCKETS + 96]: 1, [LOG_LINEAR_BUCKETS + 3]: 1, 0: 1, 7: 1 }));
  const at = (value: number): bigint | number | null => q.finalize([state], true, params(q, [{ kind: 'float', value }])) as bigint | number | null;
  assert.equal(at(0), -129n);
  assert.equal(at(0.5), -3n);
  assert.equal(at(0.75), 0n);
  assert.equal(at(1), 7n);
});

test('quantile takes q from 0 to 1, written as an integer or a float', () => {
  const q = aggregateFunction('quantile');
  assert.deepEqual(q.paramNames, ['q']);
  assert.deepEqual(q.params([int(1)]), { kind: 'quantile', q: 1 });
  assert.deepEqual(q.params([{ kind: 'float', value: 0.25 }]), { kind: 'quantile', q: 0.25 });
  assert.deepEqual(q.params([{ kind: 'float', value: 1.5 }]), { kind: 'problem', index: 0, reason: 'q must be between 0 and 1, not 1.5' });
  assert.deepEqual(q.params([int(-1)]), { kind: 'problem', index: 0, reason: 'q must be between 0 and 1, not -1' });
});

test('the quantile family shares one state, stddev and variance another; other aggregates keep their own', () => {
  const family = (name: string): string[] => AGGREGATES.filter((f) => f.stateFamily === name).map((f) => f.name);
  assert.deepEqual(family('log-linear'), ['quantile', 'p50', 'p90', 'p95', 'p99', 'p999']);
  assert.deepEqual(family('moments'), ['stddev', 'variance']);
  assert.deepEqual(AGGREGATES.filter((f) => f.stateFamily === undefined).map((f) => f.name), ['count', 'sum', 'min', 'max', 'avg', 'hist', 'lhist']);
});

test('quantile ranks for q written with an exponent (below 1e-6, String(q) is 1e-7): the decimal is still exact', () => {
  // DuckDB's quantile_disc: 0-based index max(1, ceil(n q)) - 1.
  assert.equal(String(1e-7), '1e-7');
  assert.equal(discreteRank(100_000_000n, 1e-7), 9n);
  assert.equal(discreteRank(30_000_001n, 5e-7), 15n);
  assert.equal(discreteRank(3n, 1e-7), 0n);
});
