// Query results as text for a terminal or a pipe. Every format returns text without a final line
// break (print it with console.log or add one).

import { displayText, screenText } from '../display-text.js';
import { jsonText } from '../json-text.js';
import type { QueryResult } from '../result.js';

export type OutputFormat = 'table' | 'json' | 'csv' | 'ndjson';

export interface FormatOptions {
  /** Table only: the widest a line may be; wide columns are cut short with '…' to fit. */
  readonly maxWidth?: number;
}

export function formatResult(r: QueryResult, format: OutputFormat, opts?: FormatOptions): string {
  switch (format) {
    case 'table': return formatTable(r, opts?.maxWidth);
    case 'json': return r.rows.length === 0 ? '[]' : `[\n${rowObjects(r).map((o) => `  ${o}`).join(',\n')}\n]`;
    case 'ndjson': return rowObjects(r).join('\n');
    case 'csv': return formatCsv(r);
  }
}

function rowObjects(r: QueryResult): string[] {
  const keys = r.columns.map((c) => JSON.stringify(c.name));
  return r.rows.map((row) => `{${keys.map((k, i) => `${k}:${jsonText(row[i])}`).join(',')}}`);
}

// ---- table ----

const SEPARATOR = ' | ';

interface Bucket { readonly lo: unknown; readonly hi: unknown; readonly count: unknown }

function isBucketList(v: unknown): v is readonly Bucket[] {
  return Array.isArray(v) && v.length > 0 && v.every((b: unknown) =>
    typeof b === 'object' && b !== null && !Array.isArray(b) && 'lo' in b && 'hi' in b && 'count' in b && Object.keys(b).length === 3);
}

/**
 * One line of text per value, safe for a terminal: control characters (and backslash) are escaped
 * (display-text.ts), so they can neither break the layout nor drive the terminal. Lists and
 * structs are shown as JSON, whose strings already escape line breaks and backslashes.
 */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return displayText(v);
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (isBucketList(v)) return screenText(v.map((b) => `[${jsonText(b.lo)},${jsonText(b.hi)}]:${jsonText(b.count)}`).join(' '));
  return screenText(jsonText(v));
}

function isNumeric(rows: QueryResult['rows'], c: number): boolean {
  let seen = false;
  for (const row of rows) {
    const v = row[c];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'number' && typeof v !== 'bigint') return false;
    seen = true;
  }
  return seen;
}

/** Width in code points; enough for the ASCII-heavy text of kernel results. */
function widthOf(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function fit(s: string, width: number): string {
  if (widthOf(s) <= width) return s;
  return width <= 1 ? '…'.slice(0, width) : [...s].slice(0, width - 1).join('') + '…';
}

/** Column widths no wider than natural, the widest cut first, so a line fits `maxWidth`. */
function fitWidths(natural: readonly number[], maxWidth: number): number[] {
  const room = maxWidth - SEPARATOR.length * (natural.length - 1);
  const total = (cap: number): number => natural.reduce((s, w) => s + Math.min(w, cap), 0);
  if (total(Infinity) <= room) return [...natural];
  // The largest cap that fits, then one more character for as many cut columns as still fit.
  let lo = 1;
  let hi = Math.max(...natural);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (total(mid) <= room) lo = mid;
    else hi = mid - 1;
  }
  let spare = room - total(lo);
  return natural.map((w) => {
    if (w <= lo) return w;
    if (spare > 0) {
      spare--;
      return lo + 1;
    }
    return lo;
  });
}

function formatTable(r: QueryResult, maxWidth: number | undefined): string {
  const n = r.rows.length;
  const footer = `(${n} ${n === 1 ? 'row' : 'rows'})`;
  if (r.columns.length === 0) return footer;
  const cells = r.rows.map((row) => r.columns.map((_, c) => cellText(row[c])));
  const right = r.columns.map((_, c) => isNumeric(r.rows, c));
  const natural = r.columns.map((col, c) => cells.reduce((w, line) => Math.max(w, widthOf(line[c]!)), widthOf(displayText(col.name))));
  const widths = maxWidth === undefined ? natural : fitWidths(natural, maxWidth);
  const last = r.columns.length - 1;
  const line = (texts: readonly string[]): string => texts.map((t, c) => {
    const s = fit(t, widths[c]!);
    const pad = ' '.repeat(widths[c]! - widthOf(s));
    if (right[c]) return pad + s;
    return c === last ? s : s + pad;
  }).join(SEPARATOR);
  return [
    line(r.columns.map((col) => displayText(col.name))),
    widths.map((w) => '-'.repeat(w)).join('-+-'),
    ...cells.map(line),
    footer,
  ].join('\n');
}

// ---- csv (RFC 4180) ----

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? jsonText(v) : String(v);
  // An empty string is quoted so that it reads back differently from NULL.
  return s === '' || /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function formatCsv(r: QueryResult): string {
  const header = r.columns.map((c) => csvField(c.name)).join(',');
  return [header, ...r.rows.map((row) => r.columns.map((_, c) => csvField(row[c])).join(','))].join('\n');
}
