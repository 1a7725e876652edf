// Real maps in the running kernel: element access, batch reads of every entry, per-CPU layout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { possibleCpus } from '../../src/kernel/cpus.js';
import { KernelError } from '../../src/kernel/errors.js';
import { BpfMap } from '../../src/kernel/map.js';
import { listMaps } from '../../src/kernel/objects.js';
import { needsRoot } from './kernel-root.js';

const N = 1000;

test('HASH: 1000 entries updated, looked up and batch-read exactly, then drained', { skip: needsRoot }, () => {
  const map = BpfMap.create({ name: 'kt_hash', type: 'hash', keySize: 8, valueSize: 16, maxEntries: 1024 });
  try {
    const key = Buffer.alloc(8);
    const value = Buffer.alloc(16);
    for (let i = 0; i < N; i++) {
      key.writeBigUInt64LE(BigInt(i * 7 + 1));
      value.writeBigUInt64LE(BigInt(i), 0);
      value.writeBigUInt64LE(BigInt(i * i), 8);
      map.update(key, value);
    }
    for (let i = 0; i < N; i++) {
      key.writeBigUInt64LE(BigInt(i * 7 + 1));
      assert.equal(map.lookup(key, value), true);
      assert.equal(value.readBigUInt64LE(0), BigInt(i));
      assert.equal(value.readBigUInt64LE(8), BigInt(i * i));
    }
    key.writeBigUInt64LE(2n);
    assert.equal(map.lookup(key, value), false);

    const seen = new Map<bigint, [bigint, bigint]>();
    let batches = 0;
    const total = map.forEachBatch(
      (keys, values, count) => {
        batches++;
        for (let j = 0; j < count; j++) {
          seen.set(keys.readBigUInt64LE(j * 8), [values.readBigUInt64LE(j * 16), values.readBigUInt64LE(j * 16 + 8)]);
        }
      },
      { batchSize: 100 },
    );
    assert.equal(total, N);
    assert.equal(seen.size, N);
    assert.ok(batches >= 10);
    for (let i = 0; i < N; i++) assert.deepEqual(seen.get(BigInt(i * 7 + 1)), [BigInt(i), BigInt(i * i)]);

    key.writeBigUInt64LE(1n);
    assert.equal(map.delete(key), true);
    assert.equal(map.delete(key), false);
    assert.equal(map.forEachBatch(() => {}, { drain: true, batchSize: 64 }), N - 1);
    assert.equal(map.forEachBatch(() => {}), 0);
  } finally {
    map.close();
  }
});

test('PERCPU_HASH: each CPU slot is rounded up to 8 bytes and read back exactly', { skip: needsRoot }, () => {
  const cpus = possibleCpus();
  const map = BpfMap.create({ name: 'kt_pchash', type: 'percpu_hash', keySize: 4, valueSize: 12, maxEntries: 1024 });
  try {
    assert.equal(map.valueBufferSize, 16 * cpus);
    const key = Buffer.alloc(4);
    const value = Buffer.alloc(map.valueBufferSize);
    for (let i = 0; i < N; i++) {
      key.writeUInt32LE(i);
      for (let c = 0; c < cpus; c++) {
        value.writeUInt32LE(i, c * 16);
        value.writeBigUInt64LE(BigInt(i * 100 + c), c * 16 + 4);
      }
      map.update(key, value);
    }
    key.writeUInt32LE(999);
    value.fill(0);
    assert.equal(map.lookup(key, value), true);
    assert.equal(value.readBigUInt64LE((cpus - 1) * 16 + 4), BigInt(99900 + cpus - 1));

    const seen = new Set<number>();
    const total = map.forEachBatch(
      (keys, values, count) => {
        for (let j = 0; j < count; j++) {
          const k = keys.readUInt32LE(j * 4);
          seen.add(k);
          for (let c = 0; c < cpus; c++) {
            const at = j * map.valueBufferSize + c * 16;
            assert.equal(values.readUInt32LE(at), k);
            assert.equal(values.readBigUInt64LE(at + 4), BigInt(k * 100 + c));
          }
        }
      },
      { batchSize: 128 },
    );
    assert.equal(total, N);
    assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: N }, (_, i) => i));
  } finally {
    map.close();
  }
});

test('PERCPU_ARRAY: a batch read returns every slot, zeroed ones included', { skip: needsRoot }, () => {
  const map = BpfMap.create({ name: 'kt_pcarr', type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 4 });
  try {
    const value = Buffer.alloc(map.valueBufferSize);
    value.writeBigUInt64LE(5n, 0);
    map.update(Buffer.from([2, 0, 0, 0]), value);
    const rows: [number, bigint][] = [];
    map.forEachBatch((keys, values, count) => {
      for (let j = 0; j < count; j++) rows.push([keys.readUInt32LE(j * 4), values.readBigUInt64LE(j * map.valueBufferSize)]);
    });
    assert.deepEqual(rows, [[0, 0n], [1, 0n], [2, 5n], [3, 0n]]);
  } finally {
    map.close();
  }
});

test('a full HASH refuses the next key with a map-full hint', { skip: needsRoot }, () => {
  const map = BpfMap.create({ name: 'kt_small', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 2 });
  try {
    const value = Buffer.alloc(8);
    map.update(Buffer.from([1, 0, 0, 0]), value);
    map.update(Buffer.from([2, 0, 0, 0]), value);
    assert.throws(
      () => map.update(Buffer.from([3, 0, 0, 0]), value),
      (e: unknown) =>
        e instanceof KernelError &&
        e.code === 'E2BIG' &&
        e.hint === "map 'kt_small' is full (max_entries 2): give it a larger max_entries",
    );
  } finally {
    map.close();
  }
});

test('listMaps shows a map by name while it is open, and not after close', { skip: needsRoot }, () => {
  const map = BpfMap.create({ name: 'kt_listed_map', type: 'array', keySize: 4, valueSize: 4, maxEntries: 1 });
  const mine = listMaps().filter((m) => m.name === 'kt_listed_map');
  assert.equal(mine.length, 1);
  assert.equal(mine[0]!.type, 2);
  map.close();
  assert.deepEqual(listMaps().filter((m) => m.id === mine[0]!.id), []);
});
