// Rows as folded stacks, the form flame-graph tools read: one line per distinct path, its frames
// root first, separated by ';', then a space and its count. The columns say what a row is:
// - its count is the last column that holds integers (count(*), sum(latency_ns)); without one,
//   each row counts once;
// - every other column is part of the path, in the query's order: a column named like a stack
//   (`kstack`, `ustack`, `…stack`) gives its frames, which bpfql writes innermost first, reversed;
//   any other column is one frame (a comm, a pid), so `SELECT comm, ustack, kstack, count(*)`
//   gives the usual process → user → kernel picture. NULL adds nothing.
// Frames are made safe for the format: control characters escaped, and ';' (the separator) written
// as ':'.
import { displayText } from './display-text.js';
import type { QueryColumn, Row } from './result.js';

export interface FoldedStack {
  readonly frames: readonly string[];
  readonly count: number;
}

const isStackColumn = (c: QueryColumn): boolean => /stack$/i.test(c.name);
const isCount = (v: unknown): boolean => v === null || v === undefined || typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));

/** The column counted, or -1 when rows count once each. */
function countColumn(columns: readonly QueryColumn[], rows: readonly Row[]): number {
  for (let c = columns.length - 1; c >= 0; c--) {
    if (isStackColumn(columns[c]!)) continue;
    if (rows.length > 0 && rows.every((r) => isCount(r[c])) && rows.some((r) => r[c] !== null && r[c] !== undefined)) return c;
  }
  return -1;
}

const frameText = (v: unknown): string => displayText(typeof v === 'string' ? v : JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))).replaceAll(';', ':');

/** The rows' paths with their counts, equal paths merged, in path order (as flame-graph tools sort). */
export function foldStacks(columns: readonly QueryColumn[], rows: readonly Row[]): FoldedStack[] {
  const counted = countColumn(columns, rows);
  const totals = new Map<string, { frames: string[]; count: number }>();
  for (const row of rows) {
    const frames: string[] = [];
    columns.forEach((col, c) => {
      const v = row[c];
      if (c === counted || v === null || v === undefined) return;
      if (isStackColumn(col) && typeof v === 'string') {
        frames.push(...v.split(';').filter((f) => f !== '').reverse().map(frameText));
      } else {
        frames.push(frameText(v));
      }
    });
    if (frames.length === 0) continue;
    const count = counted < 0 ? 1 : Number(row[counted] ?? 0);
    if (count <= 0) continue;
    const key = frames.join(';');
    const seen = totals.get(key);
    if (seen) seen.count += count;
    else totals.set(key, { frames, count });
  }
  return [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

export function foldedText(stacks: readonly FoldedStack[]): string {
  return stacks.map((s) => `${s.frames.join(';')} ${s.count}`).join('\n');
}
