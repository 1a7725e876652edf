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
