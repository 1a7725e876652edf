// What running a compiled query takes and gives: the options of runKernel, what it reports while
// it runs, and its result.
import type { ColumnBatch } from '../catalog/types.js';
import type { CgroupInfo } from './cgroup-names.js';
import type { Completeness } from './completeness.js';
import type { WindowGate } from './window-gate.js';

export interface KernelRunOptions {
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
  /** Called once the programs (this many) are attached and events are being counted. */
  readonly onAttached?: (programs: number) => void;
  /**
   * EVERY (the program must be compiled with `windowed`): the query's result is cut into windows
   * of `ms`, back to back from the moment of attaching. As each closes, onWindow gets its time
   * range. Stream mode: each row is in the window its event time falls in, handed to onRows
   * before that window's onWindow. Aggregate mode: onWindow gets the window's aggregates, exactly
   * the events counted between the two switches of map that bound it.
   */
  readonly every?: Every;
  /**
   * The window is shared with other queries of the statement (the program must be compiled
   * gated): it opens when all are attached and ends when the gate says, not by `until` and
   * `durationMs`.
   */
  readonly gate?: WindowGate;
}

export interface Every {
  readonly ms: number;
  readonly onWindow: (w: Window) => Promise<void>;
}

/** How the query's programs were doing when a window closed: counts since they were attached. */
export interface WindowHealth {
  readonly completeness: Completeness;
  readonly programs: number;
  /** Nanoseconds the programs ran (BPF stats; 0 while kernel.bpf_stats_enabled is off). */
  readonly runTimeNs: number;
}

/** A window's time range, in microseconds of the wall clock (Unix epoch), end excluded. */
export interface Window {
  readonly startUs: number;
  readonly endUs: number;
  readonly health: WindowHealth;
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
  /** The cgroups the run knew of (at its start and made during it), when the query named cgroup columns. */
  readonly cgroups?: readonly CgroupInfo[];
  /** Closes programs, links and maps. Call after the results have been shown. */
  readonly teardown: () => void;
}
