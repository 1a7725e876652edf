// EVERY: the query's result is cut into windows while it runs, in stream and in aggregate mode.
import { AGG_MAP, AGG_SPARE_MAP, WINDOW_MAP } from '../bpf-templates/aggregate-program.js';
import { RING_MAP, windowStampOffset } from '../bpf-templates/stream-program.js';
import type { ColumnBatch } from '../catalog/types.js';
import { GracePeriod } from '../kernel/grace-period.js';
import { RingBuffer } from '../kernel/ringbuf.js';
import type { StreamMode } from '../planner/plan.js';
import { readAggregates } from './aggregate-run.js';
import { readHealth, readStats } from './read-stats.js';
import { RingReader } from './ring-reader.js';
import type { Every, KernelRunOptions } from './run-options.js';
import type { Collected, Running } from './running.js';
import { Sleeper } from './sleeper.js';
import { StreamWindows, type ClosedWindow } from './stream-windows.js';
import { WindowQueue } from './window-queue.js';

/**
 * Stream mode: rows go to the window of their event time (see StreamWindows). A window is
 * closed once every record of it has been read: after its end has passed, a grace period (every
 * program running then has finished, so every event before then has its record submitted), then
 * reading the ring up to where the kernel had written after that wait.
 */
export async function streamWindows(run: Running, mode: StreamMode, opts: KernelRunOptions, every: Every): Promise<Collected> {
  const ring = run.scope.add(new RingBuffer(run.maps.get(RING_MAP)!));
  const grace = run.scope.add(GracePeriod.create());
  const windows = new StreamWindows(mode, windowStampOffset(mode), BigInt(every.ms) * 1_000_000n, run.attachedMono, run.wallOffset, run.nominalEnd, run.names);
  const limit = opts.rowLimit ?? Infinity;
  let rows = 0;
  let data: Buffer | undefined;
  const onRecord = (view: DataView, offset: number): void => {
    if (rows >= limit) return;
    data ??= Buffer.from(view.buffer, view.byteOffset, view.byteLength);
    if (windows.push(data, offset)) rows++;
  };
  const handOn = async (batch: ColumnBatch | undefined): Promise<void> => {
    if (batch !== undefined && opts.onRows) await opts.onRows(batch);
  };
  const reader = new RingReader(ring, mode, onRecord, () => handOn(windows.takeOldest()));
  const closeWindows = async (closed: readonly ClosedWindow[]): Promise<void> => {
    for (const w of closed) {
      await handOn(w.rows);
      await every.onWindow({ ...w.range, health: readHealth(run.stats, run.programs) });
    }
  };
  /** Reads every record of an event before now. */
  const readAllBefore = async (): Promise<void> => {
    grace.wait();
    await reader.drainTo(ring.producedPosition());
  };
  let behind = false;
  const pollMs = opts.pollMs ?? 50;
  const sleeper = new Sleeper([run.ended]);
  while (!run.stopped && rows < limit) {
    const next = windows.nextEndMono();
    const untilEnd = next === undefined ? pollMs : Number(next - process.hrtime.bigint()) / 1e6;
    await sleeper.sleep(behind ? 0 : Math.max(1, Math.min(pollMs, untilEnd)));
    behind = await reader.drain();
    const now = process.hrtime.bigint();
    const due = windows.nextEndMono();
    if (due !== undefined && due <= now) {
      await readAllBefore();
      await closeWindows(windows.closeThrough(now));
    }
    if (opts.onTick) await opts.onTick({ rows, elapsedMs: performance.now() - run.started, completeness: readStats(run.stats, run.programs) });
  }
  windows.finish(process.hrtime.bigint());
  await readAllBefore();
  await closeWindows(windows.closeAll());
  return { rows };
}

/**
 * Rows of windows cut and not yet handed on (each window counting one at least) before the loop
 * stops cutting and waits: DuckDB may take longer over a window than a short period lasts, and
 * the backlog is kept in memory.
 */
const MAX_PENDING_ROWS = 1 << 18;

/**
 * Aggregate mode: at each window's end the program is switched to the other map (which waits
 * until no program still uses the old one: see BpfMap.setMap), and the old map is read and
 * emptied. A window is exactly the events between two switches, and its bounds are the times of
 * the switches. Switching keeps to the schedule while DuckDB takes the windows in order behind
 * it (a few may wait); a window is longer than asked only when that falls behind.
 */
export async function aggregateWindows(run: Running, opts: KernelRunOptions, every: Every): Promise<Collected> {
  const slot = run.maps.get(WINDOW_MAP)!;
  const buffers = [run.maps.get(AGG_MAP)!, run.maps.get(AGG_SPARE_MAP)!] as const;
  const period = BigInt(every.ms) * 1_000_000n;
  const queue = new WindowQueue(every.onWindow);
  let active = 0;
  let startMono = run.attachedMono;
  let nextEnd = run.attachedMono + period;
  let total = 0;
  // With FOR, the window its end falls in runs until the query has ended, its timer a little late.
  const cutsAt = (end: bigint): boolean => run.nominalEnd === undefined || end < run.nominalEnd;
  // The loop sleeps until the next cut (or the end, or a failed window): a server of standing
  // queries wakes once a window, not four times a second each. Live views get their ticks.
  const tickMs = opts.onTick ? 250 : Infinity;
  const sleeper = new Sleeper([run.ended, queue.failed]);
  for (let last = false; !last; ) {
    const waitMs = cutsAt(nextEnd) ? Number(nextEnd - process.hrtime.bigint()) / 1e6 : 250;
    if (waitMs > 0) await sleeper.sleep(Math.min(tickMs, waitMs));
    last = run.stopped;
    const now = process.hrtime.bigint();
    if ((now >= nextEnd && cutsAt(nextEnd)) || last) {
      if (queue.pendingRows >= MAX_PENDING_ROWS) await queue.idle();
      const endMono = process.hrtime.bigint();
      active = 1 - active;
      slot.setMap(0, buffers[active]!);
      const aggregate = readAggregates(run.plan, buffers[1 - active]!, true, run.names);
      total += aggregate.rowCount;
      queue.push({ startUs: wallUs(startMono, run.wallOffset), endUs: wallUs(endMono, run.wallOffset), health: readHealth(run.stats, run.programs), aggregate });
      startMono = endMono;
      while (nextEnd <= endMono) nextEnd += period;
    }
    queue.check();
    if (opts.onTick) await opts.onTick({ rows: total, elapsedMs: performance.now() - run.started });
  }
  await queue.idle();
  return { rows: total };
}

function wallUs(mono: bigint, wallOffset: bigint): number {
  return Number((mono + wallOffset) / 1000n);
}
