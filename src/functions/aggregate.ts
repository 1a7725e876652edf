// The contract every aggregate function meets, after DuckDB's AggregateFunction: its name and
// signature (what the argument must be, its constant arguments, the result), its state in the
// per-CPU map value (size, first value, update, the merge of the CPUs' states into the result),
// and the DuckDB macro that computes it from streamed rows when DuckDB has no function of that
// name and meaning. One file per function holds all of it; registry.ts lists the files.
import type { Bucket, ValueType } from '../catalog/types.js';
import { BUCKETS, FLOAT, S64, U64 } from '../catalog/types.js';
import type { Item } from '../bpf/index.js';
import type { Reg } from '../bpf/register.js';

/** What an aggregate's code depends on, fixed when the query is planned: lhist's bounds, a quantile's q, whether count's argument may be NULL. */
export type AggregateParams =
  | { readonly kind: 'none' }
  | { readonly kind: 'linear'; readonly lo: bigint; readonly hi: bigint; readonly step: bigint }
  | { readonly kind: 'quantile'; readonly q: number }
  /** count(x) of an x that may be NULL: the argument is 1 when x is not NULL, else 0, and the count adds it up. */
  | { readonly kind: 'non-null' };

export const NO_PARAMS: AggregateParams = { kind: 'none' };

/** A constant argument as written in the query (after unary minus is applied). */
export type ParamLiteral = { readonly kind: 'int'; readonly value: bigint } | { readonly kind: 'float'; readonly value: number };

/** Why constant arguments are refused: `index` counts among the constants, from 0. */
export interface ParamProblem { readonly kind: 'problem'; readonly index: number; readonly reason: string }

/**
 * What the first argument must be, checked before anything runs: a value of whatever type, a number, or an
 * integer (bucketing a DOUBLE would bucket something else than the kernel does).
 */
export type ArgumentKind = 'any' | 'number' | 'integer';

/**
 * The result: a number of the argument's kind (BIGINT, UBIGINT for an unsigned argument, a DOUBLE
 * when DuckDB computes it over one), always a BIGINT, always a DOUBLE, or a bucket list.
 */
export type ResultKind = 'argument' | 'bigint' | 'double' | 'buckets';

/** What the kernel program tells an aggregate's code about its place in the program. */
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

export interface AggregateFunction<N extends string = string> {
  readonly name: N;
  /** Whether it takes an argument (count(*) does not). */
  readonly needsArg: boolean;
  readonly argument: ArgumentKind;
  /** Names of the constant arguments that follow the first (lhist: lo, hi, step; quantile: q). */
  readonly paramNames: readonly string[];
  /** Checks the constant arguments, as many as paramNames, and turns them into params. */
  params(values: readonly ParamLiteral[]): AggregateParams | ParamProblem;
  readonly result: ResultKind;
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
  /**
   * Updates the state in place through `value`, a pointer to the map value (R0). The code may
   * clobber R1–R5 and must leave every other register as it found it.
   */
  emitUpdate(e: AggregateEmit, value: Reg): Item[];
  /** Merges the CPUs that saw the key into the final value. */
  finalize(cpus: readonly CpuState[], argSigned: boolean, params: AggregateParams): AggregateValue;
  /** CREATE MACRO statement defining it in DuckDB, when DuckDB has no function of this name and meaning. */
  readonly duckdbMacro?: string;
}

/** The type of the kernel's result column for an integer argument of the given signedness. */
export function resultType(f: AggregateFunction, argSigned: boolean): ValueType {
  switch (f.result) {
    case 'argument': return argSigned ? S64 : U64;
    case 'bigint': return S64;
    case 'double': return FLOAT;
    case 'buckets': return BUCKETS;
  }
}

/** The params of an aggregate that takes no constants. */
export function noParams(): AggregateParams {
  return NO_PARAMS;
}
