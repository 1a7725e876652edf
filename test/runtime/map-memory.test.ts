import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMapMemory, mapBytes } from '../../src/runtime/map-memory.js';
import { KernelError } from '../../src/kernel/errors.js';
import type { MapSpec } from '../../src/kernel/map.js';
import { memoryCgroupOf, parseMemAvailable } from '../../src/kernel/memory.js';

const GiB = 1024 ** 3;
/** A p99 state per key, as the planner lays it out. */
const quantiles = (maxEntries: number): MapSpec => ({ name: 'agg', type: 'percpu_hash', keySize: 16, valueSize: 30728, maxEntries });

test('a per-CPU hash map counts its values once per CPU, plus element and bucket overhead', () => {
  assert.equal(mapBytes(quantiles(1000), 2), 1000 * (16 + 56 + 30728 * 2 + 8) + 1024 * 16);
  assert.equal(mapBytes({ name: 'r', type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 8 << 20 }, 4), 8 << 20);
  assert.equal(mapBytes({ name: 's', type: 'percpu_array', keySize: 4, valueSize: 20, maxEntries: 1 }, 4), 96);
});

test('--max-keys 100000000 with p99 is refused before any map is made, naming the map and the memory', () => {
  assert.throws(() => checkMapMemory([quantiles(100_000_000)], 2, 8 * GiB), (e: unknown) => {
    assert.ok(e instanceof KernelError);
    assert.equal(e.message, "the query's maps could take 5.6 TiB of kernel memory, more than half of the 8.0 GiB this machine has available (map 'agg': 100000000 entries of 30728 bytes × 2 CPUs)");
    assert.match(e.hint ?? '', /lower --max-keys/);
    return true;
  });
});

test('maps within half of the available memory pass; unknown memory is not checked', () => {
  checkMapMemory([quantiles(272)], 2, 8 * GiB);
  checkMapMemory([quantiles(100_000_000)], 2, undefined);
  assert.throws(() => checkMapMemory([quantiles(70_000)], 2, 8 * GiB), KernelError);
});

test('MemAvailable and the memory cgroup are read from /proc text', () => {
  assert.equal(parseMemAvailable('MemTotal:       32000000 kB\nMemAvailable:   23562188 kB\n'), 23562188 * 1024);
  assert.equal(parseMemAvailable('MemTotal: 1 kB\n'), undefined);
  assert.deepEqual(memoryCgroupOf('5:devices:/\n4:memory:/a/b\n0::/\n'), { version: 1, path: '/a/b' });
  assert.deepEqual(memoryCgroupOf('0::/user.slice/x.scope\n'), { version: 2, path: '/user.slice/x.scope' });
});
