// The quantile state's bucket for a value at either edge of every log-linear bucket, read from
// the raw map value the generated program wrote (BPF_PROG_TEST_RUN, no live event), and decoded
// quantiles for a sample of them. Apart from codegen-test-run.test.ts because it is slower.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { needsRoot } from './kernel-root.js';
import { FIELDS_TABLE, batchRows, fieldsRecord, withTestRun } from '../helpers/test-run.js';
import { logLinearEdges, logLinearIndex, logLinearMiddle } from '../helpers/log-linear.js';

const skip = needsRoot;
const MAX64 = 2n ** 63n - 1n;

const big = (v: unknown): bigint => {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  throw new Error(`not an integer: ${String(v)}`);
};
const sorted = (vs: Iterable<bigint>): bigint[] => [...new Set(vs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * Runs `quantile(field, 0.5)` grouped by `field` over each value (one group each, in chunks the
 * preallocated map holds), and returns the bucket each value's group counted, read from the raw
 * map value: the state is a u64 counter per bucket after the u64 event count.
 */
async function bucketOfEach(field: 'u64' | 's64', values: readonly bigint[]): Promise<Map<bigint, number[]>> {
  const out = new Map<bigint, number[]>();
  const CHUNK = 64;
  for (let i = 0; i < values.length; i += CHUNK) {
    const part = values.slice(i, i + CHUNK);
    await withTestRun(`SELECT ${field}, quantile(${field}, 0.5) FROM ${FIELDS_TABLE} GROUP BY ${field}`, (t) => {
      for (const v of part) t.run(fieldsRecord({ [field]: v }), 0);
      assert.equal(t.stats().total.mapFull, 0n, 'a preallocated map has room for every key');
      for (const { key, perCpu } of t.rawAggregates()) {
        const words = new Uint32Array(perCpu[0]!.buffer.slice(perCpu[0]!.byteOffset, perCpu[0]!.byteOffset + perCpu[0]!.length));
        const hit: number[] = [];
        // Word pairs from 2 on: bucket counters (the first pair is the key's event count).
        for (let w = 2; w < words.length; w += 2) if (words[w] !== 0 || words[w + 1] !== 0) hit.push((w - 2) / 2, words[w]!);
        const zero = Buffer.alloc(perCpu[0]!.length);
        assert.ok(perCpu.slice(1).every((b) => b.equals(zero)), 'CPU 0 ran every event');
        out.set(field === 'u64' ? key.readBigUInt64LE(0) : key.readBigInt64LE(0), hit);
      }
    }, { maxEntries: CHUNK });
  }
  assert.equal(out.size, values.length);
  return out;
}

/** Decoded quantiles of each value, one group each, for a sample (finalizing every state is slow). */
async function quantileOfEach(field: 'u64' | 's64', values: readonly bigint[]): Promise<Map<bigint, bigint>> {
  const out = new Map<bigint, bigint>();
  await withTestRun(`SELECT ${field}, quantile(${field}, 0.5), p99(${field}) FROM ${FIELDS_TABLE} GROUP BY ${field}`, (t) => {
    for (const v of values) t.run(fieldsRecord({ [field]: v }));
    for (const r of batchRows(t.aggregate())) {
      // One value per group: every quantile of it is the same bucket's middle.
      assert.equal(big(r[1]), big(r[2]));
      out.set(big(r[0]), big(r[1]));
    }
  }, { maxEntries: values.length });
  assert.equal(out.size, values.length);
  return out;
}

/** Every 37th value, and the first and last: a sample across all magnitudes. */
const sample = (vs: readonly bigint[]): bigint[] => vs.filter((_, i) => i % 37 === 0 || i === vs.length - 1);

test('quantile(u64): a value at either edge of every log-linear bucket counts in that bucket; decoded, its middle', { skip }, async () => {
  const values = logLinearEdges();
  // 0..31, then two edges for each of 32 buckets per power of two, but for 2^5..2^6 (width 1: one edge).
  assert.equal(values.length, 32 + 32 + 58 * 64);
  const buckets = await bucketOfEach('u64', values);
  for (const v of values) assert.deepEqual(buckets.get(v), [logLinearIndex(v), 1], `bucket of ${v}`);
  const got = await quantileOfEach('u64', sample(values));
  for (const [v, q] of got) {
    const want = logLinearMiddle(v);
    assert.equal(q, want, `quantile of ${v}`);
    const err = want > v ? want - v : v - want;
    assert.ok(err * 64n <= v, `${v}: estimate ${want} is outside the 1/64 bound`);
  }
});

test('quantile(s64): negative values count in the mirrored half; the extremes of s64 included', { skip }, async () => {
  const edges = logLinearEdges();
  const values = sorted([...edges.filter((m) => m <= 2n ** 63n).map((m) => -m), ...edges.filter((m) => m <= MAX64)]);
  const buckets = await bucketOfEach('s64', values);
  for (const v of values) assert.deepEqual(buckets.get(v), [v < 0n ? 1920 + logLinearIndex(-v) : logLinearIndex(v), 1], `bucket of ${v}`);
  const got = await quantileOfEach('s64', sample(values));
  for (const [v, q] of got) assert.equal(q, v < 0n ? -logLinearMiddle(-v) : logLinearMiddle(v), `quantile of ${v}`);
});

