// The contract every in-kernel aggregate meets: its type rule, its constant parameters, its state
// in the per-CPU map value, the instructions that update that state, and how user space merges the
// CPUs' states into one value. Keeping these together means a new aggregate is one file.
import type { Bucket, ValueType } from '../../catalog/types.js';
import type { Item } from '../../bpf/index.js';
import type { Reg } from '../../bpf/register.js';
import type { AggregateParams } from '../../planner/plan.js';

export type { AggregateParams };

export const NO_PARAMS: AggregateParams = { kind: 'none' };

/** A constant argument as written in the query (after unary minus is applied). */
export type ParamLiteral = { readonly kind: 'int'; readonly value: bigint } | { readonly kind: 'float'; readonly value: number };

/** Why constant arguments are refused: `index` counts among the constants, from 0. */
export interface ParamProblem { readonly kind: 'problem'; readonly index: number; readonly reason: string }

export interface AggregateEmit {
  /** The aggregate's column name (a0, a1, …): unique within the program, for labels. */
  readonly id: string;
  /** Byte offset of this aggregate's state inside the map value. */
  readonly offset: number;
  /** Stack offset (negative, from R10) holding the evaluated argument as a u64. */
  readonly argSlot: number;
  /** Whether the argument is compared and summed as a signed number. */
  readonly signed: boolean;
  readonly params: AggregateParams;
}

/** One CPU's state as user space reads it. */
export interface CpuState {
  /** Events this CPU counted for the key (the u64 every value starts with). */
  readonly count: bigint;
  readonly view: DataView;
  /** Where this aggregate's state starts in `view`. */
  readonly offset: number;
}

export type AggregateValue = bigint | number | readonly Bucket[] | null;

export interface KernelAggregate {
  readonly name: string;
  /** Whether it takes an argument (count(*) does not). */
  readonly needsArg: boolean;
  /** Names of the constant arguments that follow the first (lhist: lo, hi, step; quantile: q). */
  readonly paramNames: readonly string[];
  /** Checks the constant arguments, as many as paramNames, and turns them into params. */
  params(values: readonly ParamLiteral[]): AggregateParams | ParamProblem;
  /** The result type for an integer argument of the given signedness. */
  resultType(argSigned: boolean): ValueType;
  /** Bytes of state after the shared event count. */
  stateBytes(argSigned: boolean, params: AggregateParams): number;
  /**
   * Aggregates of one family over the same argument read one shared state (p50(x) and p99(x)
   * count the same buckets), so only the first of them updates it.
   */
  readonly stateFamily?: string;
  /**
   * On a key's first event on this CPU, for aggregates whose all-zero state is not a neutral
   * start (min, max); the others run emitUpdate on the zeroed state.
   */
  emitFirst?(e: AggregateEmit, value: Reg): Item[];
  /** Updates the state in place through `value`, a pointer to the map value. */
  emitUpdate(e: AggregateEmit, value: Reg): Item[];
  /** Merges the CPUs that saw the key into the final value. */
  finalize(cpus: readonly CpuState[], argSigned: boolean, params: AggregateParams): AggregateValue;
}

export function readU64(view: DataView, offset: number, signed: boolean): bigint {
  return signed ? view.getBigInt64(offset, true) : view.getBigUint64(offset, true);
}

/** The params of an aggregate that takes no constants. */
export function noParams(): AggregateParams {
  return NO_PARAMS;
}

/** Sums u64 counters at `offset + 8 * i` over the CPUs, for i < n. */
export function mergeCounters(cpus: readonly CpuState[], n: number): bigint[] {
  const out: bigint[] = new Array<bigint>(n).fill(0n);
  for (const c of cpus) {
    if (c.count === 0n) continue;
    for (let i = 0; i < n; i++) out[i]! += c.view.getBigUint64(c.offset + 8 * i, true);
  }
  return out;
}
