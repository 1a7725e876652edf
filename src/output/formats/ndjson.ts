// The NDJSON format: one JSON object per line, keyed by column name.
import { defineFormat } from '../format-spec.js';
import { jsonRowText } from '../json-text.js';
import type { Row } from '../result.js';
import { noteAside } from '../writer.js';

export const ndjson = defineFormat({
  kind: 'text',
  name: 'ndjson',
  description: 'one JSON object per line, integers exact',
  extensions: ['ndjson', 'jsonl'],
  streams: true,
  liveWindows: false,
  screen: 'text',
  writer: ({ out, aside }) => {
    let object: ((row: Row) => string) | undefined;
    let written = 0;
    return {
      begin: (columns) => {
        object = jsonRowText(columns);
      },
      rows: (batch) => {
        if (object === undefined || batch.length === 0) return;
        written += batch.length;
        out.write(batch.map((row) => `${object!(row)}\n`).join(''));
      },
      end: (completeness) => {
        // As before the writers: a result without rows is one empty line.
        if (object !== undefined && written === 0) out.write('\n');
        noteAside(aside, completeness);
      },
    };
  },
  copy: () => 'FORMAT json',
});
