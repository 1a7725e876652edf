// The JSON format: one array of objects keyed by column name, an object a line.
import { defineFormat } from '../format-spec.js';
import { jsonRowText } from '../json-text.js';
import type { Row } from '../result.js';
import { noteAside } from '../writer.js';

export const json = defineFormat({
  kind: 'text',
  name: 'json',
  description: 'one JSON array of objects, integers exact',
  extensions: ['json'],
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
        // The array opens with its first object, so that an empty result can be `[]`.
        out.write(batch.map((row) => `${written++ === 0 ? '[\n' : ',\n'}  ${object!(row)}`).join(''));
      },
      end: (completeness) => {
        if (object !== undefined) out.write(written === 0 ? '[]\n' : '\n]\n');
        noteAside(aside, completeness);
      },
    };
  },
  copy: () => 'FORMAT json, ARRAY true',
});
