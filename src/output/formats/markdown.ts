// The Markdown format: a GitHub-flavoured Markdown table, for pasting a result into an issue, a
// pull request or a document. Cells read as the table format's (cells.ts: control characters and
// backslashes escaped, so each cell is one line), NULL is an empty cell, numeric columns are
// aligned right (`---:`), and `|` is escaped so that it can't end a cell. Rendered, a backslash
// the table shows doubled shows once, as in the value itself.
import { cellText, isNumericColumn } from '../cells.js';
import { displayText } from '../display-text.js';
import { defineFormat } from '../format-spec.js';
import type { QueryColumn, QueryResult, Row } from '../result.js';
import { isNumericType } from '../table-lines.js';
import type { ResultWriter, TextSink } from '../writer.js';
import { noteAside, wholeResultWriter } from '../writer.js';

function row(cells: readonly string[]): string {
  return `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
}

function header(columns: readonly QueryColumn[], right: (c: number) => boolean): string[] {
  return [row(columns.map((c) => displayText(c.name))), row(columns.map((_, c) => (right(c) ? '---:' : '---')))];
}

function rowLine(columns: readonly QueryColumn[], values: Row): string {
  return row(columns.map((_, c) => (values[c] === null || values[c] === undefined ? '' : cellText(values[c]))));
}

function formatMarkdown(r: QueryResult): string {
  // A Markdown table needs a column; a result without any is no text.
  if (r.columns.length === 0) return '';
  return [...header(r.columns, (c) => isNumericColumn(r.rows, c)), ...r.rows.map((values) => rowLine(r.columns, values))].join('\n');
}

/** Rows as they come: the alignment row is decided by the types and the first batch. */
function liveMarkdownWriter(out: TextSink, aside: TextSink): ResultWriter {
  let columns: readonly QueryColumn[] = [];
  let started = false;
  const start = (first: readonly Row[]): void => {
    started = true;
    if (columns.length > 0) out.write(`${header(columns, (c) => isNumericType(columns[c]!.type) || isNumericColumn(first, c)).join('\n')}\n`);
  };
  return {
    begin: (c) => {
      columns = c;
    },
    rows: (batch) => {
      if (batch.length === 0) return;
      if (!started) start(batch);
      if (columns.length > 0) out.write(batch.map((values) => `${rowLine(columns, values)}\n`).join(''));
    },
    end: (completeness) => {
      if (!started) start([]);
      noteAside(aside, completeness);
    },
  };
}

export const markdown = defineFormat({
  kind: 'text',
  name: 'markdown',
  description: 'a GitHub-flavoured Markdown table',
  extensions: ['md', 'markdown'],
  // The alignment row needs every row.
  streams: false,
  liveWindows: false,
  screen: 'text',
  writer: ({ out, aside, live }) => live ? liveMarkdownWriter(out, aside) : wholeResultWriter(out, formatMarkdown, (c) => noteAside(aside, c)),
});
