import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCpuList } from '../../src/kernel/cpus.js';

test('parses the kernel CPU list format', () => {
  assert.deepEqual(parseCpuList('0\n'), [0]);
  assert.deepEqual(parseCpuList('0-1\n'), [0, 1]);
  assert.deepEqual(parseCpuList('0,2-3'), [0, 2, 3]);
  assert.deepEqual(parseCpuList('0-3,8-9,5'), [0, 1, 2, 3, 5, 8, 9]);
  assert.deepEqual(parseCpuList('1,1-2'), [1, 2]);
  assert.deepEqual(parseCpuList(''), []);
});

test('rejects text that is not a CPU list', () => {
  assert.throws(() => parseCpuList('0-x'), /bad CPU list '0-x': cannot read '0-x'/);
  assert.throws(() => parseCpuList('3-1'), /range 3-1 runs backwards/);
});
