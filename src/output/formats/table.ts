// The table format: aligned columns for a person at a terminal, numbers to the right, a row count
// last. Every cell is one line (cells.ts); a line may be cut to the terminal's width.
import { cellText, isNumericColumn } from '../cells.js';
import { displayText } from '../display-text.js';
import { defineFormat } from '../format-spec.js';
import { liveTableWriter } from '../live-table.js';
import { fitWidths, headerLines, rowCount, tableLine, widthOf } from '../table-lines.js';
import type { QueryResult } from '../result.js';
import { wholeResultWriter } from '../writer.js';

function formatTable(r: QueryResult, maxWidth: number | undefined): string {
  const footer = rowCount(r.rows.length);
  if (r.columns.length === 0) return footer;
  const cells = r.rows.map((row) => r.columns.map((_, c) => cellText(row[c])));
  const natural = r.columns.map((col, c) => cells.reduce((w, line) => Math.max(w, widthOf(line[c]!)), widthOf(displayText(col.name))));
  const layout = {
    widths: maxWidth === undefined ? natural : fitWidths(natural, maxWidth),
    right: r.columns.map((_, c) => isNumericColumn(r.rows, c)),
  };
  return [headerLines(layout, r.columns), ...cells.map((line) => tableLine(layout, line)), footer].join('\n');
}

export const table = defineFormat({
  kind: 'text',
  name: 'table',
  description: 'aligned columns for a person, the completeness under them',
  extensions: [],
  streams: false,
  liveWindows: true,
  screen: 'table',
  // Widths need every row, unless the rows come live (then the first batch and the types set
  // them). For a person, the completeness is a line under the table.
  writer: (opts) => opts.live ? liveTableWriter(opts) : wholeResultWriter(opts.out, (r) => formatTable(r, opts.maxWidth), (c) => {
    if (c !== undefined) opts.out.write(`${c.text}\n`);
  }),
});
