// A ResultWriter that hands each row on as one line of JSON, for the alert outputs that take a
// line at a time (file, syslog, webhook). Unlike the ndjson format it writes nothing at the end:
// a rule without alerts leaves no empty line in an alert log.
import { jsonRowText } from '../../output/json-text.js';
import type { Row } from '../../output/result.js';
import type { ResultWriter } from '../../output/writer.js';

export function lineWriter(send: (line: string) => void): ResultWriter {
  let object: ((row: Row) => string) | undefined;
  return {
    begin: (columns) => {
      object = jsonRowText(columns);
    },
    rows: (batch) => {
      if (object === undefined) return;
      for (const row of batch) send(object(row));
    },
    end: () => undefined,
  };
}
