// EVERY results of a differential query. The two sides are separately attached programs: the
// planned one's aggregate windows are switched by its own timer, the streamed one's rows are cut
// by event time from its own moment of attaching, so an event near a boundary may fall in window
// k on one side and k+1 on the other. Neither schedule can be imposed on the other, so each side is
// checked on its own (every window has start < end, and the windows do not overlap), and the two
// are compared on their windows merged: per group, counts and sums added, minima and maxima taken,
// which is the value over the whole run whatever the boundaries were.
import type { QueryResult } from '../../src/store/session.js';
import { canonical } from './compare.js';

/** How an output column merges across windows: a group key, or how its aggregate combines. */
export type MergeOp = 'key' | 'sum' | 'min' | 'max';

type Row = readonly unknown[];

function integer(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return undefined;
}

function combine(op: Exclude<MergeOp, 'key'>, a: unknown, b: unknown): unknown {
  if (a === null || a === undefined) return b;
  if (b === null || b === undefined) return a;
  const x = integer(a);
  const y = integer(b);
  if (x === undefined || y === undefined) throw new Error(`cannot merge ${String(a)} and ${String(b)}`);
  switch (op) {
    case 'sum': return x + y;
    case 'min': return x < y ? x : y;
    case 'max': return x > y ? x : y;
  }
}

export interface Merged {
  readonly result: QueryResult;
  /** Distinct windows the side's rows fell in. */
  readonly windows: number;
}

/**
 * Checks one side's windows and merges its rows. `r` has the window's start and end (microseconds)
 * as its first two columns, then one column per op of `merge`.
 */
export function mergeWindows(r: QueryResult, merge: readonly MergeOp[]): Merged | { readonly error: string } {
  if (r.columns.length !== merge.length + 2) return { error: `${r.columns.length} columns for ${merge.length} merged ones and the window's two` };
  const windows = new Map<bigint, bigint>();
  for (const row of r.rows) {
    const start = integer(row[0]);
    const end = integer(row[1]);
    if (start === undefined || end === undefined || start >= end) return { error: `a window from ${String(row[0])} to ${String(row[1])}` };
    const known = windows.get(start);
    if (known !== undefined && known !== end) return { error: `two windows start at ${start}: ending at ${known} and at ${end}` };
    windows.set(start, end);
  }
  const starts = [...windows.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 1; i < starts.length; i++) {
    const previousEnd = windows.get(starts[i - 1]!)!;
    if (starts[i]! < previousEnd) return { error: `windows overlap: one ends at ${previousEnd}, the next starts at ${starts[i]}` };
  }
  const groups = new Map<string, unknown[]>();
  for (const row of r.rows) {
    const values = row.slice(2);
    const key = values.map((v, i) => (merge[i] === 'key' ? canonical(v) : '')).join('\u0001');
    const sofar = groups.get(key);
    if (!sofar) {
      groups.set(key, [...values]);
      continue;
    }
    merge.forEach((op, i) => {
      if (op !== 'key') sofar[i] = combine(op, sofar[i], values[i]);
    });
  }
  return { result: { columns: r.columns.slice(2), rows: [...groups.values()] as Row[] }, windows: windows.size };
}
