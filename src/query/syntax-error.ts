// Turns chevrotain's first recognition error into one diagnostic a person can act on: where, what
// was found, a short list of what could have come instead, and, when a word is close to an
// expected keyword, the keyword. Constructs of full SQL that bpfql does not parse are named as
// unsupported instead of being reported as a bare syntax error.
import { EOF, tokenMatcher, type IRecognitionException, type IToken, type TokenType } from './chevrotain.js';
import { diagnostic, type Diagnostic } from '../diag/diagnostic.js';
import { editDistance } from '../diag/messages.js';
import { span, type Span } from '../diag/span.js';
import * as T from './lexer.js';
import type { BpfqlParser } from './statement-grammar.js';
import { tokenSpan } from './token-values.js';

/** Tokens that can start an expression; listed together as "expression". */
const expressionStart: ReadonlySet<TokenType> = new Set([
  T.Name, T.Integer, T.Float, T.StringLiteral, T.True, T.False, T.Null,
  T.Cast, T.Case, T.LParen, T.Minus, T.Tilde, T.Not,
]);

/** Tokens that continue an expression; listed together as "operator". */
const continuation: ReadonlySet<TokenType> = new Set([
  T.CompareOp, T.AddOp, T.MulOp, T.ShiftOp, T.BitOrOp, T.Ampersand, T.DoubleColon,
  T.Not, T.In, T.Between, T.Is, T.Like, T.Ilike,
]);

const wordLabels: ReadonlyMap<TokenType, string> = new Map([
  [T.Name, 'identifier'],
  [T.Integer, 'integer'],
  [T.Float, 'number'],
  [T.StringLiteral, 'string'],
  [T.Duration, 'duration'],
  [T.Group, 'GROUP BY'],
  [T.Order, 'ORDER BY'],
  [EOF, 'end of input'],
]);

function labelOf(t: TokenType): string {
  return wordLabels.get(t) ?? (T.keywordTokens.has(t) ? t.name : t.LABEL ?? t.name);
}

/**
 * The human names of `types`, in grammar order, with expression starts and operators folded.
 * Right after a name, '(' and '.' (a call, a qualified name) are always possible and only
 * lengthen the list, so they are named only when nothing else could follow.
 */
function describeExpected(types: readonly TokenType[], afterName: boolean): string[] {
  if (afterName && types.some((t) => t !== T.LParen && t !== T.Dot)) {
    types = types.filter((t) => t !== T.LParen && t !== T.Dot);
  }
  const set = new Set(types);
  const foldExpression = set.has(T.Name) && set.has(T.Integer) && set.has(T.LParen);
  // A lone AND (after BETWEEN x) is worth naming; AND beside OR is just another operator.
  const foldLogical = set.has(T.Or);
  const labels = types.map((t) => {
    if (foldExpression && expressionStart.has(t)) return 'expression';
    if (continuation.has(t) || (foldLogical && (t === T.And || t === T.Or))) return 'operator';
    return labelOf(t);
  });
  return [...new Set(labels)];
}

function foundText(token: IToken): string {
  if (token.tokenType === EOF) return 'end of input';
  const image = token.image.length > 30 ? `${token.image.slice(0, 29)}…` : token.image;
  // A string literal brings its own quotes.
  return token.tokenType === T.StringLiteral ? `string ${image}` : `'${image}'`;
}

/** An unquoted word: an identifier or a keyword. */
const isWord = (t: IToken): boolean => t.tokenType !== T.QuotedIdentifier && /^[A-Za-z_]\w*$/.test(t.image);

/** The expected keyword a misspelt word is closest to, or how to use a reserved word as a name. */
function hintFor(found: IToken, expected: readonly TokenType[]): string | undefined {
  if (!isWord(found)) return undefined;
  const word = found.image.toLowerCase();
  if (expected.includes(T.Name) && !tokenMatcher(found, T.Name)) return `"${word}"`;
  // A reserved word is a word the user meant, not a misspelling.
  if (!tokenMatcher(found, T.Name)) return undefined;
  let best: { name: string; distance: number } | undefined;
  for (const t of expected) {
    if (!T.keywordTokens.has(t)) continue;
    const distance = editDistance(word, t.name.toLowerCase());
    if (distance <= Math.min(2, Math.floor(t.name.length / 2)) && (best === undefined || distance < best.distance)) {
      best = { name: labelOf(t), distance };
    }
  }
  return best?.name;
}

const joinWords = new Set(['join', 'inner', 'left', 'right', 'full', 'cross', 'natural']);
const setOperations = new Set(['union', 'intersect', 'except']);

/**
 * Names a known SQL construct bpfql's grammar leaves out, if that is what stopped the parse,
 * with the token to point at.
 */
function unsupportedFeature(
  found: IToken,
  previous: IToken | undefined,
  expected: readonly TokenType[],
): { feature: string; at: IToken } | undefined {
  const word = isWord(found) ? found.image.toLowerCase() : '';
  const afterTable = expected.includes(T.Where);
  if (found.tokenType === T.Select && expected.includes(T.LParen)) return { feature: 'a subquery', at: found };
  if (found.tokenType === T.Distinct && previous?.tokenType === T.Select) return { feature: 'SELECT DISTINCT', at: found };
  if (afterTable && (joinWords.has(word) || found.tokenType === T.Comma)) return { feature: 'JOIN', at: found };
  if (afterTable && found.tokenType === T.As) return { feature: 'a table alias', at: found };
  if (setOperations.has(word)) return { feature: word.toUpperCase(), at: found };
  if (word === 'offset') return { feature: 'OFFSET', at: found };
  if (word === 'with' && previous === undefined) return { feature: 'WITH', at: found };
  // `f(x) OVER (...)`: OVER was taken for an alias, and the '(' after it is what failed.
  if (found.tokenType === T.LParen && previous?.image.toLowerCase() === 'over') {
    return { feature: 'a window function (OVER)', at: previous };
  }
  return undefined;
}

/**
 * Content assist walks the grammar again over every preceding token, following every open
 * parenthesis or CASE, so its work grows with the tokens times their nesting; long or deeply
 * nested queries would take seconds. The budget keeps it to about a tenth of a second.
 */
const ASSIST_BUDGET = 600;

function assistCost(tokens: readonly IToken[]): number {
  let depth = 0;
  let cost = 0;
  for (const t of tokens) {
    if (t.tokenType === T.LParen || t.tokenType === T.Case) depth++;
    else if ((t.tokenType === T.RParen || t.tokenType === T.End) && depth > 0) depth--;
    cost += 1 + depth;
  }
  return cost;
}

/** Where an error at `found` points: the token itself, or just after the last token at the end. */
function errorSpan(found: IToken, tokens: readonly IToken[]): Span {
  if (found.tokenType !== EOF) return tokenSpan(found);
  const last = tokens[tokens.length - 1];
  const at = last === undefined ? 0 : tokenSpan(last).end;
  return span(at, at);
}

export function syntaxDiagnostic(
  parser: BpfqlParser,
  startRule: string,
  tokens: IToken[],
  error: IRecognitionException,
): Diagnostic {
  const found = error.token;
  const index = found.tokenType === EOF ? tokens.length : tokens.indexOf(found);
  const preceding = tokens.slice(0, index);
  // Past its budget the diagnostic says what was found, not what was expected.
  const assisted = assistCost(preceding) <= ASSIST_BUDGET ? parser.computeContentAssist(startRule, preceding) : [];
  const expected = [...new Set(assisted.map((p) => p.nextTokenType))];
  // The whole statement parsed and something follows it: the end was a valid place to stop.
  if (error.name === 'NotAllInputParsedException') expected.push(EOF);
  const where = errorSpan(found, tokens);
  const previous = preceding[preceding.length - 1];
  const unsupported = unsupportedFeature(found, previous, expected);
  if (unsupported !== undefined) {
    return diagnostic('unsupported', { feature: unsupported.feature }, tokenSpan(unsupported.at));
  }
  const hint = hintFor(found, expected);
  const afterName = previous !== undefined && tokenMatcher(previous, T.Name);
  return diagnostic(
    'parse-error',
    { expected: describeExpected(expected, afterName), found: foundText(found), ...(hint === undefined ? {} : { hint }) },
    where,
  );
}
