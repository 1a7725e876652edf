import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { BpfMap } from '../../src/kernel/map.js';
import { RingBuffer } from '../../src/kernel/ringbuf.js';
import { setSys } from '../../src/kernel/sys.js';
import { FakeSys } from './fake-sys.js';

const PAGE = 4096;
const SIZE = 4096;
const BUSY = 0x80000000;
const DISCARD = 0x40000000;

/** A fake kernel with one ring buffer map; `data` is the data area as the producer mapping shows it. */
function setup(consumerStart = 0) {
  const fake = new FakeSys();
  fake.onBpf = () => 5;
  setSys(fake);
  const consumer = new ArrayBuffer(PAGE);
  const producer = new ArrayBuffer(PAGE + 2 * SIZE);
  new DataView(consumer).setBigUint64(0, BigInt(consumerStart), true);
  fake.mappings.push(consumer, producer);
  const map = BpfMap.create({ name: 'events', type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: SIZE });
  const data = new DataView(producer, PAGE);
  const setProducer = (pos: number): void => new DataView(producer).setBigUint64(0, BigInt(pos), true);
  const consumerPos = (): number => Number(new DataView(consumer).getBigUint64(0, true));
  /** Writes a record at position `pos` (as the kernel would, into the doubled data area); returns the next position. */
  const record = (pos: number, payload: number[], flags = 0): number => {
    const off = pos % SIZE;
    data.setUint32(off, (payload.length | flags) >>> 0, true);
    data.setUint32(off + 4, 0, true);
    payload.forEach((b, i) => data.setUint8(off + 8 + i, b));
    return pos + ((payload.length + 8 + 7) & ~7);
  };
  return { fake, map, data, setProducer, consumerPos, record };
}

afterEach(() => setSys(undefined));

test('maps the consumer page read-write and the producer page + data twice read-only', () => {
  const { fake, map } = setup();
  const rb = new RingBuffer(map);
  assert.deepEqual(fake.mmapCalls, [
    { length: PAGE, prot: 3, flags: 1, fd: 5, offset: 0 },
    { length: PAGE + 2 * SIZE, prot: 1, flags: 1, fd: 5, offset: PAGE },
  ]);
  rb.close();
  assert.equal(fake.unmapped.length, 2);
  rb.close();
  assert.equal(fake.unmapped.length, 2);
  assert.throws(() => rb.poll(() => {}), /ring buffer 'events' is closed/);
});

test('reads committed records, skips discarded ones and stops at one still being written', () => {
  const { map, setProducer, consumerPos, record } = setup();
  let pos = record(0, [1, 2, 3, 4, 5]);
  pos = record(pos, [9, 9, 9, 9, 9, 9, 9, 9], DISCARD);
  pos = record(pos, [7, 8, 9]);
  const busyAt = pos;
  pos = record(pos, [6], BUSY);
  setProducer(pos);
  const rb = new RingBuffer(map);
  const seen: number[][] = [];
  const read = (view: DataView, offset: number, length: number): void => {
    seen.push(Array.from({ length }, (_, i) => view.getUint8(offset + i)));
  };
  assert.equal(rb.poll(read), 2);
  assert.deepEqual(seen, [[1, 2, 3, 4, 5], [7, 8, 9]]);
  assert.equal(consumerPos(), busyAt);
  assert.equal(rb.poll(read), 0);
  record(busyAt, [6]); // submitted: BUSY cleared
  assert.equal(rb.poll(read), 1);
  assert.deepEqual(seen[2], [6]);
  assert.equal(consumerPos(), pos);
});

test('a record that wraps past the end is read contiguously from the second mapping', () => {
  const start = SIZE - 8;
  const { map, data, setProducer, consumerPos, record } = setup(start);
  const end = record(start, [10, 11, 12, 13, 14, 15, 16, 17]);
  setProducer(end);
  // The kernel's second mapping shows data[0..] again at data[SIZE..]: the payload lands there.
  [10, 11, 12, 13, 14, 15, 16, 17].forEach((b, i) => data.setUint8(SIZE + i, b));
  const rb = new RingBuffer(map);
  const seen: [number, number][] = [];
  rb.poll((_view, offset, length) => seen.push([offset, length]));
  assert.deepEqual(seen, [[SIZE, 8]]);
  assert.deepEqual([...rb.bytes.subarray(SIZE, SIZE + 8)], [10, 11, 12, 13, 14, 15, 16, 17]);
  assert.equal(consumerPos(), end);
});

test('wait returns at once when records are pending and sleeps out the timeout otherwise', async () => {
  const { map, setProducer, record } = setup();
  const rb = new RingBuffer(map);
  const t0 = performance.now();
  assert.equal(await rb.wait(30), false);
  assert.ok(performance.now() - t0 >= 25);
  setProducer(record(0, [1]));
  assert.equal(await rb.wait(10_000), true);
  rb.close();
});

test('closing during a wait ends the wait', async () => {
  const { map } = setup();
  const rb = new RingBuffer(map);
  const pending = rb.wait(10_000);
  rb.close();
  assert.equal(await pending, false);
});

test('refuses maps that are not ring buffers of a valid size', () => {
  const fake = new FakeSys();
  fake.onBpf = () => 5;
  setSys(fake);
  const hash = BpfMap.create({ name: 'h', type: 'hash', keySize: 4, valueSize: 4, maxEntries: 4096 });
  assert.throws(() => new RingBuffer(hash), /map 'h' is a hash, not a ringbuf/);
  const odd = BpfMap.create({ name: 'r', type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 12288 });
  assert.throws(() => new RingBuffer(odd), /needs a power of two and a multiple of the page size 4096/);
});

test('poll stops after maxRecords, releasing exactly what it read, and the next poll goes on from there', () => {
  const { map, setProducer, consumerPos, record } = setup();
  const ends: number[] = [];
  let pos = 0;
  for (let i = 0; i < 5; i++) ends.push((pos = record(pos, [i])));
  setProducer(pos);
  const rb = new RingBuffer(map);
  const seen: number[] = [];
  const read = (view: DataView, offset: number): void => void seen.push(view.getUint8(offset));
  assert.equal(rb.poll(read, 2), 2);
  assert.deepEqual(seen, [0, 1]);
  assert.equal(consumerPos(), ends[1]);
  assert.equal(rb.poll(read, 2), 2);
  assert.equal(rb.poll(read, 2), 1);
  assert.deepEqual(seen, [0, 1, 2, 3, 4]);
  assert.equal(consumerPos(), pos);
});
