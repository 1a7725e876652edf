// A kernel query's result built from the kernel's rows without DuckDB, when the plan's DuckDB part
// only renames columns (Plan.projection) whose values JS holds exactly as DuckDB gives them back:
// integers, floats, text, booleans and hist()'s bucket lists. A one-shot query of that shape (the CLI's `SELECT comm, count(*)
// ... GROUP BY comm`) then never loads DuckDB, whose library alone costs ~77 MB of resident memory
// and most of a second of CPU. The rows come in the kernel's order, as DuckDB's scan of its
// table keeps them (insertion order); test/engine/direct-result.test.ts checks both paths give
// the same result.
import { duckdbType, type ColumnBatch, type ColumnData, type ResultColumn } from '../catalog/types.js';
import type { Plan, Projected } from '../planner/plan.js';
import { plainInteger } from '../output/plain-integer.js';
import type { QueryResult } from '../output/result.js';
import { assertNever } from '../diag/assert-never.js';

/**
 * The projection when this plan's result (or, with EVERY, each window's rows) can be built here;
 * undefined when it needs DuckDB.
 */
export function directProjection(plan: Plan): readonly Projected[] | undefined {
  const p = plan.projection;
  if (p === undefined || plan.kernel.mode.kind !== 'aggregate') return undefined;
  const exact = p.every((c) => {
    const t = plan.kernelColumns.find((k) => k.name === c.column)?.type;
    return t !== undefined && (t.kind === 'int' || t.kind === 'float' || t.kind === 'string' || t.kind === 'bool' || t.kind === 'buckets');
  });
  return exact ? p : undefined;
}

function plain(d: ColumnData, row: number): unknown {
  switch (d.kind) {
    case 'int64': {
      const v = d.values[row];
      return v === null || v === undefined ? null : plainInteger(v);
    }
    case 'number': case 'string': case 'bool':
      return d.values[row] ?? null;
    case 'buckets': {
      // As DuckDB gives back a LIST(STRUCT(lo, hi, count)): objects with the struct's keys in order.
      const list = d.values[row];
      return list === null || list === undefined ? null : list.map((b) => ({ lo: plainInteger(b.lo), hi: plainInteger(b.hi), count: plainInteger(b.count) }));
    }
    case 'bytes': case 'strings':
      throw new Error(`a ${d.kind} column has no direct result (directProjection lets none through)`);
    default:
      return assertNever(d);
  }
}

/** The result `projection` makes of the kernel's rows (none when the kernel gave no batch). */
export function directResult(batch: ColumnBatch | undefined, kernelColumns: readonly ResultColumn[], projection: readonly Projected[]): QueryResult {
  const column = (name: string): ResultColumn => {
    const c = kernelColumns.find((k) => k.name === name);
    if (c === undefined) throw new Error(`the projection names ${name}, which the kernel does not make`);
    return c;
  };
  const columns = projection.map((p) => ({ name: p.name, type: duckdbType(column(p.column).type) }));
  if (batch === undefined) return { columns, rows: [] };
  const data = projection.map((p) => {
    const i = batch.columns.findIndex((c) => c.name === p.column);
    if (i < 0) throw new Error(`the kernel's rows have no column ${p.column}`);
    return batch.data[i]!;
  });
  const rows = Array.from({ length: batch.rowCount }, (_, r) => data.map((d) => plain(d, r)));
  return { columns, rows };
}
