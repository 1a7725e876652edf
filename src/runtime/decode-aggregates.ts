// Decodes a per-CPU aggregation map, read in batches, into result columns: the GROUP BY values
// from the packed keys, and each aggregate merged over the CPUs that saw the key.
import type { CpuState, AggregateValue } from '../functions/aggregate.js';
import { aggregateFunction } from '../functions/registry.js';
import { addressText } from '../catalog/addresses.js';
import type { StackSpace } from '../catalog/column.js';
import type { Bucket, ColumnBatch, ColumnData, ResultColumn, ValueType } from '../catalog/types.js';
import type { AggregateMode, KernelField } from '../planner/plan.js';
import type { RowNames } from './row-names.js';
import type { CgroupAttr } from '../catalog/containers.js';
import { execArgsText } from './exec-args-text.js';
import { fdPathText } from './fd-path-text.js';
import { assertNever } from '../diag/assert-never.js';

export interface MapChunk {
  readonly keys: Buffer;
  readonly values: Buffer;
  readonly count: number;
}

/** Reads a NUL-terminated string from a zero-padded buffer region. */
export function readCString(buf: Buffer, offset: number, width: number): string {
  const end = buf.indexOf(0, offset);
  return buf.toString('utf8', offset, end < 0 || end > offset + width ? offset + width : end);
}

/** Reads an integer field (stored as 8 bytes) as the column type wants it. */
function readInt(buf: Buffer, offset: number, f: KernelField): bigint {
  return f.type.kind === 'int' && !f.type.signed ? buf.readBigUInt64LE(offset) : buf.readBigInt64LE(offset);
}

export class FieldColumns {
  private readonly ints: (bigint | null)[][];
  private readonly strings: (string | null)[][];
  private readonly bytes: (Uint8Array | null)[][];
  private readonly lists: (readonly string[] | null)[][];

  /** @param names names the stack ids and cgroup ids of stack and cgroup columns (the kernel stores ids, DuckDB gets text). */
  constructor(private readonly fields: readonly KernelField[], private readonly names: RowNames = {}) {
    this.ints = fields.map(() => []);
    this.strings = fields.map(() => []);
    this.bytes = fields.map(() => []);
    this.lists = fields.map(() => []);
  }

  /** Appends one key or record whose fields start at `base`. */
  push(buf: Buffer, base: number): void {
    this.fields.forEach((f, i) => {
      const at = base + f.offset;
      const source = f.expr.kind === 'column' ? f.expr.column.source : undefined;
      if (source?.kind === 'stack') this.strings[i]!.push(this.stackText(source.space, buf.readBigInt64LE(at)));
      else if (source?.kind === 'kernel-symbol') this.strings[i]!.push(this.symbolText(buf.readBigUInt64LE(at)));
      else if (source?.kind === 'cgroup') this.strings[i]!.push(this.cgroupText(source.attr, buf.readBigUInt64LE(at)));
      else if (source?.kind === 'address') this.strings[i]!.push(addressText(buf.subarray(at, at + f.width), source.family !== undefined));
      else if (source?.kind === 'byte-array') this.bytes[i]!.push(new Uint8Array(buf.subarray(at, at + source.size)));
      else if (source?.kind === 'exec-args') this.lists[i]!.push(execArgsText(buf, at));
      else if (source?.kind === 'fd-file' && source.part === 'path') this.strings[i]!.push(fdPathText(buf, at));
      // A __data_loc array: its length in the first word, then its bytes.
      else if (source?.kind === 'data-loc-bytes') this.bytes[i]!.push(new Uint8Array(buf.subarray(at + 8, at + 8 + Number(buf.readBigUInt64LE(at)))));
      else if (f.type.kind === 'string') this.strings[i]!.push(readCString(buf, at, f.width));
      else this.ints[i]!.push(readInt(buf, at, f));
    });
  }

  private stackText(space: StackSpace, id: bigint): string | null {
    if (!this.names.stacks) throw new Error('stack columns need the stack map to be decoded');
    return this.names.stacks.text(space, id);
  }

  private symbolText(address: bigint): string | null {
    if (!this.names.symbols) throw new Error('kernel address columns need the kernel\'s symbols to be decoded');
    return address === 0n ? null : this.names.symbols.name(address);
  }

  private cgroupText(attr: CgroupAttr, id: bigint): string | null {
    if (!this.names.cgroups) throw new Error('cgroup columns need the cgroup names to be decoded');
    return this.names.cgroups.text(attr, id);
  }

  data(adjustTs: (mono: bigint) => bigint): ColumnData[] {
    return this.fields.map((f, i) => {
      if (f.type.kind === 'string') return { kind: 'string', values: this.strings[i]! };
      if (f.type.kind === 'bytes') return { kind: 'bytes', values: this.bytes[i]! };
      if (f.type.kind === 'strings') return { kind: 'strings', values: this.lists[i]! };
      if (f.type.kind === 'timestamp') return { kind: 'int64', values: this.ints[i]!.map((v) => (v === null ? null : adjustTs(v))) };
      if (f.type.kind === 'bool') return { kind: 'bool', values: this.ints[i]!.map((v) => (v === null ? null : v !== 0n)) };
      return { kind: 'int64', values: this.ints[i]! };
    });
  }
}

/**
 * Decodes a map's entries batch by batch as they are read: nothing of a batch's buffers is kept,
 * so the map reader's buffers can be reused for the next batch without a copy (a map of
 * quantiles holds 15 KB per key and CPU, read every window by bpfql serve).
 */
export class AggregateDecoder {
  private readonly keys: FieldColumns;
  private readonly results: AggregateValue[][];
  private readonly slot: number;
  private rows = 0;

  constructor(private readonly mode: AggregateMode, private readonly cpus: number, names: RowNames = {}) {
    this.keys = new FieldColumns(mode.keys, names);
    this.results = mode.aggregates.map(() => []);
    this.slot = (mode.valueSize + 7) & ~7;
  }

  /** Decodes `chunk.count` entries now; the chunk's buffers are not read afterwards. */
  add(chunk: MapChunk): void {
    const { mode, cpus, slot } = this;
    const view = new DataView(chunk.values.buffer, chunk.values.byteOffset, chunk.values.byteLength);
    for (let i = 0; i < chunk.count; i++) {
      this.keys.push(chunk.keys, i * mode.keySize);
      const base = i * slot * cpus;
      const perCpu = (offset: number): CpuState[] => {
        const out: CpuState[] = [];
        for (let c = 0; c < cpus; c++) {
          const at = base + c * slot;
          out.push({ count: view.getBigUint64(at, true), view, offset: at + offset });
        }
        return out;
      };
      mode.aggregates.forEach((a, j) => {
        this.results[j]!.push(aggregateFunction(a.fn).finalize(perCpu(a.offset), a.arg?.signed ?? false, a.params));
      });
      this.rows++;
    }
  }

  /** The columns of every entry added. */
  finish(): ColumnBatch {
    const { mode, results } = this;
    let rows = this.rows;
    // Without GROUP BY, SQL gives one row even when nothing happened: counts are 0, the rest NULL.
    if (mode.keys.length === 0 && rows === 0) {
      mode.aggregates.forEach((a, j) => results[j]!.push(a.fn === 'count' ? 0n : null));
      rows = 1;
    }
    const columns: ResultColumn[] = [...mode.keys.map((k) => ({ name: k.name, type: k.type })), ...mode.aggregates.map((a) => ({ name: a.name, type: a.resultType }))];
    const aggData: ColumnData[] = mode.aggregates.map((a, j) => aggregateColumn(a.name, a.resultType, results[j]!));
    return { columns, data: [...this.keys.data((t) => t), ...aggData], rowCount: rows };
  }
}

/** One aggregate's results as the column data its result type wants. */
function aggregateColumn(name: string, type: ValueType, vals: readonly AggregateValue[]): ColumnData {
  switch (type.kind) {
    case 'float': return { kind: 'number', values: vals.map((v) => (v === null ? null : Number(scalar(name, v)))) };
    case 'buckets': return { kind: 'buckets', values: vals.map((v) => (v === null ? null : buckets(name, v))) };
    // Counts, sums, minima and maxima come back as integers, whatever column they read.
    case 'int': case 'bool': case 'timestamp': case 'string': case 'bytes': case 'strings':
      return { kind: 'int64', values: vals.map((v) => (v === null ? null : BigInt(scalar(name, v)))) };
    default: return assertNever(type);
  }
}

function scalar(name: string, v: NonNullable<AggregateValue>): bigint | number {
  if (typeof v === 'object') throw new Error(`aggregate ${name} gave buckets for a scalar column`);
  return v;
}

function buckets(name: string, v: NonNullable<AggregateValue>): readonly Bucket[] {
  if (typeof v !== 'object') throw new Error(`aggregate ${name} gave a number for a buckets column`);
  return v;
}
