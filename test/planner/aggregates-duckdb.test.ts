// DuckDB's side of hist, lhist and the quantiles (the macros a session defines) against the
// kernel's user-space side on the same values: the bucket lists must be equal, and each kernel
// quantile within the stated bound of DuckDB's exact quantile_disc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bucket } from '../../src/catalog/types.js';
import type { AggregateFunction, AggregateParams, CpuState } from '../../src/functions/aggregate.js';
import { duckdbAggregateMacros } from '../../src/functions/duckdb-macros.js';
import { HIST_BUCKETS, histBounds } from '../../src/functions/hist.js';
import { linearBuckets, lhistBounds } from '../../src/functions/lhist.js';
import { LOG_LINEAR_BUCKETS, logLinearBounds, QUANTILE_RELATIVE_ERROR } from '../../src/functions/quantile.js';
import { aggregateFunction } from '../../src/functions/registry.js';
import { Session } from '../../src/store/session.js';

type Bounds = (i: number) => { readonly lo: bigint; readonly hi: bigint };

/** A one-CPU state with each value counted in the slot whose bounds hold it (as the kernel does). */
function stateOf(values: readonly bigint[], slots: number, slotOf: (v: bigint) => number): CpuState {
  const view = new DataView(new ArrayBuffer(8 * (1 + slots)));
  view.setBigUint64(0, BigInt(values.length), true);
  for (const v of values) {
    const at = 8 + 8 * slotOf(v);
    view.setBigUint64(at, view.getBigUint64(at, true) + 1n, true);
  }
  return { count: BigInt(values.length), view, offset: 8 };
}

function slotIn(bounds: Bounds, slots: number): (v: bigint) => number {
  return (v) => {
    for (let i = 0; i < slots; i++) if (bounds(i).lo <= v && v <= bounds(i).hi) return i;
    throw new Error(`no bucket holds ${v}`);
  };
}

/** Where a value of a signed argument goes in a log-linear state: the magnitude's bucket, in the negative half if below 0. */
function logLinearSlot(v: bigint): number {
  const bucket = slotIn(logLinearBounds, LOG_LINEAR_BUCKETS)(v < 0n ? -v : v);
  return v < 0n ? LOG_LINEAR_BUCKETS + bucket : bucket;
}

function asBuckets(v: unknown): Bucket[] {
  assert.ok(Array.isArray(v));
  return v.map((b: { lo: number | bigint; hi: number | bigint; count: number | bigint }) => ({ lo: BigInt(b.lo), hi: BigInt(b.hi), count: BigInt(b.count) }));
}

const VALUES: readonly bigint[] = [
  -(1n << 63n), -123456789n, -1000n, -22n, -1n, 0n, 0n, 1n, 2n, 3n, 4n, 7n, 8n, 31n, 32n, 33n, 63n, 64n, 100n, 127n, 128n, 999n, 1000n,
  1001n, 65535n, 65536n, 123456n, 1n << 40n, (1n << 40n) + 12345n, (1n << 62n) - 1n, 1n << 62n, (1n << 63n) - 1n,
];

async function withValues(values: readonly bigint[], type: string, f: (s: Session) => Promise<void>): Promise<void> {
  const s = await Session.open();
  try {
    for (const sql of duckdbAggregateMacros()) await s.run(sql);
    await s.run(`CREATE TABLE v (x ${type})`);
    await s.run(`INSERT INTO v VALUES ${values.map((x) => `(${x})`).join(', ')}`);
    await f(s);
  } finally {
    await s.close();
  }
}

async function one(s: Session, sql: string): Promise<unknown> {
  const r = await s.run(sql);
  assert.equal(r.rows.length, 1);
  return r.rows[0]![0];
}

test('hist: DuckDB\'s macro and the kernel\'s buckets agree, signed and unsigned', async () => {
  const NONE: AggregateParams = { kind: 'none' };
  await withValues(VALUES, 'BIGINT', async (s) => {
    assert.equal((await s.run('SELECT hist(x) FROM v')).columns[0]!.type, 'STRUCT("lo" BIGINT, "hi" BIGINT, "count" UBIGINT)[]');
    const kernel = aggregateFunction('hist').finalize([stateOf(VALUES, HIST_BUCKETS, slotIn(histBounds, HIST_BUCKETS))], true, NONE);
    assert.deepEqual(asBuckets(await one(s, 'SELECT hist(x) FROM v')), kernel);
  });
  // Unsigned values of 2^63 and more count in the top bucket.
  const unsigned = [0n, 5n, 1n << 62n, 1n << 63n, (1n << 64n) - 1n];
  await withValues(unsigned, 'UBIGINT', async (s) => {
    assert.deepEqual(asBuckets(await one(s, 'SELECT hist(x) FROM v')), [
      { lo: 0n, hi: 0n, count: 1n },
      { lo: 4n, hi: 7n, count: 1n },
      { lo: 1n << 62n, hi: (1n << 63n) - 1n, count: 3n },
    ]);
  });
});

test('lhist: DuckDB\'s macro and the kernel\'s buckets agree for several bounds', async () => {
  const cases: [bigint, bigint, bigint][] = [[0n, 100n, 10n], [-1000n, 1000n, 7n], [-50n, 50n, 100n], [1n << 40n, (1n << 40n) + 100000n, 999n], [-(1n << 63n), 0n, 1n << 60n]];
  await withValues(VALUES, 'BIGINT', async (s) => {
    for (const [lo, hi, step] of cases) {
      const p = { kind: 'linear', lo, hi, step } as const;
      const slots = linearBuckets(p) + 2;
      const kernel = aggregateFunction('lhist').finalize([stateOf(VALUES, slots, slotIn((i) => lhistBounds(p, i), slots))], true, p);
      assert.deepEqual(asBuckets(await one(s, `SELECT lhist(x, ${lo}, ${hi}, ${step}) FROM v`)), kernel, `lhist(x, ${lo}, ${hi}, ${step})`);
    }
  });
});

test('lhist of an unsigned column with a negative lo: nothing underflows', async () => {
  await withValues([0n, 3n, 1n << 63n], 'UBIGINT', async (s) => {
    assert.deepEqual(asBuckets(await one(s, 'SELECT lhist(x, -4, 4, 4) FROM v')), [
      { lo: 0n, hi: 3n, count: 2n },
      { lo: 4n, hi: (1n << 63n) - 1n, count: 1n },
    ]);
  });
});

test('p50…p999 are DuckDB\'s quantile_disc, which the kernel\'s estimates approach within 1/64', async () => {
  const quantiles: [string, AggregateFunction, string][] = [
    ['p50(x)', aggregateFunction('p50'), 'quantile_disc(x, 0.5)'],
    ['p90(x)', aggregateFunction('p90'), 'quantile_disc(x, 0.9)'],
    ['p95(x)', aggregateFunction('p95'), 'quantile_disc(x, 0.95)'],
    ['p99(x)', aggregateFunction('p99'), 'quantile_disc(x, 0.99)'],
    ['p999(x)', aggregateFunction('p999'), 'quantile_disc(x, 0.999)'],
    ['quantile(x, 0.3)', aggregateFunction('quantile'), 'quantile_disc(x, 0.3)'],
  ];
  // A spread of values where each rank lands in a wide bucket.
  const values = Array.from({ length: 1000 }, (_, i) => BigInt(Math.round(1.013 ** i * 97)) * (i % 7 === 0 ? -1n : 1n));
  const state = stateOf(values, 2 * LOG_LINEAR_BUCKETS, logLinearSlot);
  await withValues(values, 'BIGINT', async (s) => {
    for (const [call, agg, exact] of quantiles) {
      const [[got, want]] = (await s.run(`SELECT ${call}, ${exact} FROM v`)).rows as [[number, number]];
      assert.equal(got, want, call);
      const p = agg.params(call.startsWith('quantile') ? [{ kind: 'float', value: 0.3 }] : []);
      assert.ok(p.kind === 'quantile');
      const estimate = Number(agg.finalize([state], true, p));
      assert.ok(Math.abs(estimate - want) <= Math.abs(want) * QUANTILE_RELATIVE_ERROR, `${call}: ${estimate} vs ${want}`);
      assert.notEqual(estimate, want, `${call}: the test should exercise a wide bucket`);
    }
  });
});

test('macros are temporary: defining them twice in one session is fine', async () => {
  const s = await Session.open();
  try {
    for (const sql of [...duckdbAggregateMacros(), ...duckdbAggregateMacros()]) await s.run(sql);
    assert.deepEqual((await s.run("SELECT count(*) FROM duckdb_functions() WHERE function_name IN ('hist', 'lhist', 'p50', 'p90', 'p95', 'p99', 'p999') AND database_name = 'temp'")).rows, [[7]]);
  } finally {
    await s.close();
  }
});
