// The Markdown format: a GitHub-flavoured Markdown table, for pasting a result into an issue, a
// pull request or a document. Cells read as the table format's (cells.ts: control characters and
// backslashes escaped, so each cell is one line), NULL is an empty cell, numeric columns are
// aligned right (`---:`), and `|` is escaped so that it can't end a cell. Rendered, a backslash
// the table shows doubled shows once, as in the value itself.
import { cellText, isNumericColumn } from '../cells.js';
import { displayText } from '../display-text.js';
import { defineFormat } from '../format-spec.js';
import type { QueryResult } from '../result.js';
import { noteAside, wholeResultWriter } from '../writer.js';

function row(cells: readonly string[]): string {
  return `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
}

function formatMarkdown(r: QueryResult): string {
  // A Markdown table needs a column; a result without any is no text.
  if (r.columns.length === 0) return '';
  return [
    row(r.columns.map((c) => displayText(c.name))),
    row(r.columns.map((_, c) => (isNumericColumn(r.rows, c) ? '---:' : '---'))),
    ...r.rows.map((values) => row(r.columns.map((_, c) => (values[c] === null || values[c] === undefined ? '' : cellText(values[c]))))),
  ].join('\n');
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
  writer: ({ out, aside }) => wholeResultWriter(out, formatMarkdown, (c) => noteAside(aside, c)),
});
