// Laying out a table's lines for a person: column widths fitted to a terminal, cells cut with an
// ellipsis and padded to their side. The whole-result table and the live one share it.
import { displayText } from './display-text.js';
import type { QueryColumn } from './result.js';

export const SEPARATOR = ' | ';

/** Width in code points; enough for the ASCII-heavy text of kernel results. */
export function widthOf(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** `s` cut to `width`, an ellipsis standing for what was cut. */
export function fit(s: string, width: number): string {
  if (widthOf(s) <= width) return s;
  // Spread splits by code point, the unit widthOf counts.
  // eslint-disable-next-line @typescript-eslint/no-misused-spread
  return width <= 1 ? '…'.slice(0, width) : [...s].slice(0, width - 1).join('') + '…';
}

/** The widest text a value of DuckDB type `type` can have, for types with a bound; else 0. */
export const TYPE_WIDTHS: Readonly<Record<string, number>> = {
  BOOLEAN: 5, TINYINT: 4, SMALLINT: 6, INTEGER: 11, BIGINT: 20,
  UTINYINT: 3, USMALLINT: 5, UINTEGER: 10, UBIGINT: 20,
  DATE: 10, TIMESTAMP: 26, TIMESTAMP_NS: 29, 'TIMESTAMP WITH TIME ZONE': 32,
};

const NUMERIC_TYPES = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/;

/** DuckDB type `type` is a number's: its column is aligned right whatever rows come. */
export function isNumericType(type: string): boolean {
  return NUMERIC_TYPES.test(type);
}

/** Column widths no wider than natural, the widest cut first, so a line fits `maxWidth`. */
export function fitWidths(natural: readonly number[], maxWidth: number): number[] {
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

/** How a table's lines are laid out: each column's width and side. */
export interface Layout {
  readonly widths: readonly number[];
  readonly right: readonly boolean[];
}

/** One line of a table: each text cut to its column and padded to its side. */
export function tableLine(layout: Layout, texts: readonly string[]): string {
  const last = texts.length - 1;
  return texts.map((t, c) => {
    const w = layout.widths[c]!;
    const s = fit(t, w);
    const pad = ' '.repeat(w - widthOf(s));
    if (layout.right[c]) return pad + s;
    return c === last ? s : s + pad;
  }).join(SEPARATOR);
}

/** The header and the line under it. */
export function headerLines(layout: Layout, columns: readonly QueryColumn[]): string {
  return `${tableLine(layout, columns.map((col) => displayText(col.name)))}\n${layout.widths.map((w) => '-'.repeat(w)).join('-+-')}`;
}

export function rowCount(n: number): string {
  return `(${n} ${n === 1 ? 'row' : 'rows'})`;
}
