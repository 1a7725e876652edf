// Reading a query's ring buffer in bounded steps, handing rows on after each step.
import { HEADER_SIZE, type RingBuffer } from '../kernel/ringbuf.js';
import type { StreamMode } from '../planner/plan.js';

/** Ring-buffer records handed to DuckDB at a time. */
const DRAIN_BATCH = 16384;

export class RingReader {
  /** Records one drain reads at most: a ring's worth, so the loop still closes windows and sees the end of the query. */
  private readonly perDrain: number;

  constructor(
    private readonly ring: RingBuffer,
    mode: StreamMode,
    private readonly onRecord: (view: DataView, offset: number) => void,
    private readonly handOn: () => Promise<void>,
  ) {
    this.perDrain = Math.ceil(mode.ringBytes / (mode.recordSize + HEADER_SIZE));
  }

  /**
   * Reads what is there, up to a ring's worth; true when it stopped there with more to read.
   * In a storm the kernel refills the ring as fast as it is read: rows go on in batches of
   * DRAIN_BATCH, so memory holds one batch.
   */
  async drain(): Promise<boolean> {
    for (let read = 0; read < this.perDrain; ) {
      const want = Math.min(DRAIN_BATCH, this.perDrain - read);
      const got = this.ring.poll(this.onRecord, want);
      read += got;
      await this.handOn();
      if (got < want) return false;
    }
    return true;
  }

  /**
   * Reads until the reader has passed byte position `position`. A record before it may still be
   * being written (reserved, not yet submitted) by a program that started after the position was
   * taken: such a program runs without sleeping, so the wait for it is short.
   */
  async drainTo(position: number): Promise<void> {
    while (this.ring.consumedPosition() < position) {
      const got = this.ring.poll(this.onRecord, DRAIN_BATCH);
      await this.handOn();
      if (got === 0) await sleep(0);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
