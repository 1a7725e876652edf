// Kernel tables: an event source and the columns its events carry.
import type { TracepointArg } from './btf-types.js';
import type { Column } from './column.js';
import { assertNever } from '../diag/assert-never.js';

export type EventSource =
  | { readonly kind: 'tracepoint'; readonly category: string; readonly event: string }
  /**
   * The raw tracepoint of the same event (BPF_RAW_TRACEPOINT_OPEN by `event`): the program's
   * context is the event's TP_PROTO arguments, 8 bytes each, and no record is formatted.
   */
  | { readonly kind: 'raw-tracepoint'; readonly category: string; readonly event: string }
  /**
   * The same raw tracepoint for a BTF-typed program (tp_btf): loaded with the BTF id of the
   * typedef `btf_trace_<event>`, it reads the same arguments, and the verifier knows their types.
   */
  | { readonly kind: 'btf-tracepoint'; readonly category: string; readonly event: string; readonly btfId: number }
  /** Software cpu-clock samples on every CPU, `frequencyHz` times a second (the profile table). */
  | { readonly kind: 'perf-sample'; readonly frequencyHz: number }
  /**
   * Every call of a function in a user-space binary. `offset` is the function's file offset
   * (what the uprobe PMU wants), found in the binary's ELF symbols when the table was resolved.
   */
  | { readonly kind: 'uprobe'; readonly binary: string; readonly symbol: string; readonly offset: number; readonly retprobe?: boolean };

/** Where a paired table's key comes from on each side: record fields (offset, size). */
export interface FieldRef { readonly offset: number; readonly size: 1 | 2 | 4 | 8 }

export type PairKey =
  /** Entry and exit happen on the same thread (syscalls). */
  | { readonly kind: 'thread' }
  /** Entry and exit carry the same identifying fields (block requests: dev and sector; wakeups: pid). */
  | { readonly kind: 'fields'; readonly entry: readonly FieldRef[]; readonly exit: readonly FieldRef[] };

/** A record field holding one of `values`: which of an event's records take part in a pair. */
export interface FieldCondition { readonly field: FieldRef; readonly values: readonly bigint[] }

/**
 * What an event that opens no pair does to an open one, found under `key` (fields of its own
 * record, which may differ from the entries' format).
 */
export interface PairUpdate {
  readonly key: readonly FieldRef[];
  /** The pair takes this event's task, keeping its time (tcp_life: close(2) in the process that owns the connection). */
  readonly task?: true;
  /** Adds this field, when above 0 (failed calls return -errno), to the pair's counter `counter`. */
  readonly add?: { readonly field: FieldRef & { readonly signed: boolean }; readonly counter: number };
}

/** An event that opens a pair, or with `update`, changes an open one. */
export interface PairEntry {
  readonly source: EventSource;
  /**
   * When the pair is already open, renew only its time and saved fields and keep the task that
   * opened it (a block request dispatched by a kworker keeps the process that submitted it).
   */
  readonly restamp?: boolean;
  /** Only records meeting every condition count (tcp_life: changes into SYN_SENT or SYN_RECV of TCP sockets). */
  readonly when?: readonly FieldCondition[];
  readonly update?: PairUpdate;
}

/**
 * A table whose rows are completed entry/exit pairs (a syscall and its return, a block request
 * and its completion). An entry event saves a timestamp and some of its fields in a hash map
 * under the pair's key; the exit event (the table's `source`) takes them back.
 */
export interface Pairing {
  /** The events that open a pair; all have one record format (key and saved fields sit at the same offsets); `update` ones have their own. */
  readonly entries: readonly PairEntry[];
  readonly key: PairKey;
  /** Entry record fields saved for the exit side (each kept as 8 bytes). */
  readonly saved: readonly (FieldRef & { readonly signed: boolean })[];
  /** Entry records whose field holds one of these values open no pair: calls that never return (exit_group). */
  readonly never?: { readonly field: FieldRef & { readonly signed: boolean }; readonly values: readonly bigint[] };
  /**
   * The exit event also opens a pair, under `key` (exit record fields), when `field` has none of
   * `mask`'s bits set: sched_switch puts a task that is still runnable back on the run queue.
   */
  readonly reopen?: { readonly key: readonly FieldRef[]; readonly field: FieldRef; readonly mask: number };
  /**
   * 8-byte counters after the saved fields, 0 when a pair opens, that `update` entries add to
   * (tcp_life's bytes); a column reads counter k as entry-field `saved.length + k`.
   */
  readonly counters?: number;
}

/** A condition on one integer column: its value is one of `oneOf` (none of them when `negated`), or above `above`. */
export type TableCondition =
  | { readonly column: Column; readonly oneOf: readonly bigint[]; readonly negated?: boolean }
  | { readonly column: Column; readonly above: bigint };

export interface KernelTable {
  readonly name: string;
  readonly description: string;
  readonly source: EventSource;
  readonly columns: readonly Column[];
  readonly pairing?: Pairing;
  /**
   * Conditions every row of the table meets, evaluated in the kernel whatever the query says:
   * for tables over part of an event's records (tcp_connect: transitions into SYN_SENT).
   */
  readonly where?: readonly TableCondition[];
  /**
   * For a paired table: the same rows seen on the entry event alone, with only the columns whose
   * values the entry already has. A query that reads nothing else (no `ret`, no `latency_ns`)
   * runs on it: one program, no pairing map (planner/entry-only.ts).
   */
  readonly entryOnly?: KernelTable;
  /**
   * More events whose records are rows too (tcp_reset's two directions, every event of
   * `tracepoint.sched.*`); never with pairing; `where` columns are table columns, found by name on each.
   */
  readonly also?: readonly OtherEvent[];
  /** A `tracepoint.<category>.<event>` table's TP_PROTO arguments, and its form on the raw hook. */
  readonly typed?: TypedEvent;
}

/**
 * What BTF says of a tracepoint's arguments. A query that reads them, or only the common columns,
 * runs on `table`: the event's tp_btf hook, whose context is the arguments (8 bytes each) and
 * where no record is formatted; a query that reads a record field stays on the classic hook
 * (planner/typed-fields.ts).
 */
export interface TypedEvent {
  /** TP_PROTO's arguments after the first (`void *`), from BTF. */
  readonly args: readonly TracepointArg[];
  /**
   * The table on tp_btf: the common columns and the arguments a value can be read from (integers
   * and pointers; an argument named like a common column is left out). Absent when
   * BPFQL_HOOK=tracepoint keeps every table on the classic hook.
   */
  readonly table?: KernelTable;
  /**
   * Arguments whose record field of the same name holds the argument unchanged (see
   * record-copies.ts): either hook gives the same values, so reading one leaves the choice of hook
   * to the rest of the query. Absent with `table`.
   */
  readonly copiedToRecord?: readonly string[];
}

/**
 * A further event whose records are rows of the same table (tcp_reset: resets sent and resets
 * received). It has a column of every name the table has, of the same type, read where this
 * event keeps it (often a `constant` telling the events apart); the query's program runs on it
 * too, sharing the maps.
 */
export interface OtherEvent {
  readonly source: EventSource;
  readonly columns: readonly Column[];
}

/** What the catalog says about a name. */
export type TableResolution =
  | { readonly kind: 'table'; readonly table: KernelTable }
  | { readonly kind: 'unavailable'; readonly name: string; readonly reason: string }
  | { readonly kind: 'unknown'; readonly name: string };

export function describeSource(s: EventSource): string {
  switch (s.kind) {
    case 'tracepoint': return `tracepoint ${s.category}:${s.event}`;
    case 'raw-tracepoint': return `raw tracepoint ${s.category}:${s.event}`;
    case 'btf-tracepoint': return `BTF-typed raw tracepoint (tp_btf) ${s.category}:${s.event}`;
    case 'perf-sample': return `cpu-clock sampling at ${s.frequencyHz} Hz on every CPU`;
    case 'uprobe': return `${s.retprobe === true ? 'uretprobe' : 'uprobe'} ${s.binary}:${s.symbol} (file offset 0x${s.offset.toString(16)})`;
    default:
      return assertNever(s);
  }
}

/**
 * A table's events, paired or not; a table with an entry-only form says when the entry runs alone.
 */
export function describeTableSource(t: KernelTable): string {
  const events = t.pairing
    ? `${t.pairing.entries.map((e) => describeSource(e.source)).join(', ')} paired with ${describeSource(t.source)}`
    : [t.source, ...(t.also ?? []).map((o) => o.source)].map(describeSource).join(' and ');
  const alone = t.entryOnly;
  if (alone === undefined) return events;
  const exitOnly = t.columns.filter((c) => !alone.columns.some((e) => e.name === c.name)).map((c) => c.name);
  return `${events}; ${describeSource(alone.source)} alone when a query reads none of ${exitOnly.join(', ')}`;
}

/** The kind of hook a source's program goes on, as SHOW TABLES names it. */
export function hookName(s: EventSource): string {
  switch (s.kind) {
    case 'tracepoint': return 'tracepoint';
    case 'raw-tracepoint': return 'raw tracepoint';
    case 'btf-tracepoint': return 'tp_btf';
    case 'perf-sample': return 'perf event';
    case 'uprobe': return s.retprobe === true ? 'uretprobe' : 'uprobe';
    default:
      return assertNever(s);
  }
}
