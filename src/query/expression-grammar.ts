// The expression rules, building AST nodes directly (chevrotain embedded actions). One rule per
// precedence level, lowest first:
//   OR; AND; NOT; comparison (= != < <= > >= [NOT] IN/BETWEEN/LIKE/ILIKE, IS [NOT] NULL);
//   | ^ ; & ; << >> ; + - || ; * / // % ; unary - ~ ; postfix ::type ; primary.
// `^` is bitwise XOR at the level of `|`, as in C (DuckDB spells it xor(), see print.ts).
// Comparisons do not chain: `a < b < c` is an error, as in PostgreSQL.
// Everything that computes on parsed values sits inside ACTION, which chevrotain skips while it
// records the grammar.
import { EmbeddedActionsParser, EOF, type IToken, type ParserMethod, type TokenType } from './chevrotain.js';
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import { cover, span, type Span } from '../diag/span.js';
import type { Expr } from './ast.js';
import type { BinaryOp } from './operators.js';
import { operatorCalled } from './operators.js';
import * as T from './lexer.js';
import { nameOf, stringValue, tokenSpan } from './token-values.js';

const binaryOps: ReadonlyMap<TokenType, BinaryOp> = new Map<TokenType, BinaryOp>([
  [T.Or, 'OR'], [T.And, 'AND'],
  [T.Equal, '='], [T.DoubleEqual, '='], [T.NotEqual, '!='], [T.LessGreater, '!='],
  [T.Less, '<'], [T.LessEqual, '<='], [T.Greater, '>'], [T.GreaterEqual, '>='],
  [T.Pipe, '|'], [T.Caret, '^'], [T.Ampersand, '&'], [T.ShiftLeft, '<<'], [T.ShiftRight, '>>'],
  [T.Plus, '+'], [T.Minus, '-'], [T.Concat, '||'], [T.Star, '*'], [T.Slash, '/'], [T.DoubleSlash, '//'], [T.Percent, '%'],
]);

function binary(opToken: IToken, left: Expr, right: Expr): Expr {
  const op = binaryOps.get(opToken.tokenType);
  if (op === undefined) throw new Error(`no binary operator for token ${opToken.tokenType.name}`);
  return { kind: 'binary', op, left, right, span: cover(left.span, right.span) };
}

interface CallTail {
  readonly args: readonly Expr[];
  readonly distinct: boolean;
  readonly star: boolean;
  readonly close: IToken;
}

/** `xor(a, b)` is how DuckDB spells `a ^ b`; both parse to the same node, so print.ts round-trips. */
function call(nameToken: IToken, tail: CallTail): Expr {
  const name = nameOf(nameToken);
  const s = span(nameToken.startOffset, tokenSpan(tail.close).end);
  const [left, right] = tail.args;
  const op = operatorCalled(name);
  if (op !== undefined && tail.args.length === 2 && !tail.distinct && left !== undefined && right !== undefined) {
    return { kind: 'binary', op, left, right, span: s };
  }
  return { kind: 'call', name, args: tail.args, distinct: tail.distinct, star: tail.star, span: s };
}

/**
 * How deep expressions may nest (parentheses, calls, CASE, prefix operators). The rules recurse
 * about a dozen calls per level of parentheses, so this stays far below what the stack holds,
 * wherever the parser is called from; deeper input is refused with a diagnostic.
 */
export const MAX_NESTING = 64;

export abstract class ExpressionGrammar extends EmbeddedActionsParser {
  private nesting = 0;

  /** @param validate run chevrotain's grammar checks (the tests do; start-up skips them, they are slow). */
  constructor(validate: boolean) {
    super(T.allTokens, { maxLookahead: 2, skipValidations: !validate });
  }

  /** Runs `parse` one nesting level deeper; `opening` is the token that opened the level. */
  private nested<T>(opening: () => IToken, parse: () => T): T {
    this.ACTION(() => {
      if (this.nesting < MAX_NESTING) {
        this.nesting++;
        return;
      }
      const at = opening();
      // At the end of the input there is no token to point at: point just after the last one.
      const s = at.tokenType === EOF ? span(tokenSpan(this.LA(0)).end, tokenSpan(this.LA(0)).end) : tokenSpan(at);
      throw new QueryError([diagnostic('unsupported', { feature: `nesting expressions more than ${MAX_NESTING} deep` }, s)]);
    });
    // A failed parse unwinds through here too, so the count is right for the next parse.
    try {
      return parse();
    } finally {
      this.ACTION(() => this.nesting--);
    }
  }

  /** `name` or `name(n, m)`, lower-cased, e.g. `decimal(10,2)`. */
  readonly typeName = this.RULE('typeName', (): { text: string; span: Span } => {
    const name = this.CONSUME(T.Name);
    const params: IToken[] = [];
    let close: IToken | undefined;
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => params.push(this.CONSUME(T.Integer)) });
      close = this.CONSUME(T.RParen);
    });
    return this.ACTION(() => {
      const suffix = params.length > 0 ? `(${params.map((p) => p.image).join(',')})` : '';
      return { text: nameOf(name) + suffix, span: span(name.startOffset, tokenSpan(close ?? name).end) };
    });
  });

  private readonly callTail = this.RULE('callTail', (): CallTail => {
    this.CONSUME(T.LParen);
    const args: Expr[] = [];
    let distinct = false;
    let star = false;
    this.OR([
      { ALT: () => { this.CONSUME(T.Star); star = true; } },
      {
        ALT: () => {
          this.CONSUME(T.Distinct);
          distinct = true;
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => args.push(this.SUBRULE(this.expression)) });
        },
      },
      { ALT: () => this.MANY_SEP({ SEP: T.Comma, DEF: () => args.push(this.SUBRULE2(this.expression)) }) },
    ]);
    const close = this.CONSUME(T.RParen);
    return { args, distinct, star, close };
  });

  /** A column `c`, a qualified column `t.c`, a member path `a.b.c…`, or a call `f(...)`. */
  private readonly nameExpr = this.RULE('nameExpr', (): Expr => {
    const first = this.CONSUME(T.Name);
    return this.OR([
      {
        ALT: () => {
          const tail = this.SUBRULE(this.callTail);
          return this.ACTION(() => call(first, tail));
        },
      },
      {
        ALT: () => {
          const rest: IToken[] = [];
          this.AT_LEAST_ONE(() => {
            this.CONSUME(T.Dot);
            rest.push(this.CONSUME2(T.Name));
          });
          return this.ACTION((): Expr => {
            const parts = [first, ...rest].map((t) => ({ name: nameOf(t), span: tokenSpan(t) }));
            return {
              kind: 'column',
              name: parts[1]!.name,
              qualifier: parts[0]!.name,
              parts,
              span: span(first.startOffset, parts[parts.length - 1]!.span.end),
            };
          });
        },
      },
      { ALT: () => this.ACTION((): Expr => ({ kind: 'column', name: nameOf(first), span: tokenSpan(first) })) },
    ]);
  });

  private readonly literal = this.RULE('literal', (): Expr => {
    return this.OR([
      { ALT: () => this.lit(this.CONSUME(T.Integer), (t) => ({ type: 'int', value: BigInt(t.image) })) },
      { ALT: () => this.lit(this.CONSUME(T.Float), (t) => ({ type: 'float', value: Number(t.image) })) },
      { ALT: () => this.lit(this.CONSUME(T.StringLiteral), (t) => ({ type: 'string', value: stringValue(t.image) })) },
      { ALT: () => this.lit(this.CONSUME(T.True), () => ({ type: 'bool', value: true })) },
      { ALT: () => this.lit(this.CONSUME(T.False), () => ({ type: 'bool', value: false })) },
      { ALT: () => this.lit(this.CONSUME(T.Null), () => ({ type: 'null' })) },
    ]);
  });

  private lit(t: IToken, value: (t: IToken) => Extract<Expr, { kind: 'literal' }>['value']): Expr {
    return this.ACTION((): Expr => ({ kind: 'literal', value: value(t), span: tokenSpan(t) }));
  }

  private readonly castExpr = this.RULE('castExpr', (): Expr => {
    const start = this.CONSUME(T.Cast);
    this.CONSUME(T.LParen);
    const operand = this.SUBRULE(this.expression);
    this.CONSUME(T.As);
    const type = this.SUBRULE(this.typeName);
    const close = this.CONSUME(T.RParen);
    return this.ACTION((): Expr => ({
      kind: 'cast', operand, type: type.text, span: span(start.startOffset, tokenSpan(close).end),
    }));
  });

  private readonly caseExpr = this.RULE('caseExpr', (): Expr => {
    const start = this.CONSUME(T.Case);
    const operand = this.OPTION(() => this.SUBRULE(this.expression));
    const whens: { when: Expr; then: Expr }[] = [];
    this.AT_LEAST_ONE(() => {
      this.CONSUME(T.When);
      const when = this.SUBRULE2(this.expression);
      this.CONSUME(T.Then);
      const then = this.SUBRULE3(this.expression);
      whens.push({ when, then });
    });
    const otherwise = this.OPTION2(() => {
      this.CONSUME(T.Else);
      return this.SUBRULE4(this.expression);
    });
    const end = this.CONSUME(T.End);
    return this.ACTION((): Expr => ({
      kind: 'case',
      ...(operand === undefined ? {} : { operand }),
      whens,
      ...(otherwise === undefined ? {} : { otherwise }),
      span: span(start.startOffset, tokenSpan(end).end),
    }));
  });

  /** A parenthesised expression is its inner node, with the span widened to the parentheses. */
  private readonly parenExpr = this.RULE('parenExpr', (): Expr => {
    const open = this.CONSUME(T.LParen);
    const inner = this.SUBRULE(this.expression);
    const close = this.CONSUME(T.RParen);
    return this.ACTION((): Expr => ({ ...inner, span: span(open.startOffset, tokenSpan(close).end) }));
  });

  private readonly primary = this.RULE('primary', (): Expr => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.literal) },
      { ALT: () => this.SUBRULE(this.castExpr) },
      { ALT: () => this.SUBRULE(this.caseExpr) },
      { ALT: () => this.SUBRULE(this.parenExpr) },
      { ALT: () => this.SUBRULE(this.nameExpr) },
    ]);
  });

  private readonly postfix = this.RULE('postfix', (): Expr => {
    let operand = this.SUBRULE(this.primary);
    this.MANY(() => {
      this.CONSUME(T.DoubleColon);
      const type = this.SUBRULE(this.typeName);
      operand = this.ACTION((): Expr => ({ kind: 'cast', operand, type: type.text, span: cover(operand.span, type.span) }));
    });
    return operand;
  });

  private readonly unary: ParserMethod<[], Expr> = this.RULE('unary', (): Expr => {
    return this.OR([
      {
        ALT: () => {
          const op = this.OR2([{ ALT: () => this.CONSUME(T.Minus) }, { ALT: () => this.CONSUME(T.Tilde) }]);
          const operand = this.nested(() => op, () => this.SUBRULE(this.unary));
          return this.ACTION((): Expr => ({
            kind: 'unary',
            op: op.tokenType === T.Minus ? '-' : '~',
            operand,
            span: span(op.startOffset, operand.span.end),
          }));
        },
      },
      { ALT: () => this.SUBRULE(this.postfix) },
    ]);
  });

  private leftAssoc(name: string, operand: ParserMethod<[], Expr>, op: TokenType): ParserMethod<[], Expr> {
    return this.RULE(name, (): Expr => {
      let left = this.SUBRULE(operand);
      this.MANY(() => {
        const opToken = this.CONSUME(op);
        const right = this.SUBRULE2(operand);
        left = this.ACTION(() => binary(opToken, left, right));
      });
      return left;
    });
  }

  private readonly multiplicative = this.leftAssoc('multiplicative', this.unary, T.MulOp);
  private readonly additive = this.leftAssoc('additive', this.multiplicative, T.AddOp);
  private readonly shift = this.leftAssoc('shift', this.additive, T.ShiftOp);
  private readonly bitAnd = this.leftAssoc('bitAnd', this.shift, T.Ampersand);
  private readonly bitOr = this.leftAssoc('bitOr', this.bitAnd, T.BitOrOp);

  /**
   * What may follow a NOT after the left operand: IN, BETWEEN, LIKE or ILIKE. Returns a builder,
   * since the operand and the NOT were parsed before this rule ran.
   */
  private readonly negatable = this.RULE('negatable', (): ((operand: Expr, negated: boolean) => Expr) => {
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.In);
          this.CONSUME(T.LParen);
          const list: Expr[] = [];
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => list.push(this.SUBRULE(this.expression)) });
          const close = this.CONSUME(T.RParen);
          return (operand: Expr, negated: boolean): Expr => ({
            kind: 'in', operand, list, negated, span: span(operand.span.start, tokenSpan(close).end),
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Between);
          const low = this.SUBRULE(this.bitOr);
          this.CONSUME(T.And);
          const high = this.SUBRULE2(this.bitOr);
          return (operand: Expr, negated: boolean): Expr => ({
            kind: 'between', operand, low, high, negated, span: cover(operand.span, high.span),
          });
        },
      },
      {
        ALT: () => {
          const op = this.OR2([{ ALT: () => this.CONSUME(T.Like) }, { ALT: () => this.CONSUME(T.Ilike) }]);
          const pattern = this.SUBRULE3(this.bitOr);
          return (operand: Expr, negated: boolean): Expr => ({
            kind: 'like',
            operand,
            pattern,
            negated,
            caseInsensitive: op.tokenType === T.Ilike,
            span: cover(operand.span, pattern.span),
          });
        },
      },
    ]);
  });

  private readonly comparison = this.RULE('comparison', (): Expr => {
    const left = this.SUBRULE(this.bitOr);
    const result = this.OPTION(() =>
      this.OR([
        {
          ALT: () => {
            const op = this.CONSUME(T.CompareOp);
            const right = this.SUBRULE2(this.bitOr);
            return this.ACTION(() => binary(op, left, right));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Is);
            const not = this.OPTION2(() => this.CONSUME(T.Not));
            const end = this.CONSUME(T.Null);
            return this.ACTION((): Expr => ({
              kind: 'is-null', operand: left, negated: not !== undefined, span: span(left.span.start, tokenSpan(end).end),
            }));
          },
        },
        {
          ALT: () => {
            const not = this.OPTION3(() => this.CONSUME2(T.Not));
            const build = this.SUBRULE(this.negatable);
            return this.ACTION(() => build(left, not !== undefined));
          },
        },
      ]),
    );
    return result ?? left;
  });

  private readonly notExpr: ParserMethod<[], Expr> = this.RULE('notExpr', (): Expr => {
    return this.OR([
      {
        ALT: () => {
          const not = this.CONSUME(T.Not);
          const operand = this.nested(() => not, () => this.SUBRULE(this.notExpr));
          return this.ACTION((): Expr => ({
            kind: 'unary', op: 'NOT', operand, span: span(not.startOffset, operand.span.end),
          }));
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]);
  });

  private readonly andExpr = this.leftAssoc('andExpr', this.notExpr, T.And);
  private readonly orExpr = this.leftAssoc('orExpr', this.andExpr, T.Or);

  readonly expression: ParserMethod<[], Expr> = this.RULE('expression', (): Expr => {
    const first = this.LA(1);
    return this.nested(() => first, () => this.SUBRULE(this.orExpr));
  });
}
