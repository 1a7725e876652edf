// The contract every in-kernel aggregate meets: its type rule, its state in the per-CPU map
// value, the instructions that initialise and update that state, and how user space merges the
// CPUs' states into one value. Keeping these together means a new aggregate is one file.
import type { ValueType } from '../../catalog/types.js';
import type { Item } from '../../bpf/index.js';
import type { Reg } from '../../bpf/register.js';

export interface AggregateEmit {
  /** The aggregate's column name (a0, a1, …): unique within the program, for labels. */
  readonly id: string;
  /** Byte offset of this aggregate's state inside the map value. */
  readonly offset: number;
  /** Stack offset (negative, from R10) holding the evaluated argument as a u64. */
  readonly argSlot: number;
  /** Whether the argument is compared and summed as a signed number. */
  readonly signed: boolean;
}

/** One CPU's state as user space reads it. */
export interface CpuState {
  /** Events this CPU counted for the key (the u64 every value starts with). */
  readonly count: bigint;
  readonly view: DataView;
  /** Where this aggregate's state starts in `view`. */
  readonly offset: number;
}

export type AggregateValue = bigint | number | null;

export interface KernelAggregate {
  readonly name: string;
  /** Whether it takes an argument (count(*) does not). */
  readonly needsArg: boolean;
  /** The result type for an integer argument of the given signedness. */
  resultType(argSigned: boolean): ValueType;
  /** Bytes of state after the shared event count. */
  readonly stateBytes: number;
  /**
   * On a key's first event on this CPU: write the state at `value + base + offset`, either into
   * the value being built on the stack (R10) or into a map value another CPU inserted (its slot for
   * this CPU is still zero).
   */
  emitInit(e: AggregateEmit, value: Reg, base: number): Item[];
  /** On later events: update the state in place through `value`, a pointer to the map value. */
  emitUpdate(e: AggregateEmit, value: Reg): Item[];
  /** Merges the CPUs that saw the key into the final value. */
  finalize(cpus: readonly CpuState[], argSigned: boolean): AggregateValue;
}

export function readU64(view: DataView, offset: number, signed: boolean): bigint {
  return signed ? view.getBigInt64(offset, true) : view.getBigUint64(offset, true);
}
