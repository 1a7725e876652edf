// Generated programs run by the kernel on records the test builds (BPF_PROG_TEST_RUN, no live
// event): every comparison and its negation over boundary values of every integer width and
// signedness, AND/OR/NOT, IN, BETWEEN and string filters, the bucket each value lands in for
// hist, lhist and the quantiles, count/sum/min/max/avg/stddev/variance merged over two CPUs, streamed
// records, and the lost-record and map-full counters. Expected answers are computed here with
// exact integer arithmetic (SQL semantics: compare numbers, not bit patterns).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { kernelPlannerEnv } from '../../src/runtime/kernel-env.js';
import { possibleCpus } from '../../src/kernel/cpus.js';
import { needsRoot } from './kernel-root.js';
import { FIELDS_TABLE, batchRows, fieldRange, fieldsRecord, withTestRun, wordsRecord, type RecordValues, type TestRun } from '../helpers/test-run.js';
import { logLinearMiddle } from '../helpers/log-linear.js';

const skip = needsRoot || (possibleCpus() < 2 ? 'the per-CPU tests need two CPUs' : false);

const INT_FIELDS = ['s8', 'u8', 's16', 'u16', 's32', 'u32', 's64', 'u64'] as const;
const MIN64 = -(2n ** 63n);
const MAX64 = 2n ** 63n - 1n;
const MAXU64 = 2n ** 64n - 1n;

const COMPARE: Readonly<Record<string, (a: bigint, b: bigint) => boolean>> = {
  '=': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

const big = (v: unknown): bigint => {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  throw new Error(`not an integer: ${String(v)}`);
};
const sorted = (vs: Iterable<bigint>): bigint[] => [...new Set(vs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** The sample variance from exact integer sums, as the kernel's 128/192-bit sums allow; NULL below two values. */
function exactVariance(xs: readonly bigint[]): number | null {
  const n = BigInt(xs.length);
  if (n < 2n) return null;
  const sum = xs.reduce((s, x) => s + x, 0n);
  const ss = xs.reduce((s, x) => s + x * x, 0n);
  return Number(ss * n - sum * sum) / Number(n * (n - 1n));
}

/** SQL text of an integer constant (the smallest s64 has no positive literal of its type). */
const lit = (v: bigint): string => (v === MIN64 ? `(${MIN64 + 1n} - 1)` : String(v));

/** Runs the program on one record per value of `field`; the values whose group it counted. */
function passing(t: TestRun, field: string, values: readonly bigint[]): bigint[] {
  for (const v of values) t.run(fieldsRecord({ [field]: v }));
  return sorted(batchRows(t.aggregate()).map((r) => big(r[0])));
}

/** Constants worth comparing a field with: its ends, around zero, and just outside its range. */
function constantsFor(field: string): bigint[] {
  const { lo, hi } = fieldRange(field);
  const cs = [lo, -1n, 0n, 1n, 100n, hi];
  if (lo > MIN64) cs.push(lo - 1n);
  if (hi < MAXU64) cs.push(hi + 1n);
  if (field === 'u64') cs.push(MAX64, MIN64);
  if (field === 's64') cs.push(2n ** 40n, -(2n ** 40n), MAXU64);
  return sorted(cs);
}

/** Record values around every constant, and the field's ends. */
function valuesFor(field: string): bigint[] {
  const { lo, hi } = fieldRange(field);
  const vs = [lo, lo + 1n, -2n, -1n, 0n, 1n, 2n, hi - 1n, hi];
  for (const c of constantsFor(field)) vs.push(c - 1n, c, c + 1n);
  return sorted(vs.filter((v) => v >= lo && v <= hi));
}

for (const field of INT_FIELDS) {
  test(`WHERE on ${field}: every comparison and its negation, at and around each boundary`, { skip }, async () => {
    const values = valuesFor(field);
    for (const c of constantsFor(field)) {
      for (const [op, holds] of Object.entries(COMPARE)) {
        for (const negated of [false, true]) {
          const cond = `${field} ${op} ${lit(c)}`;
          const where = negated ? `NOT (${cond})` : cond;
          const sql = `SELECT ${field}, count(*) FROM ${FIELDS_TABLE} WHERE ${where} GROUP BY ${field}`;
          await withTestRun(sql, (t) => {
            assert.deepEqual(t.plan.residualFilters, [], `${sql}: the whole WHERE runs in the kernel`);
            const want = values.filter((v) => holds(v, c) !== negated);
            assert.deepEqual(passing(t, field, values), want, sql);
          }, { maxEntries: 64 });
        }
      }
    }
  });
}

/** Records over a grid of two fields, and what a condition over them keeps. */
const GRID_S32 = [MIN64 >> 32n, -11n, -6n, -5n, -3n, -2n, -1n, 0n, 1n, 3n, 4n, 7n, 10n, 11n, 2n ** 31n - 1n];
const GRID_U16 = [0n, 3n, 9n, 10n, 65535n];

const LOGIC: readonly { readonly where: string; readonly keeps: (s: bigint, u: bigint) => boolean }[] = [
  { where: 's32 > 0 AND u16 < 10', keeps: (s, u) => s > 0n && u < 10n },
  { where: 's32 > 0 OR u16 < 10', keeps: (s, u) => s > 0n || u < 10n },
  { where: 'NOT (s32 > 0 AND u16 < 10)', keeps: (s, u) => !(s > 0n && u < 10n) },
  { where: 'NOT (s32 > 0 OR u16 < 10)', keeps: (s, u) => !(s > 0n || u < 10n) },
  { where: 'NOT s32 > 0 AND NOT u16 = 3', keeps: (s, u) => !(s > 0n) && u !== 3n },
  { where: '(s32 < -5 OR s32 > 7) AND (u16 = 3 OR u16 >= 10)', keeps: (s, u) => (s < -5n || s > 7n) && (u === 3n || u >= 10n) },
  { where: 's32 < -5 OR s32 > 7 AND u16 = 3', keeps: (s, u) => s < -5n || (s > 7n && u === 3n) },
  { where: 's32 IN (-5, 0, 7, 2147483647)', keeps: (s) => [-5n, 0n, 7n, 2147483647n].includes(s) },
  { where: 's32 NOT IN (-5, 0, 7)', keeps: (s) => ![-5n, 0n, 7n].includes(s) },
  { where: 'u16 IN (3, 65535) AND s32 IN (1)', keeps: (s, u) => (u === 3n || u === 65535n) && s === 1n },
  { where: 'NOT (u16 IN (0, 9))', keeps: (_s, u) => u !== 0n && u !== 9n },
  { where: 's32 BETWEEN -2 AND 3', keeps: (s) => s >= -2n && s <= 3n },
  { where: 's32 NOT BETWEEN -2 AND 3', keeps: (s) => s < -2n || s > 3n },
  { where: 'NOT (s32 BETWEEN -2 AND 3)', keeps: (s) => s < -2n || s > 3n },
  { where: 's32 BETWEEN 3 AND -2', keeps: () => false },
  { where: 'u16 BETWEEN 3 AND 10 AND s32 BETWEEN -6 AND -6', keeps: (s, u) => u >= 3n && u <= 10n && s === -6n },
  { where: 's32 OR u16 = 3', keeps: (s, u) => s !== 0n || u === 3n },
  { where: 'NOT (u16 & 1)', keeps: (_s, u) => (u & 1n) === 0n },
  { where: '(s32 & 4) AND u16 > 2', keeps: (s, u) => (s & 4n) !== 0n && u > 2n },
  { where: '-s32 AND u16', keeps: (s, u) => s !== 0n && u !== 0n },
  { where: 'NOT s32 OR NOT u16', keeps: (s, u) => s === 0n || u === 0n },
  { where: 's32 + 1 > u16', keeps: (s, u) => s + 1n > u },
  { where: 's32 * 2 <= -10 OR u16 - 3 = 0', keeps: (s, u) => s * 2n <= -10n || u - 3n === 0n },
];

for (const { where, keeps } of LOGIC) {
  test(`WHERE ${where}`, { skip }, () =>
    withTestRun(`SELECT s32, u16, count(*) FROM ${FIELDS_TABLE} WHERE ${where} GROUP BY s32, u16`, (t) => {
      assert.deepEqual(t.plan.residualFilters, []);
      const want: string[] = [];
      for (const s of GRID_S32) {
        for (const u of GRID_U16) {
          t.run(fieldsRecord({ s32: s, u16: u }));
          if (keeps(s, u)) want.push(`${s},${u}`);
        }
      }
      const got = batchRows(t.aggregate()).map((r) => {
        assert.equal(big(r[2]), 1n);
        return `${big(r[0])},${big(r[1])}`;
      });
      assert.deepEqual(got.sort(), want.sort());
    }, { maxEntries: 128 }));
}

test('string filters: equality, inequality and a LIKE prefix on a char array and a __data_loc string', { skip }, async () => {
  const records: RecordValues[] = [
    { s32: 1n, label: 'abc', path: '/etc/x' },
    { s32: 2n, label: 'abcd', path: '/etc/xy' },
    { s32: 3n, label: 'ab', path: '/et' },
    { s32: 4n, label: '', path: '' },
    { s32: 5n, label: 'abcdefghijklmno', path: '/etc' },
    { s32: 6n, label: 'xbc', path: '/tmp/etc/x' },
  ];
  const cases: readonly [string, readonly bigint[]][] = [
    ["label = 'abc'", [1n]],
    ["label != 'abc'", [2n, 3n, 4n, 5n, 6n]],
    ["label LIKE 'ab%'", [1n, 2n, 3n, 5n]],
    ["label LIKE 'abc%' AND NOT label = 'abc'", [2n, 5n]],
    ["label = 'abcdefghijklmno'", [5n]],
    ["label = ''", [4n]],
    ["path = '/etc/x'", [1n]],
    ["path LIKE '/etc%'", [1n, 2n, 5n]],
    ["path LIKE '/etc/%' OR label = 'ab'", [1n, 2n, 3n]],
  ];
  for (const [where, want] of cases) {
    await withTestRun(`SELECT s32, count(*) FROM ${FIELDS_TABLE} WHERE ${where} GROUP BY s32`, (t) => {
      assert.deepEqual(t.plan.residualFilters, [], where);
      for (const r of records) t.run(fieldsRecord(r));
      assert.deepEqual(sorted(batchRows(t.aggregate()).map((r) => big(r[0]))), want, where);
    }, { maxEntries: 16 });
  }
});

/** Powers of two and their neighbours, within [lo, hi]. */
function edges(lo: bigint, hi: bigint): bigint[] {
  const vs = [lo, hi, 0n];
  for (let k = 0n; k <= 64n; k++) for (const p of [2n ** k, -(2n ** k)]) vs.push(p - 1n, p, p + 1n);
  return sorted(vs.filter((v) => v >= lo && v <= hi));
}

/** hist's bucket, as the README states it. */
function histBucket(v: bigint): [bigint, bigint] {
  if (v < 0n) return [MIN64, -1n];
  if (v === 0n) return [0n, 0n];
  if (v >= 2n ** 62n) return [2n ** 62n, MAX64];
  let k = 0n;
  while (v >> (k + 1n) > 0n) k++;
  return [2n ** k, 2n ** (k + 1n) - 1n];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the program on a record that makes a new key, again if the insert failed. A map without
 * preallocation takes each new key's per-CPU value from memory the kernel tops up in the
 * background (a kworker); a burst of inserts from one busy thread, as here, can find it empty
 * and count a failed update though the map has room. Waiting lets the kworker run.
 */
async function runNewKey(t: TestRun, record: Buffer): Promise<void> {
  for (let tries = 0; ; tries++) {
    const before = t.stats().total.mapFull;
    t.run(record, 0);
    if (t.stats().total.mapFull === before) return;
    if (tries === 100) throw new Error('inserts into a map with room keep failing');
    await sleep(2);
  }
}

/** Runs `sql` (grouping by `field`, one bucket aggregate) over each value, one group each. */
async function singleBuckets(sql: string, field: string, values: readonly bigint[]): Promise<Map<bigint, unknown>> {
  return withTestRun(sql, async (t) => {
    for (const v of values) await runNewKey(t, fieldsRecord({ [field]: v }));
    const rows = batchRows(t.aggregate());
    assert.equal(rows.length, values.length);
    return new Map(rows.map((r) => [big(r[0]), r[1]]));
  }, { maxEntries: values.length });
}

const bucketTriples = (b: unknown): bigint[][] => (b as { lo: bigint; hi: bigint; count: bigint }[]).map((x) => [x.lo, x.hi, x.count]);

for (const field of ['s64', 'u64', 's8', 'u32'] as const) {
  test(`hist(${field}): each value at a power-of-two edge lands in its bucket`, { skip }, async () => {
    const { lo, hi } = fieldRange(field);
    const values = edges(lo, hi);
    const got = await singleBuckets(`SELECT ${field}, hist(${field}) FROM ${FIELDS_TABLE} GROUP BY ${field}`, field, values);
    for (const v of values) assert.deepEqual(bucketTriples(got.get(v)), [[...histBucket(v), 1n]], `hist of ${v}`);
  });
}

const LHISTS: readonly [string, bigint, bigint, bigint][] = [
  ['s64', -100n, 100n, 7n],
  ['s64', -10_000_000_000n, 10_000_000_000n, 3_000_000_000n],
  ['u32', 0n, 1000n, 100n],
  ['s16', -5n, 5n, 1n],
];

for (const [field, lo, hi, step] of LHISTS) {
  test(`lhist(${field}, ${lo}, ${hi}, ${step}): every bucket edge, the underflow and the overflow`, { skip }, async () => {
    const range = fieldRange(field);
    const vs: bigint[] = [range.lo, range.hi, lo - 1n, lo, hi - 1n, hi, hi + 1n];
    for (let b = lo; b < hi; b += step) vs.push(b - 1n, b, b + 1n, b + step - 1n);
    const values = sorted(vs.filter((v) => v >= range.lo && v <= range.hi));
    const bucket = (v: bigint): [bigint, bigint] => {
      if (v < lo) return [MIN64, lo - 1n];
      if (v >= hi) return [hi, MAX64];
      const b = lo + ((v - lo) / step) * step;
      return [b, b + step - 1n < hi - 1n ? b + step - 1n : hi - 1n];
    };
    const got = await singleBuckets(`SELECT ${field}, lhist(${field}, ${lit(lo)}, ${hi}, ${step}) FROM ${FIELDS_TABLE} GROUP BY ${field}`, field, values);
    for (const v of values) assert.deepEqual(bucketTriples(got.get(v)), [[...bucket(v), 1n]], `lhist bucket of ${v}`);
  });
}

test('quantile ranks over many values of one group follow quantile_disc, within 1/64', { skip }, () =>
  withTestRun(`SELECT quantile(s64, 0.25), p50(s64), p90(s64), p99(s64), quantile(s64, 0), quantile(s64, 1) FROM ${FIELDS_TABLE}`, (t) => {
    const values: bigint[] = [];
    for (let i = 0n; i < 200n; i++) values.push(i * i * 37n - 5000n);
    values.forEach((v, i) => t.run(fieldsRecord({ s64: v }), i % 2));
    const exact = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const at = (q: number): bigint => exact[Math.max(1, Math.ceil(values.length * q)) - 1]!;
    const [row] = batchRows(t.aggregate());
    const want = [0.25, 0.5, 0.9, 0.99, 0, 1].map((q) => {
      const x = at(q);
      return x < 0n ? -logLinearMiddle(-x) : logLinearMiddle(x);
    });
    assert.deepEqual(row!.map(big), want);
  }));

test('count, sum, min, max, avg and stddev merge exactly over two CPUs, per group', { skip }, () =>
  withTestRun(
    `SELECT u8, count(*), sum(s64), min(s64), max(s64), avg(s64), stddev(s64), sum(u32), min(u32), max(u32), count(s64) FROM ${FIELDS_TABLE} GROUP BY u8`,
    (t) => {
      // Group 1: all negative (a max that started from 0 would show 0); its first events are on CPU 1.
      // Group 2: the key is inserted by CPU 0, then CPU 1's first event must still set min and max.
      // Group 3: large magnitudes, so the sums need more than 64 bits on the way (not at the end).
      const events: [bigint, bigint, bigint, number][] = [
        [1n, -5n, 7n, 1], [1n, -9n, 0n, 1], [1n, -7n, 4294967295n, 0], [1n, -6n, 1n, 0],
        [2n, 50n, 10n, 0], [2n, 80n, 20n, 1], [2n, 70n, 30n, 1], [2n, 60n, 5n, 0],
        [3n, MAX64, 1n, 0], [3n, MAX64 - 1n, 2n, 1], [3n, MIN64, 3n, 1], [3n, MIN64 + 5n, 4n, 0],
        // Group 4: large values close together: a variance of 1 only exact sums of squares give.
        [4n, 2n ** 40n + 1n, 0n, 0], [4n, 2n ** 40n + 2n, 0n, 1], [4n, 2n ** 40n + 3n, 0n, 0],
        [6n, -(2n ** 45n) - 1n, 0n, 1], [6n, -(2n ** 45n) - 3n, 0n, 0],
        // Group 5: two values, the fewest with a sample standard deviation.
        [5n, -3n, 0n, 1], [5n, 5n, 0n, 0],
      ];
      for (const [u8, s64, u32, cpu] of events) t.run(fieldsRecord({ u8, s64, u32 }), cpu);
      const got = batchRows(t.aggregate()).sort((a, b) => Number(big(a[0]) - big(b[0])));
      assert.equal(got.length, 6);
      for (const row of got) {
        const g = big(row[0]);
        const mine = events.filter((e) => e[0] === g);
        const xs = mine.map((e) => e[1]);
        const us = mine.map((e) => e[2]);
        const sum = xs.reduce((s, x) => s + x, 0n);
        const n = BigInt(xs.length);
        const mean = Number(sum) / Number(n);
        const variance = exactVariance(xs)!;
        assert.deepEqual(
          [big(row[1]), big(row[2]), big(row[3]), big(row[4]), big(row[7]), big(row[8]), big(row[9]), big(row[10])],
          [n, sum, sorted(xs)[0], sorted(xs).at(-1), us.reduce((s, u) => s + u, 0n), sorted(us)[0], sorted(us).at(-1), n],
          `group ${g}`,
        );
        assert.ok(Math.abs((row[5] as number) - mean) <= Math.abs(mean) * 1e-12, `avg of group ${g}: ${String(row[5])} vs ${mean}`);
        const sd = Math.sqrt(variance);
        assert.ok(Math.abs((row[6] as number) - sd) <= sd * 1e-9, `stddev of group ${g}: ${String(row[6])} vs ${sd}`);
      }
    },
  ));

test('variance merges exactly over two CPUs, shares stddev\'s state, and is NULL for fewer than two values', { skip }, () =>
  withTestRun(`SELECT u8, variance(s64), stddev(s64), variance(u32), variance(s16) FROM ${FIELDS_TABLE} GROUP BY u8`, (t) => {
    const mode = t.plan.kernel.mode;
    assert.ok(mode.kind === 'aggregate', mode.kind);
    assert.deepEqual(mode.aggregates.map((a) => [a.fn, a.offset, a.stateOf ?? '-']), [['variance', 8, '-'], ['stddev', 8, 'a0'], ['variance', 48, '-'], ['variance', 88, '-']]);
    // Group 1: values below 2^32 of both signs, the u32 ones up to its top; group 2: s64 extremes,
    // whose sums need more than 64 bits on the way; group 3: one value; group 4: equal values.
    const events: [bigint, bigint, bigint, bigint, number][] = [
      [1n, -2147483648n, 0n, -32768n, 0], [1n, 4294967295n, 4294967295n, 32767n, 1], [1n, 7n, 1n, -1n, 1],
      [1n, 123456789n, 3000000000n, 0n, 0], [1n, -5n, 65536n, 12345n, 1],
      [2n, MAX64, 4294967294n, 1n, 1], [2n, MIN64, 4294967295n, 2n, 0], [2n, MAX64 - 1n, 0n, 3n, 0], [2n, MIN64 + 3n, 2n, 4n, 1],
      [3n, 42n, 42n, 42n, 1],
      [4n, -9n, 9n, -9n, 0], [4n, -9n, 9n, -9n, 1],
    ];
    for (const [u8, s64, u32, s16, cpu] of events) t.run(fieldsRecord({ u8, s64, u32, s16 }), cpu);
    const got = batchRows(t.aggregate()).sort((a, b) => Number(big(a[0]) - big(b[0])));
    assert.deepEqual(got.map((r) => big(r[0])), [1n, 2n, 3n, 4n]);
    for (const row of got) {
      const mine = events.filter((e) => e[0] === big(row[0]));
      const variance = exactVariance(mine.map((e) => e[1]));
      assert.deepEqual(row.slice(1), [variance, variance === null ? null : Math.sqrt(variance), exactVariance(mine.map((e) => e[2])), exactVariance(mine.map((e) => e[3]))], `group ${String(row[0])}`);
    }
  }));

test('streamed records carry every field exactly, over two CPUs', { skip }, () =>
  withTestRun(`SELECT s8, u8, s16, u16, s32, u32, s64, u64, label, path, cpu FROM ${FIELDS_TABLE} WHERE s16 != 7`, (t) => {
    const recs: RecordValues[] = [];
    for (const f of INT_FIELDS) {
      const { lo, hi } = fieldRange(f);
      recs.push({ [f]: lo, label: `${f}lo`, path: `/p/${f}` }, { [f]: hi, label: `${f}hi`, path: '' });
    }
    recs.push({ s16: 7n, label: 'filtered out' });
    recs.push({ s8: -1n, u8: 1n, s16: -300n, u16: 300n, s32: -70000n, u32: 70000n, s64: -(2n ** 40n), u64: 2n ** 40n, label: 'mixed', path: '/mixed/path' });
    recs.forEach((r, i) => t.run(fieldsRecord(r), i % 2));
    const rows = batchRows(t.records());
    const kept = recs.map((r, i) => ({ r, cpu: i % 2 })).filter(({ r }) => r['s16'] !== 7n);
    assert.equal(rows.length, kept.length);
    // The decoder starts each batch afresh.
    t.run(fieldsRecord({ s8: 5n, label: 'later' }), 1);
    const later = t.records();
    assert.equal(later.rowCount, 1);
    assert.deepEqual([big(batchRows(later)[0]![0]), batchRows(later)[0]![8]], [5n, 'later']);
    rows.forEach((row, i) => {
      const { r, cpu } = kept[i]!;
      const n = (f: string): bigint => (r[f] as bigint | undefined) ?? 0n;
      assert.deepEqual(
        [...row.slice(0, 8).map(big), row[8], row[9], big(row[10])],
        [...INT_FIELDS.map(n), r['label'] ?? '', r['path'] ?? '', BigInt(cpu)],
        `record ${i}`,
      );
    });
  }));

/** Integer expressions as GROUP BY keys, computed in the kernel: one record per group. */
const KEY_EXPRS: readonly { readonly sql: string; readonly value: (r: Readonly<Record<string, bigint>>) => bigint }[] = [
  { sql: 's32 + 1', value: (r) => r['s32']! + 1n },
  { sql: 'u32 * 3', value: (r) => r['u32']! * 3n },
  { sql: 's64 - s32', value: (r) => r['s64']! - r['s32']! },
  { sql: 's64 & 255', value: (r) => r['s64']! & 255n },
  { sql: 'u16 | 1', value: (r) => r['u16']! | 1n },
  { sql: 's8 ^ -1', value: (r) => r['s8']! ^ -1n },
  { sql: 's64 >> 3', value: (r) => r['s64']! >> 3n },
  { sql: 'u64 >> 60', value: (r) => r['u64']! >> 60n },
  { sql: 's32 << 2', value: (r) => r['s32']! << 2n },
  { sql: '-s64', value: (r) => -r['s64']! },
  { sql: '~u16', value: (r) => ~r['u16']! },
  { sql: '(s32 - 7) * (u8 + 2)', value: (r) => (r['s32']! - 7n) * (r['u8']! + 2n) },
];

test('integer expressions computed in the kernel: + - * & | ^ >> << negation and complement', { skip }, () => {
  const sql = `SELECT ${KEY_EXPRS.map((e, i) => `${e.sql} AS e${i}`).join(', ')}, count(*) AS n FROM ${FIELDS_TABLE} GROUP BY ${KEY_EXPRS.map((e) => e.sql).join(', ')}`;
  return withTestRun(sql, (t) => {
    const recs: Record<string, bigint>[] = [
      { s8: -128n, u8: 255n, s16: 0n, u16: 65535n, s32: -2147483648n, u32: 4294967295n, s64: -(2n ** 40n) - 5n, u64: MAXU64 },
      { s8: 127n, u8: 0n, s16: 0n, u16: 0n, s32: 2147483647n, u32: 0n, s64: 2n ** 40n + 9n, u64: 2n ** 63n },
      { s8: -1n, u8: 7n, s16: 0n, u16: 300n, s32: -5n, u32: 70000n, s64: -1n, u64: 15n },
      { s8: 0n, u8: 1n, s16: 0n, u16: 2n, s32: 0n, u32: 1n, s64: 1000n, u64: 0n },
    ];
    for (const r of recs) t.run(fieldsRecord(r));
    const got = batchRows(t.aggregate()).map((row) => row.map(big).join(',')).sort();
    const want = recs.map((r) => [...KEY_EXPRS.map((e) => e.value(r)), 1n].join(',')).sort();
    assert.deepEqual(got, want);
  });
});

test('a full ring buffer: records beyond its space are counted lost, on each CPU that lost them', { skip }, () =>
  withTestRun(`SELECT s64 FROM ${FIELDS_TABLE}`, (t) => {
    // 4096 bytes of ring; a record is 8 bytes of data and an 8-byte header. The kernel refuses a
    // reserve that would leave no free byte (pending > size - 1), so 4096 / 16 - 1 records fit.
    const PER_CPU = 300;
    for (let i = 0; i < PER_CPU; i++) t.run(fieldsRecord({ s64: BigInt(i) }), 0);
    for (let i = 0; i < PER_CPU; i++) t.run(fieldsRecord({ s64: BigInt(PER_CPU + i) }), 1);
    const rows = batchRows(t.records()).map((r) => big(r[0]));
    const fits = 4096 / 16 - 1;
    assert.deepEqual(rows, Array.from({ length: fits }, (_, i) => BigInt(i)));
    const stats = t.stats();
    assert.deepEqual(stats.perCpu.slice(0, 2).map((c) => c.ringLost), [BigInt(PER_CPU - fits), BigInt(PER_CPU)]);
    assert.equal(stats.total.ringLost, BigInt(2 * PER_CPU - fits));
    assert.equal(stats.total.mapFull, 0n);
  }, { ringBytes: 4096 }));

test('a full aggregation map: every event of a key it could not insert is a failed update, the held keys stay exact', { skip }, () =>
  withTestRun(`SELECT s32, count(*), sum(u32) FROM ${FIELDS_TABLE} GROUP BY s32`, (t) => {
    // Keys 1 and 2 (3 events each) fill the map; 3, 4 and 5 (2, 4 and 1 events, on both CPUs) cannot go in.
    const events: [bigint, number][] = [[1n, 0], [2n, 1], [1n, 1], [3n, 0], [2n, 0], [4n, 1], [4n, 0], [1n, 0], [3n, 1], [5n, 0], [4n, 0], [2n, 1], [4n, 1]];
    for (const [k, cpu] of events) t.run(fieldsRecord({ s32: k, u32: k * 10n }), cpu);
    const rows = batchRows(t.aggregate()).map((r) => r.map(big)).sort((a, b) => Number(a[0]! - b[0]!));
    assert.deepEqual(rows, [[1n, 3n, 30n], [2n, 3n, 60n]]);
    const stats = t.stats();
    assert.equal(stats.total.mapFull, 7n);
    assert.deepEqual(stats.perCpu.slice(0, 2).map((c) => c.mapFull), [4n, 3n]);
  }, { maxEntries: 2 }));

test('a WHERE that folds to false loads a program that counts nothing', { skip }, () =>
  withTestRun(`SELECT s32, count(*) FROM ${FIELDS_TABLE} WHERE 1 = 2 GROUP BY s32`, (t) => {
    for (const v of [0n, 1n, -1n]) assert.equal(t.run(fieldsRecord({ s32: v })), 0);
    assert.equal(t.aggregate().rowCount, 0);
  }));

// sys_enter_openat: dfd at 16, flags at 32, each an int in 8 bytes (the high 4 are whatever the
// caller's register held); sys_exit_openat: ret at 16 (a long).
const enterOpenat = (dfd: bigint, flags: bigint): Buffer => wordsRecord({ 8: 257n, 16: dfd, 32: flags });
const exitOpenat = (ret: bigint): Buffer => wordsRecord({ 8: 257n, 16: ret });

test('a paired table: the exit event finds the fields its thread saved at entry (int arguments sign-extended from their low 4 bytes)', { skip }, () =>
  withTestRun('SELECT dfd, flags, ret, latency_ns < 1000000000 AS quick, count(*) AS n FROM open GROUP BY dfd, flags, ret, latency_ns < 1000000000', (t) => {
    t.runEntry(enterOpenat(0xdeadbeefffffff9cn, 0x241n));
    t.run(exitOpenat(5n));
    t.run(exitOpenat(6n)); // its entry was taken by the exit before: no pair
    t.runEntry(enterOpenat(7n, 0xffffffff00080000n));
    t.runEntry(enterOpenat(3n, 0n)); // the thread's later call replaces the entry it saved
    t.run(exitOpenat(-2n));
    const rows = batchRows(t.aggregate()).map((r) => [big(r[0]), big(r[1]), big(r[2]), r[3], big(r[4])]);
    assert.deepEqual(rows.sort((a, b) => Number(big(a[2]) - big(b[2]))), [
      [3n, 0n, -2n, true, 1n],
      [-100n, 0x241n, 5n, true, 1n],
    ]);
  }));

test('a paired table streamed: a record per completed pair; an exit without its entry is no lost record', { skip }, () =>
  withTestRun('SELECT dfd, ret FROM open', (t) => {
    t.run(exitOpenat(9n));
    t.runEntry(enterOpenat(4n, 0n));
    t.run(exitOpenat(3n));
    assert.deepEqual(batchRows(t.records()).map((r) => r.map(big)), [[4n, 3n]]);
    assert.equal(t.stats().total.ringLost, 0n);
  }));

test('values from helpers and the current task: pid, tid, ppid (task_struct offsets from BTF), uid, gid, comm', { skip }, () =>
  withTestRun(`SELECT pid, tid, ppid, uid, gid, comm FROM ${FIELDS_TABLE}`, (t) => {
    // Run from this thread: the current task is this process's main thread.
    t.run(fieldsRecord({}));
    assert.deepEqual(batchRows(t.records()).map((r) => [...r.slice(0, 5).map(big), r[5]]), [
      [BigInt(process.pid), BigInt(process.pid), BigInt(process.ppid), BigInt(process.getuid!()), BigInt(process.getgid!()), readFileSync('/proc/self/comm', 'utf8').trim()],
    ]);
  }, {}, kernelPlannerEnv));
