// Runs a compiled program in the kernel: creates its maps, loads and attaches it, waits until
// the query should end, and collects what it produced. Results are read before anything is torn
// down; teardown (slow: RCU grace periods) happens after.
import { encode } from '../bpf/index.js';
import type { CompiledProgram } from '../bpf-templates/compile.js';
import { Stat, STAT_COUNT, STATS_MAP } from '../bpf-templates/stats.js';
import { AGG_MAP } from '../bpf-templates/aggregate-program.js';
import { RING_MAP } from '../bpf-templates/stream-program.js';
import type { ColumnBatch } from '../catalog/types.js';
import { possibleCpus } from '../kernel/cpus.js';
import { BpfMap } from '../kernel/map.js';
import { BpfProgram } from '../kernel/program.js';
import { HEADER_SIZE, RingBuffer } from '../kernel/ringbuf.js';
import { VerifierError } from '../kernel/errors.js';
import { KernelScope } from '../kernel/scope.js';
import type { KernelPlan } from '../planner/plan.js';
import { decodeAggregates, type MapChunk } from '../sink/decode-aggregates.js';
import { RecordDecoder } from '../sink/decode-records.js';
import { reportVerifierBug } from './bug-report.js';
import type { Completeness } from './completeness.js';
import { attachSource, programTypeOf } from './attach-source.js';
import { stackTextFor } from './stack-text.js';
import type { StackText } from '../sink/symbolize.js';

export interface KernelRunOptions {
  /** The statement's text, for the bug report written if the verifier rejects the program. */
  readonly query?: string;
  /** Resolves when the query should end (duration, Ctrl-C, traced command exited). */
  readonly until: Promise<unknown>;
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
   * EVERY: the query's result is cut into windows of `ms`. As each closes, onWindow gets its time
   * range; stream mode has already handed the window's rows to onRows, aggregate mode passes the
   * aggregates drained from the map (lookup-and-delete, so the next window starts empty).
   */
  readonly every?: { readonly ms: number; readonly onWindow: (w: Window) => Promise<void> };
}

export interface Window {
  readonly start: Date;
  readonly end: Date;
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

/** Ring-buffer records handed to DuckDB at a time. */
const DRAIN_BATCH = 16384;

/** Nanoseconds to add to bpf_ktime_get_ns (CLOCK_MONOTONIC) to get wall-clock time. */
export function monotonicToWallOffset(): bigint {
  return BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
}

/**
 * Everything up to attached: returns the live objects. Throws KernelError, or VerifierBugError
 * (with a report naming `query`) when the verifier rejects the generated program.
 */
export function loadAndAttach(plan: KernelPlan, prog: CompiledProgram, query = '(query text not given)'): { scope: KernelScope; maps: Map<string, BpfMap>; programs: BpfProgram[] } {
  const scope = new KernelScope();
  try {
    const maps = new Map<string, BpfMap>();
    for (const spec of prog.maps) maps.set(spec.name, scope.add(BpfMap.create({ ...spec, name: `bpfql_${spec.name}` })));
    const fds = new Map([...maps].map(([name, m]) => [name, m.fd]));
    const programs: BpfProgram[] = [];
    // The entry side first, so that exits find their entries from the start.
    for (const e of prog.entries) {
      const entry = scope.add(BpfProgram.load({ name: e.name, type: programTypeOf(e.source), insns: encode(e.assembled, fds), license: 'GPL' }));
      scope.add(attachSource(entry, e.source));
      programs.push(entry);
    }
    const program = scope.add(BpfProgram.load({ name: prog.name, type: programTypeOf(plan.source), insns: encode(prog.assembled, fds), license: 'GPL' }));
    scope.add(attachSource(program, plan.source));
    programs.push(program);
    return { scope, maps, programs };
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
  const { scope, maps, programs } = loadAndAttach(plan, prog, opts.query);
  const startedAt = new Date();
  opts.onAttached?.();
  const stats = maps.get(STATS_MAP)!;
  // Read while the run's processes are likely still alive: user stacks are named from their mappings.
  const stacks = stackTextFor(maps);
  let rows = 0;
  try {
    const started = performance.now();
    let stopped = false;
    const ended = opts.until.then(() => {
      stopped = true;
    });
    if (plan.mode.kind === 'stream') {
      const ring = scope.add(new RingBuffer(maps.get(RING_MAP)!));
      const decoder = new RecordDecoder(plan.mode, monotonicToWallOffset(), stacks);
      const limit = opts.rowLimit ?? Infinity;
      // The ring hands every record in the same view of its data area: wrap it once, not per record.
      let data: Buffer | undefined;
      const onRecord = (view: DataView, offset: number): void => {
        if (rows >= limit) return;
        data ??= Buffer.from(view.buffer, view.byteOffset, view.byteLength);
        decoder.push(data, offset);
        rows++;
      };
      // In a storm the kernel refills the ring as fast as it is read. Rows go to DuckDB in batches
      // of DRAIN_BATCH, so memory holds one batch, and one drain reads at most a ring's worth,
      // so the loop still closes windows and sees the end of the query.
      const perDrain = Math.ceil(plan.mode.ringBytes / (plan.mode.recordSize + HEADER_SIZE));
      /** Reads what is there, up to a ring's worth; true when it stopped there with more to read. */
      const drain = async (): Promise<boolean> => {
        for (let read = 0; read < perDrain; ) {
          const want = Math.min(DRAIN_BATCH, perDrain - read);
          const got = ring.poll(onRecord, want);
          read += got;
          if (decoder.pending > 0 && opts.onRows) await opts.onRows(decoder.take());
          if (got < want) return false;
        }
        return true;
      };
      const windows = new WindowClock(opts.every?.ms);
      let behind = false;
      while (!stopped && rows < limit) {
        // Behind a storm, read on at once (after a turn of the event loop, for signals and timers);
        // otherwise wait for records to gather.
        await Promise.race([ended, sleep(behind ? 0 : opts.pollMs ?? 50)]);
        behind = await drain();
        if (opts.every && windows.due()) await opts.every.onWindow(windows.close());
        if (opts.onTick) await opts.onTick({ rows, elapsedMs: performance.now() - started, completeness: readStats(stats, programs) });
      }
      await drain();
      if (opts.every) await opts.every.onWindow(windows.close());
      return { rows, completeness: readStats(stats, programs), startedAt, endedAt: new Date(), teardown: () => scope.closeAll() };
    }
    const agg = maps.get(AGG_MAP)!;
    if (opts.every) {
      const windows = new WindowClock(opts.every.ms);
      let total = 0;
      while (!stopped) {
        await Promise.race([ended, sleep(Math.min(250, windows.remainingMs()))]);
        if (windows.due() || stopped) {
          const aggregate = readAggregates(plan, agg, true, stacks);
          total += aggregate.rowCount;
          await opts.every.onWindow({ ...windows.close(), aggregate });
        }
        opts.onTick?.({ rows: total, elapsedMs: performance.now() - started });
      }
      return { rows: total, completeness: readStats(stats, programs), startedAt, endedAt: new Date(), teardown: () => scope.closeAll() };
    }
    while (!stopped) {
      await Promise.race([ended, sleep(250)]);
      if (opts.onTick && !stopped) {
        const snapshot = readAggregates(plan, agg, false, stacks);
        await opts.onTick({ rows: snapshot.rowCount, elapsedMs: performance.now() - started, completeness: readStats(stats, programs), snapshot });
      }
    }
    const aggregate = readAggregates(plan, agg, false, stacks);
    return { aggregate, rows: aggregate.rowCount, completeness: readStats(stats, programs), startedAt, endedAt: new Date(), teardown: () => scope.closeAll() };
  } catch (e) {
    scope.closeAll();
    throw e;
  }
}

/** Window boundaries on the wall clock, every `ms` from the start of the query. */
class WindowClock {
  private start = Date.now();

  constructor(private readonly ms: number | undefined) {}

  remainingMs(): number {
    return Math.max(1, this.start + (this.ms ?? Infinity) - Date.now());
  }

  due(): boolean {
    return this.ms !== undefined && Date.now() >= this.start + this.ms;
  }

  /** Ends the current window (at its nominal end, or now if the query stopped early). */
  close(): Window {
    const end = Math.min(Date.now(), this.start + (this.ms ?? Infinity));
    const w = { start: new Date(this.start), end: new Date(end) };
    this.start = end;
    return w;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
