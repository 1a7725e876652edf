// What the loops of a running query (stream-run, aggregate-run, every-run) share.
import type { ColumnBatch } from '../catalog/types.js';
import type { BpfMap } from '../kernel/map.js';
import type { BpfProgram } from '../kernel/program.js';
import type { KernelScope } from '../kernel/scope.js';
import type { KernelPlan } from '../planner/plan.js';
import type { RowNames } from './row-names.js';

export interface Running {
  readonly plan: KernelPlan;
  readonly maps: ReadonlyMap<string, BpfMap>;
  readonly programs: readonly BpfProgram[];
  readonly stats: BpfMap;
  /** Names the stack and cgroup ids of the plan's keys and records. */
  readonly names: RowNames;
  readonly scope: KernelScope;
  readonly attachedMono: bigint;
  readonly wallOffset: bigint;
  /** FOR: when the query is to end (CLOCK_MONOTONIC ns); it ends when the timer has fired, a little later. */
  readonly nominalEnd: bigint | undefined;
  readonly started: number;
  stopped: boolean;
  ended: Promise<void>;
}

/** What a loop hands back: aggregate mode without EVERY has the merged aggregates. */
export type Collected = { readonly aggregate?: ColumnBatch; readonly rows: number };
