// Token soup: random runs of the dialect's vocabulary (keywords, operators, names, literals)
// and random characters, including unterminated quotes and comments, control characters and
// non-ASCII text.
import { keywordTokens } from '../../src/query/lexer.js';
import type { Rng } from './rng.js';
import type { TableShape } from './tables.js';
import { durationLiteral, floatLiteral, intLiteral, stringLiteral } from './literals.js';

/** The dialect's keywords, lower case. */
export const KEYWORDS: ReadonlySet<string> = new Set([...keywordTokens].map((t) => t.name.toLowerCase()));
const KEYWORD_LIST: readonly string[] = [...KEYWORDS].map((k) => k.toUpperCase());

export const PUNCTUATION: readonly string[] = [
  '||', '|', '^', '&', '<<', '>>', '<=', '>=', '<>', '!=', '==', '<', '>', '=', '+', '-', '*', '//', '/', '%', '~',
  '::', ',', '.', '(', ')', ';',
];

const ODD_TEXT: readonly string[] = [
  "'", '"', '/*', '*/', '--', '\n', '\t', '\0', '\u00a0', '\u200b', 'é', '\u{1F600}', '\uD800', '`', '@', '#', '$', '?', '[', ']', '{', '}',
  '""', '"a""b"', '1e', '0x', '1.2.3', '..', '10xs',
];

/** One token of the dialect (or something that looks like one). */
export function randomToken(rng: Rng, tables: readonly TableShape[]): string {
  switch (rng.int(10)) {
    case 0: case 1: case 2: return rng.pick(KEYWORD_LIST);
    case 3: case 4: return rng.pick(PUNCTUATION);
    case 5: {
      const t = rng.pick(tables);
      return rng.chance(0.3) ? t.name : rng.pick(t.columns).name;
    }
    case 6: return intLiteral(rng);
    case 7: return rng.pick([stringLiteral(rng), floatLiteral(rng), durationLiteral(rng)]);
    case 8: return rng.pick(['count', 'sum', 'min', 'max', 'avg', 'median', 'abs', 'xor', 'lower', 'foo', 'x']);
    default: return rng.pick(ODD_TEXT);
  }
}

export function randomChar(rng: Rng): string {
  if (rng.chance(0.8)) return String.fromCharCode(rng.range(0, 127));
  return String.fromCodePoint(rng.chance(0.9) ? rng.range(128, 0xd7ff) : rng.range(0xe000, 0x10ffff));
}

export function tokenSoup(rng: Rng, tables: readonly TableShape[]): string {
  const n = rng.range(0, 40);
  const parts: string[] = [];
  // Half of the soups start like a query, so the parser gets past the first token.
  if (rng.chance(0.5)) parts.push('SELECT');
  for (let i = 0; i < n; i++) parts.push(rng.chance(0.85) ? randomToken(rng, tables) : randomChar(rng));
  return parts.join(rng.chance(0.8) ? ' ' : '');
}
