import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { BpfCmd, MapBatch, MapCreate, MapElem } from '../../src/kernel/bpf-cmd.js';
import { possibleCpus } from '../../src/kernel/cpus.js';
import { KernelError } from '../../src/kernel/errors.js';
import { BpfMap, MAX_BATCH_BYTES, perCpuValueSize } from '../../src/kernel/map.js';
import { setSys } from '../../src/kernel/sys.js';
import { FakeSys, cString } from './fake-sys.js';

const ENOENT = 2;
const E2BIG = 7;
const EINVAL = 22;
const ENOSPC = 28;
const MAP_FD = 7;

function installFake(): FakeSys {
  const fake = new FakeSys();
  fake.onBpf = (cmd) => (cmd === BpfCmd.MAP_CREATE ? MAP_FD : -EINVAL);
  setSys(fake);
  return fake;
}

afterEach(() => setSys(undefined));

describe('BpfMap.create', () => {
  test('lays out BPF_MAP_CREATE at the documented offsets', () => {
    const fake = installFake();
    const map = BpfMap.create({ name: 'agg_counts', type: 'percpu_hash', keySize: 12, valueSize: 24, maxEntries: 10240, flags: 1 });
    assert.equal(map.fd, MAP_FD);
    assert.equal(fake.bpfCalls.length, 1);
    const { cmd, attr, size } = fake.bpfCalls[0]!;
    assert.equal(cmd, 0);
    assert.equal(size, 44);
    assert.equal(attr.readUInt32LE(0), 5); // BPF_MAP_TYPE_PERCPU_HASH
    assert.equal(attr.readUInt32LE(4), 12);
    assert.equal(attr.readUInt32LE(8), 24);
    assert.equal(attr.readUInt32LE(12), 10240);
    assert.equal(attr.readUInt32LE(16), 1);
    assert.deepEqual([...attr.subarray(20, 28)], [0, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(cString(attr.subarray(28, 44)), 'agg_counts');
  });

  test('cuts names to 15 characters and replaces characters the kernel refuses', () => {
    const fake = installFake();
    BpfMap.create({ name: 'query-1:counts_by_comm', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 1 });
    const attr = fake.bpfCalls[0]!.attr;
    assert.equal(cString(attr.subarray(MapCreate.mapName, MapCreate.size)), 'query_1_counts_');
  });

  test('maps every map type to its kernel number', () => {
    const fake = installFake();
    const types = ['hash', 'array', 'percpu_hash', 'percpu_array', 'stack_trace', 'lru_hash', 'lru_percpu_hash', 'ringbuf'] as const;
    for (const type of types) BpfMap.create({ name: type, type, keySize: 4, valueSize: 8, maxEntries: 4096 });
    assert.deepEqual(fake.bpfCalls.map((c) => c.attr.readUInt32LE(0)), [1, 2, 5, 6, 7, 9, 10, 27]);
  });

  test('array_of_maps: type 12, the inner map\'s fd at inner_map_fd (offset 20); only with an inner map', () => {
    const fake = installFake();
    let next = 20;
    fake.onBpf = (cmd) => (cmd === BpfCmd.MAP_CREATE ? next++ : -EINVAL);
    const inner = BpfMap.create({ name: 'agg', type: 'percpu_hash', keySize: 8, valueSize: 8, maxEntries: 16 });
    const slot = BpfMap.create({ name: 'window', type: 'array_of_maps', keySize: 4, valueSize: 4, maxEntries: 1 }, inner);
    const attr = fake.bpfCalls[1]!.attr;
    assert.equal(attr.readUInt32LE(MapCreate.mapType), 12);
    assert.equal(attr.readUInt32LE(MapCreate.innerMapFd), inner.fd);
    assert.equal(fake.bpfCalls[0]!.attr.readUInt32LE(MapCreate.innerMapFd), 0);
    assert.equal(slot.fd, 21);
    assert.throws(() => BpfMap.create({ name: 'w', type: 'array_of_maps', keySize: 4, valueSize: 4, maxEntries: 1 }), /inner map/);
    assert.throws(() => BpfMap.create({ name: 'h', type: 'hash', keySize: 4, valueSize: 4, maxEntries: 1 }, inner), /inner map/);
  });

  test('setMap stores a map\'s fd in a slot with MAP_UPDATE_ELEM; refused on other map types', () => {
    const fake = installFake();
    let next = 30;
    fake.onBpf = (cmd, attr, f) => {
      if (cmd === BpfCmd.MAP_CREATE) return next++;
      if (cmd !== BpfCmd.MAP_UPDATE_ELEM) return -EINVAL;
      const key = f.deref(attr.readBigUInt64LE(MapElem.key)).readUInt32LE(0);
      const value = f.deref(attr.readBigUInt64LE(MapElem.value)).readUInt32LE(0);
      updates.push([attr.readUInt32LE(MapElem.mapFd), key, value]);
      return 0;
    };
    const updates: [number, number, number][] = [];
    const a = BpfMap.create({ name: 'a', type: 'percpu_hash', keySize: 8, valueSize: 8, maxEntries: 16 });
    const b = BpfMap.create({ name: 'b', type: 'percpu_hash', keySize: 8, valueSize: 8, maxEntries: 16 });
    const slot = BpfMap.create({ name: 'window', type: 'array_of_maps', keySize: 4, valueSize: 4, maxEntries: 1 }, a);
    slot.setMap(0, b);
    slot.setMap(0, a);
    assert.deepEqual(updates, [[slot.fd, 0, b.fd], [slot.fd, 0, a.fd]]);
    assert.throws(() => a.setMap(0, b), /not an array_of_maps/);
  });

  test('a refusal becomes a KernelError naming the map, with a hint', () => {
    const fake = installFake();
    fake.onBpf = () => -E2BIG;
    assert.throws(
      () => BpfMap.create({ name: 'big', type: 'hash', keySize: 4, valueSize: 1 << 20, maxEntries: 1 }),
      (e: unknown) => {
        assert.ok(e instanceof KernelError);
        assert.equal(e.op, 'BPF_MAP_CREATE');
        assert.equal(e.errno, E2BIG);
        assert.equal(e.code, 'E2BIG');
        assert.equal(e.message, "BPF_MAP_CREATE failed for map 'big': E2BIG (argument list too long)");
        assert.equal(e.hint, 'the key or value is too large for this map type, or max_entries is too large');
        return true;
      },
    );
  });
});

describe('BpfMap element access', () => {
  test('lookup points key and value at the caller buffers and reports absence as false', () => {
    const fake = installFake();
    const map = BpfMap.create({ name: 'm', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 16 });
    const key = Buffer.from([1, 0, 0, 0]);
    const value = Buffer.alloc(8);
    fake.onBpf = (cmd, attr, f) => {
      assert.equal(cmd, BpfCmd.MAP_LOOKUP_ELEM);
      assert.equal(attr.readUInt32LE(MapElem.mapFd), MAP_FD);
      assert.equal(f.deref(attr.readBigUInt64LE(MapElem.key)), key);
      const out = f.deref(attr.readBigUInt64LE(MapElem.value));
      if (out.length !== 8) throw new Error('value buffer');
      if (key[0] !== 1) return -ENOENT;
      out.writeBigUInt64LE(42n);
      return 0;
    };
    assert.equal(map.lookup(key, value), true);
    assert.equal(value.readBigUInt64LE(), 42n);
    key[0] = 2;
    assert.equal(map.lookup(key, value), false);
  });

  test('update passes its flags at offset 24 and a full map raises a map-full hint', () => {
    const fake = installFake();
    const map = BpfMap.create({ name: 'full', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 16 });
    fake.onBpf = () => 0;
    map.update(Buffer.alloc(4), Buffer.alloc(8), 1);
    const call = fake.bpfCalls[1]!;
    assert.equal(call.cmd, BpfCmd.MAP_UPDATE_ELEM);
    assert.equal(call.size, 32);
    assert.equal(call.attr.readBigUInt64LE(MapElem.flags), 1n);
    fake.onBpf = () => -E2BIG;
    assert.throws(
      () => map.update(Buffer.alloc(4), Buffer.alloc(8)),
      (e: unknown) =>
        e instanceof KernelError &&
        e.code === 'E2BIG' &&
        e.hint === "map 'full' is full (max_entries 16): give it a larger max_entries",
    );
  });

  test('delete sends a NULL value and reports absence as false', () => {
    const fake = installFake();
    const map = BpfMap.create({ name: 'm', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 16 });
    fake.onBpf = () => -ENOENT;
    assert.equal(map.delete(Buffer.alloc(4)), false);
    const call = fake.bpfCalls[1]!;
    assert.equal(call.cmd, BpfCmd.MAP_DELETE_ELEM);
    assert.equal(call.attr.readBigUInt64LE(MapElem.value), 0n);
    fake.onBpf = () => 0;
    assert.equal(map.delete(Buffer.alloc(4)), true);
  });

  test('refuses buffers shorter than the kernel will write', () => {
    installFake();
    const map = BpfMap.create({ name: 'pc', type: 'percpu_array', keySize: 4, valueSize: 12, maxEntries: 1 });
    assert.equal(map.valueBufferSize, 16 * possibleCpus());
    assert.equal(perCpuValueSize(12), 16 * possibleCpus());
    assert.throws(() => map.lookup(Buffer.alloc(4), Buffer.alloc(12)), RangeError);
    assert.throws(() => map.lookup(Buffer.alloc(3), Buffer.alloc(map.valueBufferSize)), RangeError);
  });
});

/** A hash map in the fake kernel: entries in order, the batch token is the index reached. */
function batchKernel(fake: FakeSys, entries: readonly (readonly [Buffer, Buffer])[], maxBucket = 1) {
  const state = { remaining: [...entries], deletes: 0 };
  fake.onBpf = (cmd, attr, f) => {
    if (cmd !== BpfCmd.MAP_LOOKUP_BATCH && cmd !== BpfCmd.MAP_LOOKUP_AND_DELETE_BATCH) return -EINVAL;
    const inAddr = attr.readBigUInt64LE(MapBatch.inBatch);
    const start = cmd === BpfCmd.MAP_LOOKUP_AND_DELETE_BATCH || inAddr === 0n ? 0 : f.deref(inAddr).readUInt32LE(0);
    const capacity = attr.readUInt32LE(MapBatch.count);
    // Like the kernel's hash maps: a whole bucket must fit in one batch.
    if (capacity < maxBucket) {
      attr.writeUInt32LE(0, MapBatch.count);
      return -ENOSPC;
    }
    const keys = f.deref(attr.readBigUInt64LE(MapBatch.keys));
    const values = f.deref(attr.readBigUInt64LE(MapBatch.values));
    const n = Math.min(capacity, state.remaining.length - start);
    for (let i = 0; i < n; i++) {
      const [k, v] = state.remaining[start + i]!;
      k.copy(keys, i * k.length);
      v.copy(values, i * v.length);
    }
    f.deref(attr.readBigUInt64LE(MapBatch.outBatch)).writeUInt32LE(start + n, 0);
    attr.writeUInt32LE(n, MapBatch.count);
    if (cmd === BpfCmd.MAP_LOOKUP_AND_DELETE_BATCH) {
      state.remaining.splice(0, n);
      state.deletes += n;
      return state.remaining.length === 0 ? -ENOENT : 0;
    }
    return start + n >= state.remaining.length ? -ENOENT : 0;
  };
  return state;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

function entriesOf(count: number, valueBytes: number): [Buffer, Buffer][] {
  return Array.from({ length: count }, (_, i) => {
    const v = Buffer.alloc(valueBytes);
    v.writeUInt32LE(i * 10);
    return [u32(i), v];
  });
}

describe('BpfMap.forEachBatch', () => {
  test('reads batches until ENOENT and keeps the entries that come with it', () => {
    const fake = installFake();
    const map = BpfMap.create({ name: 'm', type: 'percpu_hash', keySize: 4, valueSize: 4, maxEntries: 100 });
    batchKernel(fake, entriesOf(10, map.valueBufferSize));
    const seen: [number, number][] = [];
    const counts: number[] = [];
    const total = map.forEachBatch(
      (keys, values, count) => {
        counts.push(count);
        for (let i = 0; i < count; i++) seen.push([keys.readUInt32LE(i * 4), values.readUInt32LE(i * map.valueBufferSize)]);
      },
      { batchSize: 4 },
    );
    assert.equal(total, 10);
    assert.deepEqual(counts, [4, 4, 2]);
    assert.deepEqual(seen, Array.from({ length: 10 }, (_, i) => [i, i * 10]));
  });

  test('lays out BPF_MAP_LOOKUP_BATCH and chains out_batch into the next in_batch', () => {
    const fake = installFake();
    const map = BpfMap.create({ name: 'm', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 100 });
    batchKernel(fake, entriesOf(5, 8));
    map.forEachBatch(() => {}, { batchSize: 2 });
    const calls = fake.bpfCalls.slice(1);
    assert.equal(calls.length, 3);
    for (const c of calls) {
      assert.equal(c.cmd, 24);
      assert.equal(c.size, 56);
      assert.equal(c.attr.readUInt32LE(32), 2); // count: the capacity going in
      assert.equal(c.attr.readUInt32LE(36), MAP_FD);
      assert.equal(c.attr.readBigUInt64LE(40), 0n); // elem_flags
      assert.equal(c.attr.readBigUInt64LE(48), 0n); // flags
      assert.equal(fake.deref(c.attr.readBigUInt64LE(16)).length, 2 * 4); // keys
      assert.equal(fake.deref(c.attr.readBigUInt64LE(24)).length, 2 * 8); // values
    }
    assert.equal(calls[0]!.attr.readBigUInt64LE(0), 0n);
    assert.equal(calls[1]!.attr.readBigUInt64LE(0), calls[0]!.attr.readBigUInt64LE(8));
    assert.equal(calls[2]!.attr.readBigUInt64LE(0), calls[1]!.attr.readBigUInt64LE(8));
    assert.notEqual(calls[1]!.attr.readBigUInt64LE(0), calls[1]!.attr.readBigUInt64LE(8));
  });

  test('an empty map gives ENOENT with no entries on the first call', () => {
    const fake = installFake();
    const map = BpfMap.create({ name: 'm', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 100 });
    batchKernel(fake, []);
    let calls = 0;
    assert.equal(map.forEachBatch(() => calls++), 0);
    assert.equal(calls, 0);
  });

  test('grows the batch when a hash bucket does not fit (ENOSPC)', () => {
    const fake = installFake();
    const map = BpfMap.create({ name: 'm', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 100 });
    batchKernel(fake, entriesOf(7, 8), 4);
    const counts: number[] = [];
    assert.equal(map.forEachBatch((_k, _v, n) => counts.push(n), { batchSize: 1 }), 7);
    assert.deepEqual(counts, [4, 3]);
    assert.deepEqual(fake.bpfCalls.slice(1).map((c) => c.attr.readUInt32LE(MapBatch.count)), [1, 2, 4, 4]);
  });

  test('a batch takes at most MAX_BATCH_BYTES of keys and values, however many entries the map holds', () => {
    const fake = installFake();
    // A p99 map's shape: 15 KB of state a key and CPU.
    const map = BpfMap.create({ name: 'q', type: 'percpu_hash', keySize: 8, valueSize: 15_368, maxEntries: 682 });
    const entryBytes = 8 + map.valueBufferSize;
    const perBatch = Math.floor(MAX_BATCH_BYTES / entryBytes);
    assert.ok(perBatch >= 1 && perBatch < 682, `${perBatch} entries a batch`);
    batchKernel(fake, Array.from({ length: 100 }, (_, i) => [Buffer.alloc(8, i), Buffer.alloc(map.valueBufferSize, i)] as const));
    const counts: number[] = [];
    assert.equal(map.forEachBatch((_k, _v, n) => counts.push(n)), 100);
    for (const c of fake.bpfCalls.slice(1)) {
      assert.equal(c.attr.readUInt32LE(MapBatch.count), perBatch);
      const bytes = fake.deref(c.attr.readBigUInt64LE(MapBatch.keys)).length + fake.deref(c.attr.readBigUInt64LE(MapBatch.values)).length;
      assert.ok(bytes <= MAX_BATCH_BYTES, `${bytes} bytes of buffers`);
    }
    assert.equal(counts.reduce((a, b) => a + b, 0), 100);
    assert.ok(counts.every((n) => n <= perBatch));
  });

  test('an entry larger than MAX_BATCH_BYTES is read one at a time', () => {
    const fake = installFake();
    const map = BpfMap.create({ name: 'big', type: 'hash', keySize: 4, valueSize: MAX_BATCH_BYTES, maxEntries: 8 });
    batchKernel(fake, entriesOf(3, MAX_BATCH_BYTES));
    const counts: number[] = [];
    assert.equal(map.forEachBatch((_k, _v, n) => counts.push(n)), 3);
    assert.deepEqual(counts, [1, 1, 1]);
  });

  test('drain uses LOOKUP_AND_DELETE_BATCH', () => {
    const fake = installFake();
    const map = BpfMap.create({ name: 'm', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 100 });
    const state = batchKernel(fake, entriesOf(6, 8));
    assert.equal(map.forEachBatch(() => {}, { drain: true, batchSize: 4 }), 6);
    assert.deepEqual(fake.bpfCalls.slice(1).map((c) => c.cmd), [25, 25]);
    assert.equal(state.deletes, 6);
  });

  test('refuses to drain an array map', () => {
    installFake();
    const map = BpfMap.create({ name: 'arr', type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 4 });
    assert.throws(() => map.forEachBatch(() => {}, { drain: true }), /cannot drain array map 'arr'/);
  });

  test('falls back to GET_NEXT_KEY + LOOKUP_ELEM when batches are not supported', () => {
    const fake = installFake();
    const map = BpfMap.create({ name: 'm', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 100 });
    const keys = [5, 9, 2];
    fake.onBpf = (cmd, attr, f) => {
      switch (cmd) {
        case BpfCmd.MAP_LOOKUP_BATCH:
          return -EINVAL;
        case BpfCmd.MAP_GET_NEXT_KEY: {
          const from = attr.readBigUInt64LE(MapElem.key);
          const i = from === 0n ? 0 : keys.indexOf(f.deref(from).readUInt32LE(0)) + 1;
          if (i >= keys.length) return -ENOENT;
          f.deref(attr.readBigUInt64LE(MapElem.value)).writeUInt32LE(keys[i]!);
          return 0;
        }
        case BpfCmd.MAP_LOOKUP_ELEM: {
          const k = f.deref(attr.readBigUInt64LE(MapElem.key)).readUInt32LE(0);
          f.deref(attr.readBigUInt64LE(MapElem.value)).writeBigUInt64LE(BigInt(k * 100));
          return 0;
        }
        default:
          return -EINVAL;
      }
    };
    const seen: [number, bigint][] = [];
    const counts: number[] = [];
    const total = map.forEachBatch(
      (k, v, n) => {
        counts.push(n);
        for (let i = 0; i < n; i++) seen.push([k.readUInt32LE(i * 4), v.readBigUInt64LE(i * 8)]);
      },
      { batchSize: 2 },
    );
    assert.equal(total, 3);
    assert.deepEqual(counts, [2, 1]);
    assert.deepEqual(seen, [[5, 500n], [9, 900n], [2, 200n]]);
    // The refusal is remembered: the second read goes straight to the per-entry path.
    const before = fake.bpfCalls.length;
    map.forEachBatch(() => {});
    assert.equal(fake.bpfCalls.slice(before).filter((c) => c.cmd === BpfCmd.MAP_LOOKUP_BATCH).length, 0);
  });

  test('any other batch error is thrown', () => {
    const fake = installFake();
    const map = BpfMap.create({ name: 'm', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 100 });
    fake.onBpf = () => -14;
    assert.throws(() => map.forEachBatch(() => {}), (e: unknown) => e instanceof KernelError && e.code === 'EFAULT' && e.op === 'BPF_MAP_LOOKUP_BATCH');
  });
});

test('close closes the fd once', () => {
  const fake = installFake();
  const map = BpfMap.create({ name: 'm', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 1 });
  map.close();
  map.close();
  assert.deepEqual(fake.closed, [MAP_FD]);
});
