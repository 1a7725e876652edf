// The CSV format (RFC 4180, LF line ends): a header of column names, then a line per row.
import { defineFormat } from '../format-spec.js';
import { jsonText } from '../json-text.js';
import type { Row } from '../result.js';
import { noteAside } from '../writer.js';

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? jsonText(v) : String(v);
  // An empty string is quoted so that it reads back differently from NULL.
  return s === '' || /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const csv = defineFormat({
  kind: 'text',
  name: 'csv',
  description: 'RFC 4180 comma-separated values with a header line',
  extensions: ['csv'],
  streams: true,
  liveWindows: false,
  screen: 'escaped-text',
  writer: ({ out, aside }) => {
    let width = 0;
    const line = (row: Row): string => `${Array.from({ length: width }, (_, c) => csvField(row[c])).join(',')}\n`;
    return {
      begin: (columns) => {
        width = columns.length;
        out.write(line(columns.map((c) => c.name)));
      },
      rows: (batch) => {
        if (batch.length > 0) out.write(batch.map(line).join(''));
      },
      end: (completeness) => noteAside(aside, completeness),
    };
  },
  copy: () => 'FORMAT csv, HEADER true',
});
