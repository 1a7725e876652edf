// Runs a compiled program in the kernel: creates its maps, loads and attaches it, waits until
// the query should end, and collects what it produced. Results are read before anything is torn
// down; teardown (slow: RCU grace periods) happens after.
import { encode } from '../bpf/index.js';
import type { CompiledProgram } from '../bpf-templates/compile.js';
import { Stat, STAT_COUNT, STATS_MAP } from '../bpf-templates/stats.js';
import { AGG_MAP, AGG_SPARE_MAP, WINDOW_MAP } from '../bpf-templates/aggregate-program.js';
import { RING_MAP, windowStampOffset } from '../bpf-templates/stream-program.js';
import type { ColumnBatch } from '../catalog/types.js';
import { possibleCpus } from '../kernel/cpus.js';
import { GracePeriod } from '../kernel/grace-period.js';
import { BpfMap } from '../kernel/map.js';
import { BpfProgram } from '../kernel/program.js';
import { RingBuffer } from '../kernel/ringbuf.js';
import { VerifierError } from '../kernel/errors.js';
import { KernelScope } from '../kernel/scope.js';
import type { KernelPlan, StreamMode } from '../planner/plan.js';
import { decodeAggregates, type MapChunk } from './decode-aggregates.js';
import { RecordDecoder } from './decode-records.js';
import { reportVerifierBug } from '../engine/bug-report.js';
import type { Completeness } from './completeness.js';
import { attachSource, programTypeOf } from './attach-source.js';
import { stackTextFor } from './stack-text.js';
import { StreamWindows, type ClosedWindow } from './stream-windows.js';
import { afterMs } from './long-timer.js';
import { RingReader } from './ring-reader.js';
import { WindowQueue } from './window-queue.js';
import type { StackText } from './symbolize.js';

export interface KernelRunOptions {
  /** The statement's text, for the bug report written if the verifier rejects the program. */
  readonly query?: string;
  /** Resolves when the query should end (Ctrl-C, traced command exited). */
  readonly until: Promise<unknown>;
  /** FOR: the query also ends this long after the program was attached. */
  readonly durationMs?: number;
  /** Stream mode: called with each batch of rows as it is drained. */
  readonly onRows?: (batch: ColumnBatch) => Promise<void>;
  /** Stream mode: stop once this many rows arrived. */
  readonly rowLimit?: number;
  /** How often the ring buffer is drained. */
  readonly pollMs?: number;
  /** Called a few times a second while the query runs; awaited, so it may read the session. */
  readonly onTick?: (progress: KernelProgress) => void | Promise<void>;
  /** Called once the program is attached and events are being counted. */
  readonly onAttached?: () => void;
  /**
   * EVERY (the program must be compiled with `windowed`): the query's result is cut into windows
   * of `ms`, back to back from the moment of attaching. As each closes, onWindow gets its time
   * range. Stream mode: each row is in the window its event time falls in, handed to onRows
   * before that window's onWindow. Aggregate mode: onWindow gets the window's aggregates, exactly
   * the events counted between the two switches of map that bound it.
   */
  readonly every?: { readonly ms: number; readonly onWindow: (w: Window) => Promise<void> };
}

/** A window's time range, in microseconds of the wall clock (Unix epoch), end excluded. */
export interface Window {
  readonly startUs: number;
  readonly endUs: number;
  readonly aggregate?: ColumnBatch;
}

/** How a running query is doing, for live views. */
export interface KernelProgress {
  /** Stream mode: rows drained so far. Aggregate mode: groups in the map so far. */
  readonly rows: number;
  readonly elapsedMs: number;
  /** What the kernel could not record so far, where it was read. */
  readonly completeness?: Completeness;
  /** Aggregate mode: the merged aggregates as they stand (read only when onTick is given). */
  readonly snapshot?: ColumnBatch;
}

export interface KernelRunResult {
  /** Aggregate mode: the merged aggregates. Stream mode: undefined (rows went to onRows). */
  readonly aggregate?: ColumnBatch;
  readonly rows: number;
  readonly completeness: Completeness;
  readonly startedAt: Date;
  readonly endedAt: Date;
  /** Closes programs, links and maps. Call after the results have been shown. */
  readonly teardown: () => void;
}

/** Nanoseconds to add to bpf_ktime_get_ns (CLOCK_MONOTONIC) to get wall-clock time. */
export function monotonicToWallOffset(): bigint {
  return BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
}

export interface Attached {
  readonly scope: KernelScope;
  readonly maps: Map<string, BpfMap>;
  readonly programs: BpfProgram[];
  /** CLOCK_MONOTONIC ns just before the program producing results was attached: no event of it is older. */
  readonly attachedMono: bigint;
}

/**
 * Everything up to attached: returns the live objects. Throws KernelError, or VerifierBugError
 * (with a report naming `query`) when the verifier rejects the generated program.
 */
export function loadAndAttach(plan: KernelPlan, prog: CompiledProgram, query = '(query text not given)'): Attached {
  const scope = new KernelScope();
  try {
    const maps = new Map<string, BpfMap>();
    for (const spec of prog.maps) {
      const inner = spec.inner === undefined ? undefined : maps.get(spec.inner);
      if (spec.inner !== undefined && inner === undefined) throw new Error(`map '${spec.name}' needs map '${spec.inner}' made before it`);
      const map = scope.add(BpfMap.create({ ...spec, name: `bpfql_${spec.name}` }, inner));
      if (inner !== undefined) map.setMap(0, inner);
      maps.set(spec.name, map);
    }
    const fds = new Map([...maps].map(([name, m]) => [name, m.fd]));
    const programs: BpfProgram[] = [];
    // The entry side first, so that exits find their entries from the start.
    for (const e of prog.entries) {
      const entry = scope.add(BpfProgram.load({ name: e.name, type: programTypeOf(e.source), insns: encode(e.assembled, fds), license: 'GPL' }));
      scope.add(attachSource(entry, e.source));
      programs.push(entry);
    }
    const program = scope.add(BpfProgram.load({ name: prog.name, type: programTypeOf(plan.source), insns: encode(prog.assembled, fds), license: 'GPL' }));
    const attachedMono = process.hrtime.bigint();
    scope.add(attachSource(program, plan.source));
    programs.push(program);
    return { scope, maps, programs, attachedMono };
  } catch (e) {
    scope.closeAll();
    throw e instanceof VerifierError ? reportVerifierBug(query, prog, e) : e;
  }
}

/** Events skipped by the kernel (another BPF program was running on the CPU), over the query's programs. */
function missedEvents(programs: readonly BpfProgram[]): number {
  try {
    return programs.reduce((n, p) => n + p.recursionMisses(), 0);
  } catch {
    // Kernels before 5.12 neither count nor report them.
    return 0;
  }
}

function readStats(stats: BpfMap, programs: readonly BpfProgram[]): Completeness {
  const cpus = possibleCpus();
  const slot = STAT_COUNT * 8;
  const value = Buffer.alloc(slot * cpus);
  const key = Buffer.alloc(4);
  let lost = 0n;
  let full = 0n;
  let lostPairs = 0n;
  if (stats.lookup(key, value)) {
    for (let c = 0; c < cpus; c++) {
      full += value.readBigUInt64LE(c * slot + Stat.mapFull * 8);
      lost += value.readBigUInt64LE(c * slot + Stat.ringLost * 8);
      lostPairs += value.readBigUInt64LE(c * slot + Stat.lostPairs * 8);
    }
  }
  return { lostRecords: Number(lost), failedUpdates: Number(full), lostPairs: Number(lostPairs), missedEvents: missedEvents(programs) };
}

/** @param stacks names stack ids, for plans with stack columns (see stackTextFor). */
export function readAggregates(plan: KernelPlan, agg: BpfMap, drain = false, stacks?: StackText): ColumnBatch {
  if (plan.mode.kind !== 'aggregate') throw new Error('not an aggregate plan');
  const chunks: MapChunk[] = [];
  agg.forEachBatch((keys, values, count) => chunks.push({ keys: Buffer.from(keys), values: Buffer.from(values), count }), { drain });
  return decodeAggregates(plan.mode, chunks, possibleCpus(), stacks);
}

export async function runKernel(plan: KernelPlan, prog: CompiledProgram, opts: KernelRunOptions): Promise<KernelRunResult> {
  if (opts.every !== undefined && !prog.windowed) throw new Error('EVERY needs a program compiled with windowed');
  const { scope, maps, programs, attachedMono } = loadAndAttach(plan, prog, opts.query);
  const startedAt = new Date();
  // One offset for the rows' timestamps and the windows' bounds, so a row's ts and its window agree exactly.
  const wallOffset = monotonicToWallOffset();
  opts.onAttached?.();
  const stats = maps.get(STATS_MAP)!;
  // Read while the run's processes are likely still alive: user stacks are named from their mappings.
  const stacks = stackTextFor(maps);
  // FOR counts from the moment of attaching: that long of events, whatever loading took.
  const nominalEnd = opts.durationMs === undefined ? undefined : attachedMono + BigInt(opts.durationMs) * 1_000_000n;
  let cancelTimer = (): void => undefined;
  const timedOut = nominalEnd === undefined ? new Promise<void>(() => undefined) : new Promise<void>((resolve) => {
    cancelTimer = afterMs(Number(nominalEnd - process.hrtime.bigint()) / 1e6, resolve);
  });
  try {
    const started = performance.now();
    const run: Running = { plan, maps, programs, stats, stacks, scope, attachedMono, wallOffset, nominalEnd, started, stopped: false, ended: Promise.resolve() };
    run.ended = Promise.race([opts.until, timedOut]).then(() => {
      run.stopped = true;
    });
    const result =
      plan.mode.kind === 'stream'
        ? opts.every
          ? await streamWindows(run, plan.mode, opts, opts.every)
          : await stream(run, plan.mode, opts)
        : opts.every
          ? await aggregateWindows(run, opts, opts.every)
          : await aggregate(run, opts);
    return { ...result, completeness: readStats(stats, programs), startedAt, endedAt: new Date(), teardown: () => scope.closeAll() };
  } catch (e) {
    scope.closeAll();
    throw e;
  } finally {
    cancelTimer();
  }
}

/** What the loops of a running query share. */
interface Running {
  readonly plan: KernelPlan;
  readonly maps: Map<string, BpfMap>;
  readonly programs: readonly BpfProgram[];
  readonly stats: BpfMap;
  readonly stacks: StackText | undefined;
  readonly scope: KernelScope;
  readonly attachedMono: bigint;
  readonly wallOffset: bigint;
  /** FOR: when the query is to end (CLOCK_MONOTONIC ns); it ends when the timer has fired, a little later. */
  readonly nominalEnd: bigint | undefined;
  readonly started: number;
  stopped: boolean;
  ended: Promise<void>;
}

type Collected = { readonly aggregate?: ColumnBatch; readonly rows: number };

/** Stream mode: reads the ring until the query ends or the row limit is reached. */
async function stream(run: Running, mode: StreamMode, opts: KernelRunOptions): Promise<Collected> {
  const ring = run.scope.add(new RingBuffer(run.maps.get(RING_MAP)!));
  const decoder = new RecordDecoder(mode, run.wallOffset, run.stacks);
  const limit = opts.rowLimit ?? Infinity;
  let rows = 0;
  // The ring hands every record in the same view of its data area: wrap it once, not per record.
  let data: Buffer | undefined;
  const onRecord = (view: DataView, offset: number): void => {
    if (rows >= limit) return;
    data ??= Buffer.from(view.buffer, view.byteOffset, view.byteLength);
    decoder.push(data, offset);
    rows++;
  };
  const reader = new RingReader(ring, mode, onRecord, async () => {
    if (decoder.pending > 0 && opts.onRows) await opts.onRows(decoder.take());
  });
  let behind = false;
  while (!run.stopped && rows < limit) {
    // Behind a storm, read on at once (after a turn of the event loop, for signals and timers);
    // otherwise wait for records to gather.
    await Promise.race([run.ended, sleep(behind ? 0 : opts.pollMs ?? 50)]);
    behind = await reader.drain();
    if (opts.onTick) await opts.onTick({ rows, elapsedMs: performance.now() - run.started, completeness: readStats(run.stats, run.programs) });
  }
  await reader.drain();
  return { rows };
}

/**
 * Stream mode with EVERY: rows go to the window of their event time (see StreamWindows). A
 * window is closed once every record of it has been read: after its end has passed, a grace
 * period (every program running then has finished, so every event before then has its record
 * submitted), then reading the ring up to where the kernel had written after that wait.
 */
async function streamWindows(run: Running, mode: StreamMode, opts: KernelRunOptions, every: NonNullable<KernelRunOptions['every']>): Promise<Collected> {
  const ring = run.scope.add(new RingBuffer(run.maps.get(RING_MAP)!));
  const grace = run.scope.add(GracePeriod.create());
  const windows = new StreamWindows(mode, windowStampOffset(mode), BigInt(every.ms) * 1_000_000n, run.attachedMono, run.wallOffset, run.nominalEnd, run.stacks);
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
      await every.onWindow(w.range);
    }
  };
  /** Reads every record of an event before now. */
  const readAllBefore = async (): Promise<void> => {
    grace.wait();
    await reader.drainTo(ring.producedPosition());
  };
  let behind = false;
  const pollMs = opts.pollMs ?? 50;
  while (!run.stopped && rows < limit) {
    const next = windows.nextEndMono();
    const untilEnd = next === undefined ? pollMs : Number(next - process.hrtime.bigint()) / 1e6;
    await Promise.race([run.ended, sleep(behind ? 0 : Math.max(1, Math.min(pollMs, untilEnd)))]);
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

/** Aggregate mode: the map is read once, when the query ends (and for live views as it runs). */
async function aggregate(run: Running, opts: KernelRunOptions): Promise<Collected> {
  const agg = run.maps.get(AGG_MAP)!;
  while (!run.stopped) {
    await Promise.race([run.ended, sleep(250)]);
    if (opts.onTick && !run.stopped) {
      const snapshot = readAggregates(run.plan, agg, false, run.stacks);
      await opts.onTick({ rows: snapshot.rowCount, elapsedMs: performance.now() - run.started, completeness: readStats(run.stats, run.programs), snapshot });
    }
  }
  const aggregate = readAggregates(run.plan, agg, false, run.stacks);
  return { aggregate, rows: aggregate.rowCount };
}

/**
 * Rows of windows cut and not yet handed on (each window counting one at least) before the loop
 * stops cutting and waits: DuckDB may take longer over a window than a short period lasts, and
 * the backlog is kept in memory.
 */
const MAX_PENDING_ROWS = 1 << 18;

/**
 * Aggregate mode with EVERY: at each window's end the program is switched to the other map
 * (which waits until no program still uses the old one: see BpfMap.setMap), and the old map is
 * read and emptied. A window is exactly the events between two switches, and its bounds are the
 * times of the switches. Switching keeps to the schedule while DuckDB takes the windows in
 * order behind it (a few may wait); a window is longer than asked only when that falls behind.
 */
async function aggregateWindows(run: Running, opts: KernelRunOptions, every: NonNullable<KernelRunOptions['every']>): Promise<Collected> {
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
  for (let last = false; !last; ) {
    const waitMs = cutsAt(nextEnd) ? Number(nextEnd - process.hrtime.bigint()) / 1e6 : 250;
    if (waitMs > 0) await Promise.race([run.ended, sleep(Math.min(250, waitMs))]);
    last = run.stopped;
    const now = process.hrtime.bigint();
    if ((now >= nextEnd && cutsAt(nextEnd)) || last) {
      if (queue.pendingRows >= MAX_PENDING_ROWS) await queue.idle();
      const endMono = process.hrtime.bigint();
      active = 1 - active;
      slot.setMap(0, buffers[active]);
      const aggregate = readAggregates(run.plan, buffers[1 - active], true, run.stacks);
      total += aggregate.rowCount;
      queue.push({ startUs: wallUs(startMono, run.wallOffset), endUs: wallUs(endMono, run.wallOffset), aggregate });
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
