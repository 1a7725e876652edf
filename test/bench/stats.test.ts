import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bracketedDifferences,
  bracketedRound,
  median,
  quantile,
  roundOrder,
  summarize,
} from '../../bench/stats.js';

test('median of odd and even counts, unsorted input left alone', () => {
  const values = [5, 1, 3];
  assert.equal(median(values), 3);
  assert.deepEqual(values, [5, 1, 3]);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([7]), 7);
});

test('quantiles interpolate between order statistics', () => {
  const values = [10, 20, 30, 40, 50];
  assert.equal(quantile(values, 0), 10);
  assert.equal(quantile(values, 1), 50);
  assert.equal(quantile(values, 0.25), 20);
  assert.equal(quantile([1, 2], 0.25), 1.25);
  assert.throws(() => quantile([], 0.5), /no values/);
  assert.throws(() => quantile([1], 1.5), /outside/);
});

test('summarize gives median, quartiles and range', () => {
  assert.deepEqual(summarize([9, 1, 5, 3, 7]), { n: 5, median: 5, q1: 3, q3: 7, min: 1, max: 9 });
});

test('roundOrder rotates by one configuration per round', () => {
  const configs = ['a', 'b', 'c'];
  assert.deepEqual(roundOrder(configs, 0), ['a', 'b', 'c']);
  assert.deepEqual(roundOrder(configs, 1), ['b', 'c', 'a']);
  assert.deepEqual(roundOrder(configs, 4), ['b', 'c', 'a']);
  assert.deepEqual(roundOrder([], 3), []);
});

test('a bracketed round puts a baseline before and after every configuration', () => {
  assert.deepEqual(bracketedRound(['x', 'y'], 1), [
    { kind: 'baseline' },
    { kind: 'config', config: 'y' },
    { kind: 'baseline' },
    { kind: 'config', config: 'x' },
    { kind: 'baseline' },
  ]);
});

test('bracketed differences subtract the mean of the neighbouring baselines', () => {
  const steps = bracketedRound(['x', 'y'], 0);
  // baseline 100, x 150, baseline 110, y 300, baseline 90
  const diffs = bracketedDifferences(steps, [100, 150, 110, 300, 90]);
  assert.deepEqual([...diffs], [['x', 45], ['y', 200]]);
  assert.throws(() => bracketedDifferences(steps, [1, 2]), /5 steps but 2 values/);
  assert.throws(
    () => bracketedDifferences([{ kind: 'config', config: 'x' }, { kind: 'baseline' }], [1, 2]),
    /not between two baselines/,
  );
});
