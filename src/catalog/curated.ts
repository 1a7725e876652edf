// The shape of a curated table: a friendly name over one tracepoint, with columns derived from
// the live format file so that no offset is ever hard-coded.
import type { Column } from './column.js';
import type { FormatField, TracepointFormat } from './format.js';

export interface CuratedTable {
  readonly name: string;
  readonly description: string;
  readonly category: string;
  readonly event: string;
  /** Columns beyond the common ones; throws MissingFieldError when the format lacks a field. */
  columns(format: TracepointFormat): Column[];
}

export class MissingFieldError extends Error {
  constructor(readonly field: string, readonly event: string) {
    super(`the format of ${event} has no field '${field}'`);
    this.name = 'MissingFieldError';
  }
}

export function requireField(format: TracepointFormat, name: string): FormatField {
  const f = format.fields.find((x) => x.name === name);
  if (!f) throw new MissingFieldError(name, format.name);
  return f;
}
