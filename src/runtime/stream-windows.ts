// EVERY over streamed rows: each row belongs to the window its event time falls in, whenever it
// is read. Window k is [base + k·period, base + (k+1)·period) on CLOCK_MONOTONIC, the clock of
// bpf_ktime_get_ns; `base` is the moment of attaching, moved back to a whole microsecond of the
// wall clock, so that every boundary is a whole microsecond (what a DuckDB timestamp holds) and a
// row's `ts` lies inside its window's [window_start, window_end) exactly.
//
// Rows of the oldest open window are handed on as they come (bounded memory in a storm); rows of
// later windows, read early because the ring is shared by every CPU, wait until that window is the
// oldest. A window is closed by the caller once no record of it can still arrive.
import type { ColumnBatch } from '../catalog/types.js';
import type { StreamMode } from '../planner/plan.js';
import { RecordDecoder } from './decode-records.js';
import type { RowNames } from './row-names.js';

/** A window's time range in microseconds of the wall clock (Unix epoch). */
export interface WindowRange {
  readonly startUs: number;
  readonly endUs: number;
}

export interface ClosedWindow {
  readonly range: WindowRange;
  /** The window's rows not handed on before, if any. */
  readonly rows?: ColumnBatch;
}

export class StreamWindows {
  private readonly open = new Map<number, RecordDecoder>();
  /** The oldest window not yet closed. */
  private first = 0;
  /** Set by finish: records of events at or after it came after the query ended. */
  private endMono: bigint | undefined;
  /** The last window, which runs to the end of the query: with FOR known from the start, else set by finish. */
  private last = Infinity;
  readonly baseMono: bigint;

  /**
   * @param stampOffset where each record holds its event time (see windowStampOffset)
   * @param attachedMono CLOCK_MONOTONIC ns just before the program was attached
   * @param wallOffset ns to add to CLOCK_MONOTONIC for the wall clock (the rows' own)
   * @param nominalEndMono FOR: when the query is to end; its timer fires a little later, and the
   *   window this time ends runs on until then rather than a sliver of a window following it
   */
  constructor(
    private readonly mode: StreamMode,
    private readonly stampOffset: number,
    private readonly periodNs: bigint,
    attachedMono: bigint,
    private readonly wallOffset: bigint,
    nominalEndMono: bigint | undefined,
    private readonly names: RowNames = {},
  ) {
    this.baseMono = this.toWholeUs(attachedMono);
    if (nominalEndMono !== undefined) this.last = this.windowOf(this.toWholeUs(nominalEndMono) - 1n);
  }

  /** Takes one record; false when it is of an event after the query ended (it is dropped). */
  push(data: Buffer, offset: number): boolean {
    const ts = data.readBigUInt64LE(offset + this.stampOffset);
    if (this.endMono !== undefined && ts >= this.endMono) return false;
    // No event is older than the attachment, and none of a closed window arrives after it is
    // closed (see the caller's grace period), so the clamp only guards those two facts.
    const k = Math.min(this.last, Math.max(this.first, this.windowOf(ts)));
    let decoder = this.open.get(k);
    if (decoder === undefined) {
      decoder = new RecordDecoder(this.mode, this.wallOffset, this.names);
      this.open.set(k, decoder);
    }
    decoder.push(data, offset);
    return true;
  }

  /** The oldest open window's rows read so far, to hand on now; undefined when there are none. */
  takeOldest(): ColumnBatch | undefined {
    const d = this.open.get(this.first);
    return d !== undefined && d.pending > 0 ? d.take() : undefined;
  }

  /** When the oldest open window ends (CLOCK_MONOTONIC ns); undefined for the last, which ends with the query. */
  nextEndMono(): bigint | undefined {
    return this.first < this.last ? this.endOf(this.first) : undefined;
  }

  /** Closes, oldest first, every window that ends at or before `mono`. */
  closeThrough(mono: bigint): ClosedWindow[] {
    const closed: ClosedWindow[] = [];
    while (this.first < this.last && this.endOf(this.first) <= mono) closed.push(this.close(this.first, this.endOf(this.first)));
    return closed;
  }

  /**
   * The query ends now, at `mono` (moved on to a whole microsecond, so every record read so far
   * is of an earlier event): records of events from then on are dropped. Call before the last
   * read of the ring, then closeAll.
   */
  finish(mono: bigint): void {
    const wholeUs = this.toWholeUs(mono);
    this.endMono = wholeUs === mono ? mono : wholeUs + 1000n;
    this.last = Math.max(this.first, Math.min(this.last, this.windowOf(this.endMono - 1n)));
  }

  /** After finish: closes every window, the last one ending where the query ended. */
  closeAll(): ClosedWindow[] {
    const end = this.endMono;
    if (end === undefined) throw new Error('closeAll before finish');
    const closed = this.closeThrough(end);
    if (end > this.startOf(this.first)) closed.push(this.close(this.first, end));
    return closed;
  }

  private close(k: number, endMono: bigint): ClosedWindow {
    const rows = this.takeOldest();
    this.open.delete(k);
    this.first = k + 1;
    return { range: { startUs: this.wallUs(this.startOf(k)), endUs: this.wallUs(endMono) }, ...(rows ? { rows } : {}) };
  }

  private windowOf(mono: bigint): number {
    return Number((mono - this.baseMono) / this.periodNs);
  }

  /** `mono` moved back to a whole microsecond of the wall clock. */
  private toWholeUs(mono: bigint): bigint {
    return mono - ((mono + this.wallOffset) % 1000n);
  }

  private startOf(k: number): bigint {
    return this.baseMono + BigInt(k) * this.periodNs;
  }

  private endOf(k: number): bigint {
    return this.startOf(k + 1);
  }

  private wallUs(mono: bigint): number {
    return Number((mono + this.wallOffset) / 1000n);
  }
}
