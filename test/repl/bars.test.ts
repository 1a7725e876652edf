import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bar, compactNumber, histogramLines, isBuckets } from '../../src/repl/bars.js';

test('bars are scaled to the maximum in eighths of a cell', () => {
  assert.equal(bar(10, 10, 4), '████');
  assert.equal(bar(5, 10, 4), '██');
  assert.equal(bar(1, 16, 4), '▎');
  assert.equal(bar(1, 1000, 4), '▏');
  assert.equal(bar(0, 10, 4), '');
  assert.equal(bar(3, 0, 4), '');
});

test('bucket bounds use 1024-based suffixes for exact multiples only', () => {
  assert.equal(compactNumber(0n), '0');
  assert.equal(compactNumber(1000n), '1000');
  assert.equal(compactNumber(1024n), '1K');
  assert.equal(compactNumber(3n * 1024n * 1024n), '3M');
  assert.equal(compactNumber(1536n), '1536');
});

test('a histogram is one line per bucket, half-open bounds, counts aligned, bars scaled to the largest', () => {
  const lines = histogramLines([
    { lo: 256, hi: 511, count: 3 },
    { lo: 512, hi: 1023, count: 12 },
    { lo: 1024, hi: 2047, count: 6 },
  ], 30);
  assert.deepEqual(lines, [
    // 30 columns leave 13 for the bars: 3/12 of 13 cells is 3¼ cells.
    '[256, 512)  3 |███▎         |',
    '[512, 1K)  12 |█████████████|',
    '[1K, 2K)    6 |██████▌      |',
  ]);
  assert.deepEqual(histogramLines([], 30), ['(no values)']);
});

test('hist values are recognised by their shape', () => {
  assert.equal(isBuckets([{ lo: 1, hi: 1, count: 2n }]), true);
  assert.equal(isBuckets([]), true);
  assert.equal(isBuckets([{ lo: 1, hi: 1 }]), false);
  assert.equal(isBuckets([{ lo: 1, hi: 1, count: 2, extra: 0 }]), false);
  assert.equal(isBuckets('x'), false);
});
