// The table format: aligned columns for a person at a terminal, numbers to the right, a row count
// last. Every cell is one line (cells.ts); a line may be cut to the terminal's width.
import { cellText, isNumericColumn } from '../cells.js';
import { displayText } from '../display-text.js';
import { defineFormat } from '../format-spec.js';
import type { QueryResult } from '../result.js';
import { wholeResultWriter } from '../writer.js';

const SEPARATOR = ' | ';

/** Width in code points; enough for the ASCII-heavy text of kernel results. */
function widthOf(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function fit(s: string, width: number): string {
  if (widthOf(s) <= width) return s;
  // Spread splits by code point, the unit widthOf counts.
  // eslint-disable-next-line @typescript-eslint/no-misused-spread
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
  const right = r.columns.map((_, c) => isNumericColumn(r.rows, c));
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

export const table = defineFormat({
  kind: 'text',
  name: 'table',
  description: 'aligned columns for a person, the completeness under them',
  extensions: [],
  streams: false,
  liveWindows: true,
  screen: 'table',
  // Widths need every row. For a person, the completeness is a line under the table.
  writer: (opts) => wholeResultWriter(opts.out, (r) => formatTable(r, opts.maxWidth), (c) => {
    if (c !== undefined) opts.out.write(`${c.text}\n`);
  }),
});
