// The catalog: resolves table names to kernel tables. It reads the running kernel only through
// the CatalogEnv it is given, so tests build it over fixture text.
import { closest } from '../diag/messages.js';
import { argColumn } from './arg-columns.js';
import type { TracepointArg } from './btf-types.js';
import { COMMON_COLUMNS, TASK_COLUMNS } from './common-columns.js';
import { withStackColumns } from './stack-columns.js';
import { CURATED_TABLES } from './tables/index.js';
import type { CuratedTable, EntryRef, TableShape, TracepointRef } from './curated.js';
import { MissingFieldError } from './curated.js';
import { FormatParseError, parseFormat } from './format.js';
import { pairEntry } from './pair-entries.js';
import { recordCopies } from './record-copies.js';
import type { Hook } from './hook.js';
import type { Column } from './column.js';
import type { EventSource, KernelTable, OtherEvent, TableResolution, TypedEvent } from './table.js';
import { tracepointColumns } from './tracepoint-columns.js';
import { probeColumn } from './probe-name.js';
import type { BinaryFile, UprobeResolution } from './probe-tables.js';
import { DEFAULT_PROFILE_HZ, PROFILE_TABLE, profileTable, resolveUprobe } from './probe-tables.js';
import type { SyscallResolution } from './syscall-table.js';
import { NEVER_RETURNING_SYSCALLS, SYSCALL_CATEGORY, SYSCALL_ENTER_PREFIX, SYSCALL_EXIT_PREFIX, syscallTable } from './syscall-table.js';

export interface TracepointName { readonly category: string; readonly event: string }

export interface CatalogEnv {
  /** The text of a tracepoint's format file, or undefined when this kernel has no such tracepoint. */
  readFormat(category: string, event: string): string | undefined;
  listTracepoints(): readonly TracepointName[];
  /** A binary to place uprobes in, by path or (without '/') by PATH lookup; undefined when absent. */
  readBinary(name: string): BinaryFile | undefined;
  /** Which hook tables go on; cheapest when absent. */
  readonly hook?: Hook;
  /** The BTF id of the typedef `btf_trace_<event>` (tp_btf programs); undefined without BTF or without the typedef. */
  btfTracepoint?(event: string): number | undefined;
  /** The TP_PROTO arguments of `btf_trace_<event>` after its `void *`; undefined without BTF or without the typedef. */
  btfTracepointArgs?(event: string): readonly TracepointArg[] | undefined;
  /** Whether the kernel's BTF can be read (struct offsets); assumed when absent. */
  btfReadable?(): boolean;
}

export const TRACEPOINT_PREFIX = 'tracepoint.';
/** The table-name part that stands for every event of a category. */
const WILDCARD = '*';

export class Catalog {
  private readonly cache = new Map<string, TableResolution>();
  private readonly uprobes = new Map<string, UprobeResolution>();
  private tracepoints: readonly TracepointName[] | undefined;

  constructor(private readonly env: CatalogEnv, private readonly curated: readonly CuratedTable[] = CURATED_TABLES) {}

  resolve(name: string): TableResolution {
    const key = name.toLowerCase();
    let r = this.cache.get(key);
    if (!r) {
      r = this.load(key);
      this.cache.set(key, r);
    }
    return r;
  }

  curatedNames(): string[] {
    return [...this.curated.map((t) => t.name), PROFILE_TABLE];
  }

  /** `profile(hz)`: CPU samples at another rate than `profile`'s default. */
  profile(frequencyHz: number): KernelTable {
    return profileTable(frequencyHz);
  }

  /**
   * `uprobe(binary, symbol)`, or with `retprobe` `uretprobe(binary, symbol)`: the binary's ELF
   * symbols give the probe's file offset.
   */
  uprobe(binary: string, symbol: string, retprobe = false): UprobeResolution {
    const key = `${binary}\0${symbol}\0${retprobe}`;
    let r = this.uprobes.get(key);
    if (!r) {
      r = this.readUprobe(binary, symbol, retprobe);
      this.uprobes.set(key, r);
    }
    return r;
  }

  /** `syscall(name)`: the calls of one system call, its entry and exit tracepoints paired. */
  syscall(name: string): SyscallResolution {
    const key = name.toLowerCase();
    const unknown: SyscallResolution = { kind: 'unknown', suggestions: closest(key, this.syscallNames()) };
    // Only a plain name makes a tracefs path: anything else names no system call.
    if (!/^\w+$/.test(key)) return unknown;
    const enter = this.env.readFormat(SYSCALL_CATEGORY, `${SYSCALL_ENTER_PREFIX}${key}`);
    const exit = this.env.readFormat(SYSCALL_CATEGORY, `${SYSCALL_EXIT_PREFIX}${key}`);
    if (enter === undefined || exit === undefined) return unknown;
    if (NEVER_RETURNING_SYSCALLS.has(key)) {
      return { kind: 'unavailable', reason: `${key} never returns, so no call has a result; tracepoint.${SYSCALL_CATEGORY}.${SYSCALL_ENTER_PREFIX}${key} has its calls` };
    }
    try {
      return { kind: 'table', table: syscallTable(key, parseFormat(enter), parseFormat(exit)) };
    } catch (e) {
      if (e instanceof MissingFieldError || e instanceof FormatParseError) return { kind: 'unavailable', reason: e.message };
      throw e;
    }
  }

  /** The system calls this kernel has entry and exit tracepoints for. */
  syscallNames(): string[] {
    this.tracepoints ??= this.env.listTracepoints();
    const events = new Set(this.tracepoints.filter((t) => t.category === SYSCALL_CATEGORY).map((t) => t.event));
    return [...events].filter((e) => e.startsWith(SYSCALL_ENTER_PREFIX)).map((e) => e.slice(SYSCALL_ENTER_PREFIX.length)).filter((n) => events.has(`${SYSCALL_EXIT_PREFIX}${n}`));
  }

  private readUprobe(binary: string, symbol: string, retprobe: boolean): UprobeResolution {
    let file: BinaryFile | undefined;
    try {
      file = this.env.readBinary(binary);
    } catch (e) {
      // A file that cannot be read (permissions, I/O errors, a pipe with nothing in it) is a bad
      // argument, not a crash.
      const code = e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined;
      if (code === undefined) throw e;
      return { kind: 'not-elf', path: binary, reason: `it cannot be read (${code})` };
    }
    return resolveUprobe(file, binary, symbol, process.arch, retprobe);
  }

  tracepointNames(): string[] {
    this.tracepoints ??= this.env.listTracepoints();
    return this.tracepoints.map((t) => `${TRACEPOINT_PREFIX}${t.category}.${t.event}`);
  }

  /** True when `name` is a kernel table name (known or merely shaped like a tracepoint table). */
  isKernelTableName(name: string): boolean {
    const key = name.toLowerCase();
    return key.startsWith(TRACEPOINT_PREFIX) || this.curatedNames().includes(key);
  }

  /** Closest table names, for "did you mean" hints. */
  suggest(name: string): string[] {
    const key = name.toLowerCase();
    if (key.startsWith(TRACEPOINT_PREFIX)) return closest(key, this.tracepointNames());
    return closest(key, this.curatedNames());
  }

  private load(name: string): TableResolution {
    if (name === PROFILE_TABLE) return { kind: 'table', table: profileTable(DEFAULT_PROFILE_HZ) };
    const curated = this.curated.find((t) => t.name === name);
    if (curated) return this.fromCurated(curated);
    if (name.startsWith(TRACEPOINT_PREFIX)) {
      const parts = name.slice(TRACEPOINT_PREFIX.length).split('.');
      if (parts.length === 2 && parts[0] && parts[1]?.endsWith(WILDCARD)) return this.fromCategory(name, parts[0], parts[1].slice(0, -WILDCARD.length));
      if (parts.length === 2 && parts[0] && parts[1]) return this.fromTracepoint(name, parts[0], parts[1]);
    }
    return { kind: 'unknown', name };
  }

  private fromCurated(t: CuratedTable): TableResolution {
    const missing = (r: { category: string; event: string }): TableResolution => ({ kind: 'unavailable', name: t.name, reason: `this kernel has no tracepoint ${r.category}:${r.event}` });
    const text = this.env.readFormat(t.event.category, t.event.event);
    if (text === undefined) return missing(t.event);
    const entries: EntryRef[] = [];
    const entryTexts: string[] = [];
    for (const e of t.entries ?? []) {
      const entryText = this.env.readFormat(e.category, e.event);
      if (entryText === undefined) {
        if (e.optional && entries.length > 0) continue;
        return missing(e);
      }
      entries.push(e);
      entryTexts.push(entryText);
    }
    try {
      const entryFormats = entryTexts.map(parseFormat);
      // The events that open pairs share one format; events that update them have their own.
      const opening = entryFormats.filter((_, i) => entries[i]!.update === undefined);
      const first = opening[0];
      const differs = opening.findIndex((f) => JSON.stringify(f.fields) !== JSON.stringify(first?.fields));
      const openingRefs = entries.filter((e) => e.update === undefined);
      if (differs >= 0) return { kind: 'unavailable', name: t.name, reason: `${openingRefs[differs]!.category}:${openingRefs[differs]!.event} records differ from ${openingRefs[0]!.category}:${openingRefs[0]!.event}` };
      // The formats are read and checked either way: they say the kernel has the events.
      const format = parseFormat(text);
      const classic = t.build(format, first);
      const rawShape = (this.env.hook ?? 'cheapest') === 'cheapest' && (t.also ?? []).every((o) => o.raw !== undefined) ? t.raw?.(format) : undefined;
      // A raw shape that reads through pointers needs BTF's offsets; without BTF the classic
      // record has the same columns.
      const raw = rawShape !== undefined && (!readsThroughPointers(rawShape) || (this.env.btfReadable?.() ?? true)) ? rawShape : undefined;
      const shape = raw ?? classic;
      const onRaw = raw !== undefined;
      const source = this.sourceFor(onRaw, t.btf === true, [t.event, ...entries]);
      const common = COMMON_COLUMNS.map((c) => shape.common?.find((o) => o.name === c.name) ?? c);
      const pairEntries = entries.map((e, i) => pairEntry(e, entryFormats[i]!, source(e)));
      const columns = withStackColumns([...common, ...shape.columns]);
      const also: OtherEvent[] = [];
      // Each event's program finds the table's conditions by column name.
      const unnamed = (t.also ?? []).length > 0 ? shape.where?.find((w) => !columns.includes(w.column)) : undefined;
      if (unnamed) throw new Error(`${t.name}: its condition on ${unnamed.column.name} is not on a column of the table`);
      for (const o of t.also ?? []) {
        const otherText = this.env.readFormat(o.event.category, o.event.event);
        if (otherText === undefined) return missing(o.event);
        const otherFormat = parseFormat(otherText);
        const otherColumns = onRaw && o.raw !== undefined ? o.raw(otherFormat) : o.columns(otherFormat);
        also.push({ source: source(o.event), columns: sameColumns(t.name, columns, withStackColumns([...common, ...otherColumns])) });
      }
      const table: KernelTable = {
        name: t.name,
        description: t.description,
        source: source(t.event),
        columns,
        ...(shape.pairing && pairEntries.length > 0 ? { pairing: { entries: pairEntries, ...shape.pairing } } : {}),
        ...(shape.where ? { where: shape.where } : {}),
        ...(also.length > 0 ? { also } : {}),
      };
      const entry = entries.length === 1 ? entries[0] : undefined;
      if (t.entryOnly === undefined || entry === undefined || first === undefined) return { kind: 'table', table };
      const alone = onRaw ? t.entryOnly.raw() : t.entryOnly.build(first);
      const entryOnly: KernelTable = {
        name: t.name,
        description: t.description,
        source: source(entry),
        columns: [...TASK_COLUMNS, ...alone.columns],
        ...(alone.where ? { where: alone.where } : {}),
      };
      return { kind: 'table', table: { ...table, entryOnly } };
    } catch (e) {
      if (e instanceof MissingFieldError || e instanceof FormatParseError) return { kind: 'unavailable', name: t.name, reason: e.message };
      throw e;
    }
  }

  /**
   * `tracepoint.<category>.*`: every event of the category, the first the table's source and the
   * others further events (KernelTable.also), each with the common columns and its own `probe`.
   */
  /** Every event of `category` whose name starts with `prefix` ('' for all), one program on each. */
  private fromCategory(name: string, category: string, prefix: string): TableResolution {
    this.tracepoints ??= this.env.listTracepoints();
    const events: TracepointRef[] = this.tracepoints.filter((t) => t.category === category && t.event.startsWith(prefix)).sort((a, b) => a.event.localeCompare(b.event));
    const at = (r: TracepointRef): OtherEvent => ({
      source: { kind: 'tracepoint', category, event: r.event },
      columns: withStackColumns([...COMMON_COLUMNS, probeColumn(r, events)]),
    });
    const [first, ...rest] = events.map(at);
    if (first === undefined) return { kind: 'unknown', name };
    const table: KernelTable = {
      name,
      description: `every tracepoint of ${category}${prefix === '' ? '' : ` whose name starts with ${prefix}`} (${events.length} events), one program on each`,
      ...first,
      ...(rest.length > 0 ? { also: rest } : {}),
    };
    return { kind: 'table', table };
  }

  /** How a table's events are hooked: classic, raw, or (for `btf` tables, when BTF has every event) tp_btf. */
  private sourceFor(onRaw: boolean, btf: boolean, events: readonly TracepointRef[]): (r: TracepointRef) => EventSource {
    const plain = (r: TracepointRef): EventSource => ({ kind: onRaw ? 'raw-tracepoint' : 'tracepoint', category: r.category, event: r.event });
    if (!onRaw || !btf || this.env.btfTracepoint === undefined) return plain;
    const ids = new Map(events.map((e) => [e.event, this.env.btfTracepoint?.(e.event)]));
    if ([...ids.values()].some((id) => id === undefined)) return plain;
    return (r) => ({ kind: 'btf-tracepoint', category: r.category, event: r.event, btfId: ids.get(r.event)! });
  }

  /**
   * The event's arguments from BTF and its table on tp_btf (see TypedEvent); undefined when BTF
   * has no `btf_trace_<event>` (events without a raw tracepoint of their own, such as each
   * system call's, or a kernel without BTF), so the table stays on the classic hook.
   */
  private typedEvent(classic: KernelTable, category: string, event: string): TypedEvent | undefined {
    const args = this.env.btfTracepointArgs?.(event);
    const btfId = this.env.btfTracepoint?.(event);
    if (args === undefined || btfId === undefined) return undefined;
    if ((this.env.hook ?? 'cheapest') === 'tracepoint') return { args };
    // The common columns keep their names; an argument named like a record field is a column here
    // (which of the two a query means, planner/typed-fields.ts says).
    const taken = new Set(withStackColumns(COMMON_COLUMNS).map((c) => c.name));
    const argColumns = args.flatMap((a) => {
      const c = taken.has(a.name) ? undefined : argColumn(a);
      return c === undefined ? [] : [c];
    });
    const table: KernelTable = {
      name: classic.name,
      description: classic.description,
      source: { kind: 'btf-tracepoint', category, event, btfId },
      columns: withStackColumns([...COMMON_COLUMNS, ...argColumns]),
    };
    const sameType = (name: string): boolean => {
      const [a, r] = [argColumns, classic.columns].map((cs) => cs.find((c) => c.name === name)?.type);
      return a !== undefined && JSON.stringify(a) === JSON.stringify(r);
    };
    const copiedToRecord = recordCopies(category, event).filter(sameType);
    return { args, table, ...(copiedToRecord.length > 0 ? { copiedToRecord } : {}) };
  }

  private fromTracepoint(name: string, category: string, event: string): TableResolution {
    const text = this.env.readFormat(category, event);
    if (text === undefined) return { kind: 'unknown', name };
    try {
      const format = parseFormat(text);
      const table: KernelTable = {
        name,
        description: `tracepoint ${category}:${event}`,
        source: { kind: 'tracepoint', category, event },
        columns: withStackColumns([...COMMON_COLUMNS, ...tracepointColumns(format.fields)]),
      };
      const typed = this.typedEvent(table, category, event);
      return { kind: 'table', table: typed === undefined ? table : { ...table, typed } };
    } catch (e) {
      if (e instanceof FormatParseError) return { kind: 'unavailable', name, reason: e.message };
      throw e;
    }
  }
}

/**
 * A further event's columns, checked against the table's: the same names, types and decoders in
 * the same order, so one plan fits every event. A difference is a bug in the table's definition.
 */
function sameColumns(table: string, columns: readonly Column[], other: readonly Column[]): readonly Column[] {
  const shape = (cs: readonly Column[]): string => JSON.stringify(cs.map((c) => [c.name, c.type, c.decode ?? null, c.hidden ?? false]));
  if (shape(columns) !== shape(other)) throw new Error(`${table}: its events' columns differ: ${shape(columns)} and ${shape(other)}`);
  return other;
}

/** Whether a raw shape reads members of the structs its arguments point to (offsets from BTF). */
function readsThroughPointers(shape: TableShape): boolean {
  return [...shape.columns, ...(shape.where ?? []).map((w) => w.column)].some((c) => {
    const s = c.source;
    return s.kind === 'pointee' || s.kind === 'pointee-string' || s.kind === 'switch-state' || (s.kind === 'address' && s.socket !== undefined);
  });
}
