// Pass 3, lower: the split as the kernel runs it. Every value gets its place in the map key, the
// map value or the ring-buffer record, the maps their sizes, and the columns read their struct
// offsets from the environment (BTF).
import type { Column } from '../catalog/column.js';
import type { ResultColumn } from '../catalog/types.js';
import type { SelectQuery } from '../query/ast.js';
import { layoutStates } from './aggregate-states.js';
import type { KExpr } from './kexpr.js';
import { columnsOf } from './kexpr.js';
import { isBufferColumn, layoutFields, stringCapacity, widened } from './layout.js';
import { execArgsOffsetsFor } from './exec-args-offsets.js';
import { fdFileOffsetsFor } from './fd-file-offsets.js';
import { DEFAULT_RING_BYTES, defaultMaxEntries } from './map-limits.js';
import type { PlannerEnv } from './offsets.js';
import { offsetFor } from './offsets.js';
import type { AggregateMode, KernelPlan, StreamMode, TaskOffsets } from './plan.js';
import { DEFAULT_MAX_PAIRS } from './plan.js';
import { memberOffsetsFor } from './member-offsets.js';
import { regOffsetsFor } from './reg-offsets.js';
import type { SplitQuery } from './split.js';

export interface LowerOptions {
  /** Keys of an aggregation map, and pairs a paired table's pairing map holds (--max-keys). */
  readonly maxEntries?: number;
  readonly ringBytes?: number;
}

export interface Lowered {
  readonly kernel: KernelPlan;
  /** Columns of the table the kernel's output is loaded into. */
  readonly kernelColumns: readonly ResultColumn[];
  /** The query's LIMIT; for a stream, only when the kernel may stop the run once that many rows passed. */
  readonly limit?: number;
}

export function lower(s: SplitQuery, env: PlannerEnv, opts: LowerOptions = {}): Lowered {
  const work = s.work;
  const q = s.bound.query;
  const filterReads = s.filter ? columnsOf(s.filter) : [];
  switch (work.kind) {
    case 'aggregate': {
      const { fields: keys, size: keySize } = layoutFields(work.keys);
      const { slots, valueSize } = layoutStates(work.aggregates);
      const reads = [...keys.map((k) => k.expr), ...slots.flatMap((a) => (a.arg ? [a.arg] : []))].reduce<Column[]>((out, e: KExpr) => columnsOf(e, out), filterReads);
      const mode: AggregateMode = { kind: 'aggregate', keys, keySize: Math.max(keySize, 8), aggregates: slots, valueSize, maxEntries: opts.maxEntries ?? defaultMaxEntries(valueSize) };
      const kernelColumns = [...keys.map((k) => ({ name: k.name, type: k.type })), ...slots.map((a) => ({ name: a.name, type: a.resultType }))];
      return { kernel: kernelPlan(s, mode, reads, env, opts), kernelColumns, ...(q.limit ? { limit: q.limit.value } : {}) };
    }
    case 'stream': {
      const values = work.columns.map((col) => {
        const expr: KExpr = { kind: 'column', column: col, signed: col.type.kind === 'int' && col.type.signed };
        const width = isBufferColumn(col) ? stringCapacity(col) : 8;
        return { name: col.name, expr, type: widened(expr, col.type), width };
      });
      const { fields, size } = layoutFields(values);
      const reads = [...filterReads];
      work.columns.forEach((w) => reads.some((r) => r.name === w.name) || reads.push(w));
      const mode: StreamMode = { kind: 'stream', fields, recordSize: size, ringBytes: opts.ringBytes ?? DEFAULT_RING_BYTES };
      // A plain LIMIT stops the query once that many rows have passed every filter: only when the
      // kernel evaluates them all does it count such rows (DuckDB filters the rest after the run).
      const stops = q.limit && s.bound.grouping.kind === 'rows' && q.orderBy.length === 0 && s.kept.length === 0;
      return { kernel: kernelPlan(s, mode, reads, env, opts), kernelColumns: fields.map((f) => ({ name: f.name, type: f.type })), ...(stops ? { limit: q.limit.value } : {}) };
    }
  }
}

function kernelPlan(s: SplitQuery, mode: AggregateMode | StreamMode, reads: readonly Column[], env: PlannerEnv, opts: LowerOptions): KernelPlan {
  const table = s.bound.table;
  const taskOffsets = taskOffsetsFor(reads, env, s.bound.query);
  return {
    source: table.source,
    ...(s.filter ? { filter: s.filter } : {}),
    mode,
    ...(taskOffsets ? { taskOffsets } : {}),
    ...regOffsetsFor(reads, env, s.bound.query),
    ...execArgsOffsetsFor(reads, env, s.bound.query),
    ...fdFileOffsetsFor(reads, env, s.bound.query),
    // The table's further events read the same columns where they keep them, through other paths maybe.
    ...memberOffsetsFor([...reads, ...(table.also ?? []).flatMap((o) => o.columns.filter((c) => reads.some((r) => r.name === c.name)))], env, s.bound.query),
    ...(table.pairing ? { pairing: { ...table.pairing, maxEntries: opts.maxEntries ?? DEFAULT_MAX_PAIRS } } : {}),
    ...(table.also ? { also: table.also } : {}),
    columns: reads,
  };
}

function taskOffsetsFor(columns: readonly Column[], env: PlannerEnv, q: SelectQuery): TaskOffsets | undefined {
  const out: Record<string, readonly number[]> = {};
  for (const c of columns) {
    const source = c.source;
    if (source.kind === 'task') out[source.path.join('.')] = offsetFor(c, q, () => source.path.map((m) => env.memberOffset('task_struct', m)));
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
