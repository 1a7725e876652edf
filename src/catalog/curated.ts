// The shape of a curated table: a friendly name over one tracepoint (or an entry/exit pair of
// them), with columns derived from the live format files so that no offset is ever hard-coded.
import type { Column } from './column.js';
import type { FormatField, TracepointFormat } from './format.js';
import type { FieldRef, Pairing, TableCondition } from './table.js';
import type { ValueType } from './types.js';
import { assertNever } from '../diag/assert-never.js';

export interface TracepointRef { readonly category: string; readonly event: string }

/** Which records of an event count, by field name (see FieldCondition). */
export interface FieldValues { readonly field: string; readonly values: readonly bigint[] }

/**
 * An event that opens a pair of a paired table, or with `update` changes an open one (see
 * Pairing's PairEntry), its fields named in its own format.
 */
export interface EntryRef extends TracepointRef {
  readonly restamp?: boolean;
  readonly optional?: boolean;
  readonly when?: readonly FieldValues[];
  readonly update?: { readonly key: readonly string[]; readonly task?: true; readonly add?: { readonly field: string; readonly counter: number } };
}

/** What a curated table builds from the formats of its events. */
export interface TableShape {
  /** Columns beyond the common ones. */
  readonly columns: readonly Column[];
  /** For paired tables: how entries and exits meet, and what the entry saves. */
  readonly pairing?: Omit<Pairing, 'entries'>;
  /** Columns that take the place of the common columns of the same names (a paired table's task is its entry's). */
  readonly common?: readonly Column[];
  /** Which of the event's records are rows of the table (see KernelTable.where). */
  readonly where?: readonly TableCondition[];
}

/** A further event of a table over several (see KernelTable.also): its columns, from its own format. */
export interface CuratedOtherEvent {
  readonly event: TracepointRef;
  /** The table's columns (beyond the common ones), each read where this event keeps it. */
  columns(format: TracepointFormat): readonly Column[];
  /** The same columns on the event's raw tracepoint (see CuratedTable.raw); a table goes raw only when each of its events can. */
  readonly raw?: (format: TracepointFormat) => readonly Column[];
}

export interface CuratedTable {
  readonly name: string;
  readonly description: string;
  /** The event a row is emitted on (the exit side of a paired table). */
  readonly event: TracepointRef;
  /**
   * The entry side of a paired table: the events that open a pair. They must share one record
   * format; `build` gets the first one's, which every kernel must have. An `optional` one is left
   * out where the kernel lacks it.
   */
  readonly entries?: readonly EntryRef[];
  /** Throws MissingFieldError when a format lacks a field the table needs. */
  build(event: TracepointFormat, entry: TracepointFormat | undefined): TableShape;
  /**
   * The same table on the raw tracepoints of the same events, where the catalog's hook allows
   * them: the context is each event's TP_PROTO arguments (8 bytes each) instead of its formatted
   * record, which costs less per event. Every column keeps its name, type and values. `event` is
   * the event's format (its fields say which arguments this kernel's event has).
   */
  readonly raw?: (event: TracepointFormat) => TableShape;
  /**
   * The raw shape goes on BTF-typed raw tracepoints (tp_btf) where the kernel's BTF has the
   * events: for tables whose columns read BTF already, so that finding the events' BTF ids costs
   * nothing more. Other tables stay on plain raw tracepoints, which need no BTF at all.
   */
  readonly btf?: true;
  /**
   * For a table with one entry event: the table on that event alone (KernelTable.entryOnly), from
   * the entry's format on the classic hook and from its TP_PROTO arguments on the raw one. Its
   * columns are the ones beyond the common ones whose values the entry already has.
   */
  readonly entryOnly?: { build(entry: TracepointFormat): TableShape; raw(): TableShape };
  /** More events whose records are rows too, each with a column of every name the table has. */
  readonly also?: readonly CuratedOtherEvent[];
}

export class MissingFieldError extends Error {
  constructor(readonly field: string, readonly event: string) {
    super(`the format of ${event} has no field '${field}'`);
    this.name = 'MissingFieldError';
  }
}

export function requireField(format: TracepointFormat, name: string): FormatField {
  const f = format.fields.find((x) => x.name === name);
  if (!f) throw new MissingFieldError(name, format.name);
  return f;
}

/** An integer field of the record as a column of the given name. */
export function intColumn(format: TracepointFormat, field: string, name: string, description: string, type?: ValueType): Column {
  const f = requireField(format, field);
  if (f.layout.kind !== 'int' && !(f.layout.kind === 'pointer' && !f.layout.userString)) throw new MissingFieldError(`${field} (as an integer)`, format.name);
  const size = f.layout.kind === 'int' ? f.layout.size : 8;
  const signed = f.layout.kind === 'int' ? f.layout.signed : false;
  return {
    name,
    type: type ?? { kind: 'int', bits: (size * 8) as 8 | 16 | 32 | 64, signed },
    source: { kind: 'field', offset: f.offset, size, signed },
    description,
  };
}

/**
 * An integer or pointer field as a FieldRef, for pairing keys and saved values: its real width
 * and sign (an `int` syscall argument is the low 4 bytes of its slot, sign-extended when saved).
 */
export function fieldRef(format: TracepointFormat, field: string): FieldRef & { readonly signed: boolean } {
  const f = requireField(format, field);
  switch (f.layout.kind) {
    case 'int': return { offset: f.offset, size: f.layout.size, signed: f.layout.signed };
    case 'pointer': return { offset: f.offset, size: 8, signed: false };
    case 'char-array': case 'data-loc-string': case 'data-loc-bytes': case 'address': case 'bytes':
      throw new MissingFieldError(`${field} (as an integer or pointer)`, format.name);
    default:
      return assertNever(f.layout);
  }
}

export function requireEntry(entry: TracepointFormat | undefined, table: string): TracepointFormat {
  if (!entry) throw new Error(`${table} needs its entry event`);
  return entry;
}
