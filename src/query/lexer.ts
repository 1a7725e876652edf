// The tokens of bpfql's dialect and the lexer. Keywords are case-insensitive. Some keywords only
// ever start a statement (EXPLAIN, SHOW, ...), so they also belong to the `Name` category and stay
// usable as column and table names; the rest are reserved.
import { createToken, Lexer, type IToken, type TokenType } from './chevrotain.js';
import { diagnostic, QueryError, type DiagnosticParams } from '../diag/diagnostic.js';
import { span } from '../diag/span.js';

/** Anything that can name a column, table, alias, function or type. */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA });
export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, categories: [Name] });
export const QuotedIdentifier = createToken({ name: 'QuotedIdentifier', pattern: /"(?:[^"]|"")*"/, categories: [Name] });

const keywords: TokenType[] = [];

function keyword(word: string, soft = false): TokenType {
  const token = createToken({
    name: word,
    pattern: new RegExp(word, 'i'),
    longer_alt: Identifier,
    categories: soft ? [Name] : [],
  });
  keywords.push(token);
  return token;
}

export const Select = keyword('SELECT');
export const From = keyword('FROM');
export const Where = keyword('WHERE');
export const Group = keyword('GROUP');
export const By = keyword('BY');
export const Having = keyword('HAVING');
export const Order = keyword('ORDER');
export const Asc = keyword('ASC');
export const Desc = keyword('DESC');
export const Limit = keyword('LIMIT');
export const Every = keyword('EVERY');
export const For = keyword('FOR');
export const As = keyword('AS');
export const And = keyword('AND');
export const Or = keyword('OR');
export const Not = keyword('NOT');
export const In = keyword('IN');
export const Between = keyword('BETWEEN');
export const Is = keyword('IS');
export const Null = keyword('NULL');
export const Like = keyword('LIKE');
export const Ilike = keyword('ILIKE');
export const True = keyword('TRUE');
export const False = keyword('FALSE');
export const Cast = keyword('CAST');
export const Case = keyword('CASE');
export const When = keyword('WHEN');
export const Then = keyword('THEN');
export const Else = keyword('ELSE');
export const End = keyword('END');
export const Distinct = keyword('DISTINCT');
export const All = keyword('ALL');
export const Exclude = keyword('EXCLUDE', true);
export const Explain = keyword('EXPLAIN', true);
export const Create = keyword('CREATE', true);
export const Table = keyword('TABLE', true);
export const Insert = keyword('INSERT', true);
export const Into = keyword('INTO', true);
export const Show = keyword('SHOW', true);
export const Tables = keyword('TABLES', true);
export const Describe = keyword('DESCRIBE', true);
export const Rule = keyword('RULE', true);
export const Severity = keyword('SEVERITY', true);
export const Per = keyword('PER', true);
export const Metric = keyword('METRIC', true);

// Numbers must not run into letters: `10s` is one Duration token, `10x` too (the parser reports
// it as a bad duration rather than the lexer as two tokens).
export const Float = createToken({
  name: 'Float',
  pattern: /(?:\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)(?![A-Za-z0-9_])/,
});
export const Integer = createToken({ name: 'Integer', pattern: /(?:0[xX][0-9a-fA-F]+|\d+)(?![A-Za-z0-9_]|\.\d)/ });
/** A number glued to a word. Only `ms`, `s`, `m` and `h` make a valid duration; the parser checks. */
export const Duration = createToken({ name: 'Duration', pattern: /\d+(?:\.\d+)?[A-Za-z_][A-Za-z0-9_]*/ });
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /'(?:[^']|'')*'/ });

// Operator categories keep the expression rules one CONSUME per precedence level.
export const CompareOp = createToken({ name: 'CompareOp', pattern: Lexer.NA });
export const AddOp = createToken({ name: 'AddOp', pattern: Lexer.NA });
export const MulOp = createToken({ name: 'MulOp', pattern: Lexer.NA });
export const ShiftOp = createToken({ name: 'ShiftOp', pattern: Lexer.NA });
export const BitOrOp = createToken({ name: 'BitOrOp', pattern: Lexer.NA });

function punct(name: string, pattern: string, categories: TokenType[] = []): TokenType {
  return createToken({ name, pattern, label: `'${pattern}'`, categories });
}

export const Concat = punct('Concat', '||', [AddOp]);
export const Pipe = punct('Pipe', '|', [BitOrOp]);
export const Caret = punct('Caret', '^', [BitOrOp]);
export const Ampersand = punct('Ampersand', '&');
export const ShiftLeft = punct('ShiftLeft', '<<', [ShiftOp]);
export const ShiftRight = punct('ShiftRight', '>>', [ShiftOp]);
export const LessEqual = punct('LessEqual', '<=', [CompareOp]);
export const GreaterEqual = punct('GreaterEqual', '>=', [CompareOp]);
export const LessGreater = punct('LessGreater', '<>', [CompareOp]);
export const NotEqual = punct('NotEqual', '!=', [CompareOp]);
export const DoubleEqual = punct('DoubleEqual', '==', [CompareOp]);
export const Less = punct('Less', '<', [CompareOp]);
export const Greater = punct('Greater', '>', [CompareOp]);
export const Equal = punct('Equal', '=', [CompareOp]);
export const Plus = punct('Plus', '+', [AddOp]);
export const Minus = punct('Minus', '-', [AddOp]);
export const Star = punct('Star', '*', [MulOp]);
/** Integer division (DuckDB's `//`); `/` divides as a floating-point number. */
export const DoubleSlash = punct('DoubleSlash', '//', [MulOp]);
export const Slash = punct('Slash', '/', [MulOp]);
export const Percent = punct('Percent', '%', [MulOp]);
export const Tilde = punct('Tilde', '~');
export const DoubleColon = punct('DoubleColon', '::');
export const Comma = punct('Comma', ',');
export const Dot = punct('Dot', '.');
export const LParen = punct('LParen', '(');
export const RParen = punct('RParen', ')');
export const Semicolon = punct('Semicolon', ';');

const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
const LineComment = createToken({ name: 'LineComment', pattern: /--[^\n]*/, group: Lexer.SKIPPED });
const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED });

// These match only where the complete form above did not, i.e. an opening that is never closed.
// They exist so that the error names the real problem instead of a stray quote.
const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /'/ });
const UnterminatedIdentifier = createToken({ name: 'UnterminatedIdentifier', pattern: /"/ });
const UnterminatedComment = createToken({ name: 'UnterminatedComment', pattern: /\/\*/ });

const unterminated = new Map<TokenType, DiagnosticParams['unterminated']['what']>([
  [UnterminatedString, 'string'],
  [UnterminatedIdentifier, 'quoted identifier'],
  [UnterminatedComment, 'comment'],
]);

// Order matters: the lexer takes the first pattern that matches, so longer forms come first.
export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  Float,
  Integer,
  Duration,
  StringLiteral,
  UnterminatedString,
  QuotedIdentifier,
  UnterminatedIdentifier,
  // Longest first, so that DESC does not shadow DESCRIBE nor IN shadow INSERT.
  ...keywords.sort((a, b) => b.name.length - a.name.length),
  Identifier,
  Concat, Pipe, Caret, Ampersand, ShiftLeft, ShiftRight,
  LessEqual, GreaterEqual, LessGreater, NotEqual, DoubleEqual, Less, Greater, Equal,
  Plus, Minus, Star, DoubleSlash, Slash, Percent, Tilde, DoubleColon, Comma, Dot, LParen, RParen, Semicolon,
  Name, CompareOp, AddOp, MulOp, ShiftOp, BitOrOp,
];

/** Every keyword, reserved or not. */
export const keywordTokens: ReadonlySet<TokenType> = new Set(keywords);

/**
 * The lexer. chevrotain's checks of the token definitions take longer than the rest of start-up
 * together, so they run in the tests (createLexer(true)) rather than on every start.
 */
export function createLexer(validate: boolean): Lexer {
  return new Lexer(allTokens, { positionTracking: 'onlyStart', skipValidations: !validate, ensureOptimizations: validate });
}

const lexer = createLexer(false);

/** Splits a query into tokens, dropping whitespace and comments. Throws the first lexical problem. */
export function tokenize(text: string): { tokens: IToken[] } {
  const result = lexer.tokenize(text);
  const bad = result.errors[0];
  for (const t of result.tokens) {
    const what = unterminated.get(t.tokenType);
    if (what === undefined) continue;
    if (bad !== undefined && bad.offset < t.startOffset) break;
    throw new QueryError([diagnostic('unterminated', { what }, span(t.startOffset, text.length))]);
  }
  if (bad !== undefined) {
    const char = String.fromCodePoint(text.codePointAt(bad.offset) ?? 0);
    throw new QueryError([diagnostic('lex-error', { text: char }, span(bad.offset, bad.offset + char.length))]);
  }
  return { tokens: result.tokens };
}
