// A whole result as one text: the simplest use of a format's writer, for the REPL's screen and
// files, `bpfql run`'s summary and tests.
import type { TextFormat } from './format-spec.js';
import type { TextFormatName } from './formats.js';
import { textFormat } from './formats.js';
import type { QueryResult } from './result.js';
import { writeResult } from './writer.js';

export interface TextOptions {
  /** Formats laid out for a terminal: the widest a line may be. */
  readonly maxWidth?: number;
}

/** What `format`'s writer writes for `r`, every line ending in a line break. */
export function resultText(format: TextFormat, r: QueryResult, opts?: TextOptions): string {
  let text = '';
  const sink = { write: (t: string): void => { text += t; } };
  // No completeness is given, so nothing is written aside.
  writeResult(format.writer({ out: sink, aside: sink, ...opts }), r);
  return text;
}

/** The text of `r` in the format called `name`, without the final line break (print it with console.log). */
export function formatResult(r: QueryResult, name: TextFormatName, opts?: TextOptions): string {
  return resultText(textFormat(name), r, opts).replace(/\n$/, '');
}
