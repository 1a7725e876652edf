// What a token means: its span, the name an identifier denotes, the value of a literal.
import type { IToken } from 'chevrotain';
import { span, type Span } from '../diag/span.js';
import { QuotedIdentifier } from './lexer.js';

export function tokenSpan(t: IToken): Span {
  return span(t.startOffset, t.startOffset + t.image.length);
}

/**
 * Unquoted names fold to lower case, as in PostgreSQL, so later stages compare plain strings;
 * "quoted" names keep their exact spelling.
 */
export function nameOf(t: IToken): string {
  if (t.tokenType === QuotedIdentifier) return t.image.slice(1, -1).replaceAll('""', '"');
  return t.image.toLowerCase();
}

export function stringValue(image: string): string {
  return image.slice(1, -1).replaceAll("''", "'");
}

const unitMs: ReadonlyMap<string, number> = new Map([
  ['ms', 1],
  ['s', 1000],
  ['m', 60_000],
  ['h', 3_600_000],
]);

/** Milliseconds of `500ms`, `10s`, `2m`, `1h`; undefined for anything else, zero included. */
export function durationMs(image: string): number | undefined {
  const match = /^(\d+)([a-z]+)$/i.exec(image);
  if (match === null) return undefined;
  const unit = unitMs.get(match[2]!.toLowerCase());
  if (unit === undefined) return undefined;
  const ms = Number(match[1]) * unit;
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}
