// The table format for rows that arrive while a query runs: the header is written once, with the
// first batch, and every later row is laid out in the same columns. Column widths come from that
// first batch and from the column types (liveLayout), so a later row that is wider is cut with an
// ellipsis instead of breaking the alignment.
import { cellText, isNumericColumn } from './cells.js';
import { displayText } from './display-text.js';
import type { QueryColumn, Row } from './result.js';
import type { Layout } from './table-lines.js';
import { fitWidths, headerLines, isNumericType, rowCount, tableLine, TYPE_WIDTHS, widthOf } from './table-lines.js';
import type { ResultWriter, WriterOptions } from './writer.js';

/** Digits a number column keeps spare beyond the widest of the first batch: pids and counts grow. */
const SPARE_DIGITS = 2;

/**
 * Widths from the header, the first batch and the types: a type of bounded text (a timestamp, a
 * boolean) takes its full width; a number column its first batch's widest plus a little room,
 * never more than its type allows; any other column its first batch's widest.
 */
function liveLayout(columns: readonly QueryColumn[], first: readonly Row[], maxWidth: number | undefined): Layout {
  const right = columns.map((col, c) => isNumericType(col.type) || isNumericColumn(first, c));
  const natural = columns.map((col, c) => {
    const seen = first.reduce((w, row) => Math.max(w, widthOf(cellText(row[c]))), 0);
    const bound = TYPE_WIDTHS[col.type];
    const wanted = bound === undefined ? seen : right[c] ? Math.min(bound, seen + SPARE_DIGITS) : bound;
    return Math.max(widthOf(displayText(col.name)), wanted);
  });
  return { widths: maxWidth === undefined ? natural : fitWidths(natural, maxWidth), right };
}

/** The table writer for rows that arrive over time; the completeness is a line under the count. */
export function liveTableWriter(opts: WriterOptions): ResultWriter {
  let columns: readonly QueryColumn[] | undefined;
  let layout: Layout | undefined;
  let count = 0;
  const start = (first: readonly Row[]): Layout => {
    const l = liveLayout(columns!, first, opts.maxWidth);
    opts.out.write(`${headerLines(l, columns!)}\n`);
    return l;
  };
  return {
    begin: (c) => {
      columns = c;
    },
    rows: (batch) => {
      if (columns === undefined || batch.length === 0 || columns.length === 0) {
        count += batch.length;
        return;
      }
      layout ??= start(batch);
      const l = layout;
      count += batch.length;
      opts.out.write(batch.map((row) => `${tableLine(l, columns!.map((_, c) => cellText(row[c])))}\n`).join(''));
    },
    end: (completeness) => {
      if (columns !== undefined) {
        if (layout === undefined && columns.length > 0) start([]);
        opts.out.write(`${rowCount(count)}\n`);
      }
      if (completeness !== undefined) opts.out.write(`${completeness.text}\n`);
    },
  };
}
