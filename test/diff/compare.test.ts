// The differential comparer: what counts as equal results, and that every kind of difference is caught.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { QueryResult } from '../../src/store/session.js';
import { canonical, compareResults, floatsAgree, quantileAgrees, sortRows } from './compare.js';

const result = (names: readonly string[], rows: readonly (readonly unknown[])[], types = names.map(() => 'BIGINT')): QueryResult => ({
  columns: names.map((name, i) => ({ name, type: types[i]! })),
  rows,
});

test('numbers compare as numbers, whatever their JS type; lists and structs by value', () => {
  assert.equal(canonical(5), canonical(5n));
  assert.equal(canonical(2.0), canonical(2n));
  assert.notEqual(canonical(2.5), canonical(2n));
  assert.equal(canonical(12345678901234567890n), 'i12345678901234567890');
  assert.equal(canonical([{ lo: 0, hi: 0, count: 3 }]), canonical([{ count: 3n, hi: 0n, lo: 0n }]));
  assert.notEqual(canonical([{ lo: 0, hi: 0, count: 3 }]), canonical([{ lo: 0, hi: 1, count: 3 }]));
  assert.notEqual(canonical(true), canonical(1));
  assert.notEqual(canonical('1'), canonical(1));
  assert.notEqual(canonical(null), canonical(0));
});

test('floats agree within 1e-9 relative; NULL only with NULL', () => {
  assert.equal(floatsAgree(1e6, 1e6 * (1 + 5e-10)), true);
  assert.equal(floatsAgree(1e6, 1e6 * (1 + 2e-9)), false);
  assert.equal(floatsAgree(0, 1e-10), true);
  assert.equal(floatsAgree(0, 1e-8), false);
  assert.equal(floatsAgree(null, null), true);
  assert.equal(floatsAgree(null, 0), false);
  assert.equal(floatsAgree(3n, 3), true);
});

test('a quantile agrees within |exact| / 64 of the exact (streamed) value', () => {
  assert.equal(quantileAgrees(6500, 6400), true);
  assert.equal(quantileAgrees(6300, 6400), true);
  assert.equal(quantileAgrees(6501, 6400), false);
  assert.equal(quantileAgrees(6299, 6400), false);
  assert.equal(quantileAgrees(-6500n, -6400), true);
  assert.equal(quantileAgrees(-6501n, -6400), false);
  assert.equal(quantileAgrees(1, 0), false);
  assert.equal(quantileAgrees(31, 31n), true);
  assert.equal(quantileAgrees(null, null), true);
  assert.equal(quantileAgrees(null, 5), false);
});

test('rows pair up whatever their order: by exact columns, then by the others', () => {
  const kinds = ['exact', 'approx'] as const;
  assert.deepEqual(sortRows([['b', 2], ['a', 9], ['a', 1]], kinds), [['a', 1], ['a', 9], ['b', 2]]);
});

test('equal results in another order and with other integer types agree', () => {
  const a = result(['k', 'n', 'avg', 'p50', 'h'], [['x', 3, 1.5, 100, [{ lo: 0, hi: 0, count: 1 }]], ['y', 1, 2, 7, []]]);
  const b = result(['k', 'n', 'avg', 'p50', 'h'], [['y', 1n, 2.0000000000001, 7n, []], ['x', 3n, 1.5, 99, [{ lo: 0n, hi: 0n, count: 1n }]]], ['VARCHAR', 'HUGEINT', 'DOUBLE', 'BIGINT', 'STRUCT']);
  assert.equal(compareResults(a, b, ['exact', 'exact', 'float', 'approx', 'exact']), undefined);
});

test('each kind of difference is reported, with the column and both sides', () => {
  const kinds = ['exact', 'float', 'approx'] as const;
  const base = result(['k', 'f', 'q'], [[1, 0.5, 640]]);
  assert.match(compareResults(base, result(['k', 'g', 'q'], [[1, 0.5, 640]]), kinds)!, /^columns differ: planned \(k, f, q\), streamed \(k, g, q\)/);
  assert.match(compareResults(base, result(['k', 'f', 'q'], [[1, 0.5, 640], [2, 0.5, 640]]), kinds)!, /^row counts differ: planned 1, streamed 2/);
  assert.match(compareResults(base, result(['k', 'f', 'q'], [[2, 0.5, 640]]), kinds)!, /^row 0 column 'k' \(exact\): planned \[1\], streamed \[2\]/);
  assert.match(compareResults(base, result(['k', 'f', 'q'], [[1, 0.6, 640]]), kinds)!, /^row 0 column 'f' \(float\): planned \[0.5\], streamed \[0.6\]/);
  assert.match(compareResults(base, result(['k', 'f', 'q'], [[1, 0.5, 600]]), kinds)!, /^row 0 column 'q' \(approx\): planned \[640\], streamed \[600\]/);
  assert.equal(compareResults(base, result(['k', 'f', 'q'], [[1, 0.5, 635]]), kinds), undefined);
  assert.match(compareResults(base, base, ['exact'])!, /^the generator gave 1 column kinds for 3 columns/);
});
