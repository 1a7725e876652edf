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

/**
 * The longest EVERY or FOR: 365 days. A longer run is better left without FOR (it then runs
 * until stopped); the bound keeps every window bound and end time well inside what clocks,
 * timers and DuckDB timestamps hold.
 */
export const MAX_DURATION_MS = 365 * 24 * 3_600_000;
/** MAX_DURATION_MS as the dialect writes it. */
export const MAX_DURATION_TEXT = '8760h';

/**
 * Milliseconds of `500ms`, `10s`, `2m`, `1h`; undefined for anything else, zero included. Does
 * not check MAX_DURATION_MS (the callers say which is wrong): a number too large to be exact is
 * Infinity.
 */
export function durationMs(image: string): number | undefined {
  const match = /^(\d+)([a-z]+)$/i.exec(image);
  if (match === null) return undefined;
  const unit = unitMs.get(match[2]!.toLowerCase());
  if (unit === undefined) return undefined;
  const ms = Number(match[1]) * unit;
  if (ms === 0) return undefined;
  // Past 2^53 the number is no longer exact, but it is surely too long.
  return Number.isSafeInteger(ms) ? ms : Infinity;
}
