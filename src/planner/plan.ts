// The plan: what runs in the kernel and what DuckDB computes on top. Plain, serialisable data.
import type { Column } from '../catalog/column.js';
import type { EventSource, OtherEvent, Pairing } from '../catalog/table.js';
import type { ResultColumn, ValueType } from '../catalog/types.js';
import type { AggregateParams } from '../functions/aggregate.js';
import type { AggregateName } from '../functions/registry.js';
import type { KExpr } from './kexpr.js';

/** One value the kernel writes into a map key or a ring-buffer record. */
export interface KernelField {
  readonly name: string;
  readonly expr: KExpr;
  readonly type: ValueType;
  /** Byte offset inside the key or record. */
  readonly offset: number;
  /** Bytes taken: 1, 2, 4 or 8 for integers, the capacity for strings. */
  readonly width: number;
}

/** One aggregate's state in the per-CPU map value. Every value starts with a u64 event count. */
export interface AggregateSlot {
  readonly name: string;
  readonly fn: AggregateName;
  readonly arg?: KExpr;
  readonly params: AggregateParams;
  /** Byte offset of this aggregate's state in the map value. */
  readonly offset: number;
  /** Set when the state is another slot's (named here), which updates it: p50(x) and p99(x) share buckets. */
  readonly stateOf?: string;
  readonly resultType: ValueType;
}

export interface AggregateMode {
  readonly kind: 'aggregate';
  readonly keys: readonly KernelField[];
  readonly keySize: number;
  readonly aggregates: readonly AggregateSlot[];
  readonly valueSize: number;
  readonly maxEntries: number;
}

export interface StreamMode {
  readonly kind: 'stream';
  readonly fields: readonly KernelField[];
  readonly recordSize: number;
  readonly ringBytes: number;
}

/** Byte offsets of task_struct member paths (key: the path joined with '.'), read from BTF. */
export type TaskOffsets = Readonly<Record<string, readonly number[]>>;

/** Byte offsets of member paths in structs records point to (key: memberPathKey), summed from BTF. */
export type MemberOffsets = Readonly<Record<string, number>>;

/** Byte offsets of struct pt_regs members (the registers a probe reads), by member name, from BTF. */
export type RegOffsets = Readonly<Record<string, number>>;

/** Where a program's arguments are: task_struct.mm, then mm_struct.arg_start and arg_end, from BTF. */
export interface ExecArgsOffsets { readonly mm: number; readonly argStart: number; readonly argEnd: number }

/**
 * Where the file behind an fd is and what it says, from BTF (see bpf-templates/fd-file.ts): each
 * offset is of a member in the struct the name says, `fdtMaxFds` of fdtable.max_fds and so on;
 * `mountOfVfsmount` is where struct mount keeps its vfsmount, which file.f_path points to.
 */
export interface FdFileOffsets {
  readonly taskFiles: number;
  readonly filesFdt: number;
  readonly fdtMaxFds: number;
  readonly fdtFd: number;
  readonly fileInode: number;
  readonly inodeIno: number;
  readonly inodeMode: number;
  readonly fileDentry: number;
  readonly fileVfsmount: number;
  readonly dentryName: number;
  readonly dentryParent: number;
  readonly vfsmountRoot: number;
  readonly mountOfVfsmount: number;
  readonly mountParent: number;
  readonly mountMountpoint: number;
}

/** Pairs open at once by default (entries waiting for their exit); --max-keys sets it too. */
export const DEFAULT_MAX_PAIRS = 16384;

export interface PlannedPairing extends Pairing {
  /** Size of the pairing map: an entry beyond it is not saved, and counted as a lost pair. */
  readonly maxEntries: number;
}

export interface KernelPlan {
  readonly source: EventSource;
  /** Conjuncts of WHERE the kernel evaluates; events failing them never leave the kernel. */
  readonly filter?: KExpr;
  readonly mode: AggregateMode | StreamMode;
  readonly taskOffsets?: TaskOffsets;
  readonly regOffsets?: RegOffsets;
  readonly memberOffsets?: MemberOffsets;
  readonly execArgsOffsets?: ExecArgsOffsets;
  readonly fdFileOffsets?: FdFileOffsets;
  /** For paired tables: the entry events, what they save, and how many pairs may be open at once. */
  readonly pairing?: PlannedPairing;
  /** The table's further events: the same program runs on each, over its own columns (see OtherEvent). */
  readonly also?: readonly OtherEvent[];
  /** Every column the program reads, for EXPLAIN. */
  readonly columns: readonly Column[];
}

export interface Plan {
  readonly table: string;
  readonly kernel: KernelPlan;
  /** Columns of the table the kernel's output is loaded into. */
  readonly kernelColumns: readonly ResultColumn[];
  /** DuckDB SQL over that table, written with the placeholder KERNEL_TABLE. */
  readonly residualSql: string;
  /** Present when residualSql only renames kernel columns: the same result without DuckDB. */
  readonly projection?: readonly Projected[];
  /** WHERE conjuncts the kernel refused, as SQL, for EXPLAIN. */
  readonly residualFilters: readonly string[];
  readonly durationMs?: number;
  readonly everyMs?: number;
  readonly limit?: number;
}

/** A kernel column as a result column: `SELECT k0 AS comm`. */
export interface Projected {
  readonly column: string;
  readonly name: string;
}

/** Stands for the kernel output table's name in residual SQL until the runtime names it. */
export const KERNEL_TABLE = '__bpfql_kernel';
