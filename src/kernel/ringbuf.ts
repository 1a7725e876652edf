// Reading a BPF ring buffer straight from its mapped pages, without a syscall per record.
//
// Layout of the map's mmap: page 0 holds consumer_pos (ours, mapped read-write); page 1 holds
// producer_pos (the kernel's, read-only); the data area follows and is mapped twice back to back,
// so a record that wraps around the end is still contiguous. Each record has an 8-byte header:
// u32 length with BUSY (bit 31, not yet committed) and DISCARD (bit 30) flags, and a u32 the
// kernel uses; records are padded to 8 bytes.
import { KernelError } from './errors.js';
import type { BpfMap } from './map.js';
import { sys } from './sys.js';

const PROT_READ = 1;
const PROT_WRITE = 2;
const MAP_SHARED = 1;
export const HEADER_SIZE = 8;
const BUSY_BIT = 0x80000000;
const DISCARD_BIT = 0x40000000;
const LENGTH_MASK = 0x3fffffff;

/** Called per committed record; `data` views the data area, the record is [offset, offset + length). */
export type RecordCallback = (data: DataView, offset: number, length: number) => void;

interface Mapping {
  readonly address: bigint;
  readonly length: number;
}

export class RingBuffer {
  readonly map: BpfMap;
  /** The data area (twice over), for callers that prefer bytes to a DataView; same memory as `data`. */
  readonly bytes: Uint8Array;
  private readonly data: DataView;
  /** Header words of the data area, for atomic (acquire) reads of the BUSY bit. */
  private readonly headers: Int32Array;
  private readonly consumerPos: BigUint64Array;
  private readonly producerPos: BigUint64Array;
  private readonly mask: number;
  private readonly mappings: readonly Mapping[];
  private consumed: number;
  private waiting: AbortController | undefined;
  private closed = false;

  constructor(map: BpfMap) {
    if (map.spec.type !== 'ringbuf') throw new Error(`map '${map.spec.name}' is a ${map.spec.type}, not a ringbuf`);
    const s = sys();
    const page = s.pageSize();
    const size = map.spec.maxEntries;
    if ((size & (size - 1)) !== 0 || size % page !== 0) {
      throw new Error(`ring buffer '${map.spec.name}' has ${size} bytes; it needs a power of two and a multiple of the page size ${page}`);
    }
    const consumer = s.mmap(page, PROT_READ | PROT_WRITE, MAP_SHARED, map.fd, 0);
    let producer: bigint;
    try {
      producer = s.mmap(page + 2 * size, PROT_READ, MAP_SHARED, map.fd, page);
    } catch (e) {
      s.munmap(consumer, page);
      throw e;
    }
    this.map = map;
    this.mappings = [
      { address: consumer, length: page },
      { address: producer, length: page + 2 * size },
    ];
    this.consumerPos = new BigUint64Array(s.view(consumer, 8));
    const producerArea = s.view(producer, page + 2 * size);
    this.producerPos = new BigUint64Array(producerArea, 0, 1);
    this.data = new DataView(producerArea, page, 2 * size);
    this.bytes = new Uint8Array(producerArea, page, 2 * size);
    this.headers = new Int32Array(producerArea, page, (2 * size) / 4);
    this.mask = size - 1;
    // Positions are u64 byte counters; they stay below 2^53 for any realistic run.
    this.consumed = Number(Atomics.load(this.consumerPos, 0));
  }

  /**
   * Hands committed records to `onRecord`, skips discarded ones, frees the space; returns records
   * read. Stops after `maxRecords`: while the kernel writes as fast as this reads, only a bound
   * keeps one call from reading for as long as the writing goes on.
   */
  poll(onRecord: RecordCallback, maxRecords = Infinity): number {
    if (this.closed) throw new Error(`ring buffer '${this.map.spec.name}' is closed`);
    let records = 0;
    for (;;) {
      const produced = Number(Atomics.load(this.producerPos, 0));
      if (produced === this.consumed) return records;
      let pos = this.consumed;
      while (pos < produced && records < maxRecords) {
        const offset = pos & this.mask;
        const header = Atomics.load(this.headers, offset >> 2) >>> 0;
        if ((header & BUSY_BIT) !== 0) break; // reserved, not yet submitted: stop here
        const length = header & LENGTH_MASK;
        if ((header & DISCARD_BIT) === 0) {
          onRecord(this.data, offset + HEADER_SIZE, length);
          records++;
        }
        pos += (length + HEADER_SIZE + 7) & ~7;
      }
      if (pos === this.consumed) return records;
      this.consumed = pos;
      // Release: the kernel may reuse the space only after our reads above.
      Atomics.store(this.consumerPos, 0, BigInt(pos));
      if (records >= maxRecords) return records;
    }
  }

  /** How far the kernel has written (a byte position): records before it are reserved, maybe not yet submitted. */
  producedPosition(): number {
    return Number(Atomics.load(this.producerPos, 0));
  }

  /** How far this reader has read (a byte position). */
  consumedPosition(): number {
    return this.consumed;
  }

  /**
   * Resolves true when records may be waiting, false after `timeoutMs`. Uses the map fd's
   * readiness when the Sys can watch fds, else just sleeps for the timeout. Records the program
   * submits with BPF_RB_NO_WAKEUP wake no one, so callers poll after every wait either way.
   */
  async wait(timeoutMs: number): Promise<boolean> {
    if (this.closed) return false;
    if (this.waiting !== undefined) throw new Error(`ring buffer '${this.map.spec.name}' is already being waited on`);
    const produced = Number(Atomics.load(this.producerPos, 0));
    if (produced !== this.consumed) return true;
    const waiter = new AbortController();
    this.waiting = waiter;
    try {
      const s = sys();
      if (s.waitReadable !== undefined) return await s.waitReadable(this.map.fd, timeoutMs, waiter.signal);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        waiter.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      return false;
    } finally {
      this.waiting = undefined;
    }
  }

  /** Unmaps the buffer (the map itself stays open); a pending wait resolves false. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.waiting?.abort();
    const s = sys();
    const failed = this.mappings.map((m) => s.munmap(m.address, m.length)).find((r) => r < 0);
    if (failed !== undefined) throw new KernelError('munmap', -failed, { subject: `ring buffer '${this.map.spec.name}'` });
  }
}
