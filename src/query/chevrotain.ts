// chevrotain's runtime, loaded from the single-file bundle the package ships. The package's
// entry point is hundreds of small ES modules (lodash-es among them) that take ~20× longer to
// load, and parsing is on the path from start to attached. Types still come from the package.
import type * as Chevrotain from 'chevrotain';

// The entry point is lib/src/api.js; the bundle sits at lib/chevrotain.min.mjs.
const bundle = new URL('../chevrotain.min.mjs', import.meta.resolve('chevrotain'));
const runtime = (await import(bundle.href)) as typeof Chevrotain;

export const { createToken, EmbeddedActionsParser, EOF, Lexer, tokenMatcher } = runtime;
export type { IRecognitionException, IToken, ParserMethod, TokenType } from 'chevrotain';
export type Lexer = Chevrotain.Lexer;
