// Statement rules on top of the expression rules: the complete bpfql parser.
// LIMIT and durations are checked while parsing (not afterwards) so that the reported problem is
// always the first one in the text.
import type { IToken } from 'chevrotain';
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import { cover, span, type Span } from '../diag/span.js';
import type { Duration, Expr, MetricDefinition, OrderItem, RuleDefinition, RuleRateLimit, SelectItem, SelectQuery, Severity, Statement, TableRef } from './ast.js';
import { SEVERITIES } from './ast.js';
import { ExpressionGrammar } from './expression-grammar.js';
import * as T from './lexer.js';
import { durationMs, MAX_DURATION_MS, MAX_DURATION_TEXT } from './duration.js';
import { nameOf, tokenSpan } from './token-values.js';

function endOf(...spans: readonly (Span | undefined)[]): number {
  return Math.max(...spans.map((s) => s?.end ?? 0));
}

export class BpfqlParser extends ExpressionGrammar {
  /** The text being parsed, to quote it in diagnostics. */
  private source = '';

  constructor(validate = false) {
    super(validate);
    this.performSelfAnalysis();
  }

  /** Prepares to parse `source`, whose tokens are `tokens`. */
  begin(source: string, tokens: IToken[]): void {
    this.source = source;
    this.input = tokens;
  }

  private readonly tableRef = this.RULE('tableRef', (): TableRef => {
    // A `*` part names several tables at once (`tracepoint.sched.*`), and so does a `*` written
    // right after a name (`tracepoint.syscalls.sys_enter_*`: every event whose name starts so); the
    // catalog says which.
    const parts: IToken[] = [this.CONSUME(T.Name)];
    const glued = new Set<IToken>();
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.OR([
        {
          ALT: () => {
            const name = this.CONSUME2(T.Name);
            parts.push(name);
            this.OPTION2({
              GATE: () => this.LA(1).startOffset === name.startOffset + name.image.length,
              DEF: () => {
                const star = this.CONSUME2(T.Star);
                parts.push(star);
                glued.add(star);
              },
            });
          },
        },
        { ALT: () => { parts.push(this.CONSUME(T.Star)); } },
      ]);
    });
    const call = this.OPTION(() => {
      this.CONSUME(T.LParen);
      const args: Expr[] = [];
      this.MANY_SEP({ SEP: T.Comma, DEF: () => args.push(this.SUBRULE(this.expression)) });
      const close = this.CONSUME(T.RParen);
      return { args, close };
    });
    return this.ACTION((): TableRef => {
      const name = parts.map((p, i) => (i === 0 || glued.has(p) ? '' : '.') + nameOf(p)).join('');
      const first = parts[0]!;
      const last = parts[parts.length - 1]!;
      if (call === undefined) return { kind: 'table', name, span: span(first.startOffset, tokenSpan(last).end) };
      return { kind: 'table-function', name, args: call.args, span: span(first.startOffset, tokenSpan(call.close).end) };
    });
  });

  private readonly selectItem = this.RULE('selectItem', (): SelectItem => {
    return this.OR([
      {
        ALT: () => {
          const star = this.CONSUME(T.Star);
          const exclude = this.OPTION3(() => {
            this.CONSUME(T.Exclude);
            const names: IToken[] = [];
            const close = this.OR2([
              {
                ALT: () => {
                  this.CONSUME(T.LParen);
                  this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => names.push(this.CONSUME2(T.Name)) });
                  return this.CONSUME(T.RParen);
                },
              },
              { ALT: () => this.CONSUME3(T.Name) },
            ]);
            return { names: names.length > 0 ? names : [close], close };
          });
          return this.ACTION((): SelectItem => {
            if (exclude === undefined) return { kind: 'star', span: tokenSpan(star) };
            return {
              kind: 'star',
              exclude: exclude.names.map((n) => ({ name: nameOf(n), span: tokenSpan(n) })),
              span: span(star.startOffset, tokenSpan(exclude.close).end),
            };
          });
        },
      },
      {
        ALT: () => {
          const expr = this.SUBRULE(this.expression);
          const alias = this.OPTION(() => {
            this.OPTION2(() => this.CONSUME(T.As));
            return this.CONSUME(T.Name);
          });
          return this.ACTION((): SelectItem => {
            if (alias === undefined) return { kind: 'expr', expr, span: expr.span };
            return { kind: 'expr', expr, alias: nameOf(alias), span: cover(expr.span, tokenSpan(alias)) };
          });
        },
      },
    ]);
  });

  private readonly orderItem = this.RULE('orderItem', (): OrderItem => {
    const expr = this.SUBRULE(this.expression);
    const direction = this.OPTION(() =>
      this.OR([{ ALT: () => this.CONSUME(T.Asc) }, { ALT: () => this.CONSUME(T.Desc) }]),
    );
    return this.ACTION((): OrderItem => ({
      expr,
      descending: direction?.tokenType === T.Desc,
      span: direction === undefined ? expr.span : cover(expr.span, tokenSpan(direction)),
    }));
  });

  private readonly limitClause = this.RULE('limitClause', (): { value: number; span: Span } => {
    this.CONSUME(T.Limit);
    this.ACTION(() => this.rejectNonIntegerLimit());
    const token = this.CONSUME(T.Integer);
    return this.ACTION(() => {
      const value = BigInt(token.image);
      if (value <= 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) this.fail('bad-limit', token, token);
      return { value: Number(value), span: tokenSpan(token) };
    });
  });

  /** `LIMIT -1` and `LIMIT 1.5` are limits, just wrong ones: say so rather than "expected integer". */
  private rejectNonIntegerLimit(): void {
    const next = this.LA(1);
    if (next.tokenType === T.Float) this.fail('bad-limit', next, next);
    const after = this.LA(2);
    if (next.tokenType === T.Minus && (after.tokenType === T.Integer || after.tokenType === T.Float)) {
      this.fail('bad-limit', next, after);
    }
  }

  private readonly duration = this.RULE('duration', (): Duration => {
    this.ACTION(() => this.rejectNumberWithoutUnit());
    const token = this.CONSUME(T.Duration);
    return this.ACTION((): Duration => {
      const ms = durationMs(token.image);
      if (ms === undefined) this.fail('bad-duration', token, token);
      if (ms > MAX_DURATION_MS) throw new QueryError([diagnostic('duration-too-long', { text: token.image, max: MAX_DURATION_TEXT }, tokenSpan(token))]);
      return { ms, text: token.image, span: tokenSpan(token) };
    });
  });

  /** `FOR 10` and `FOR 10 s` are durations missing a glued unit: report them as bad durations. */
  private rejectNumberWithoutUnit(): void {
    const next = this.LA(1);
    if (next.tokenType !== T.Integer && next.tokenType !== T.Float) return;
    const after = this.LA(2);
    this.fail('bad-duration', next, after.tokenType === T.Identifier ? after : next);
  }

  private fail(code: 'bad-limit' | 'bad-duration', first: IToken, last: IToken): never {
    const s = span(first.startOffset, tokenSpan(last).end);
    throw new QueryError([diagnostic(code, { text: this.source.slice(s.start, s.end) }, s)]);
  }

  private readonly select = this.RULE('select', (): SelectQuery => {
    const start = this.CONSUME(T.Select);
    const items: SelectItem[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => items.push(this.SUBRULE(this.selectItem)) });
    this.CONSUME(T.From);
    const from = this.SUBRULE(this.tableRef);
    const where = this.OPTION(() => {
      this.CONSUME(T.Where);
      return this.SUBRULE(this.expression);
    });
    const groupBy: Expr[] = [];
    let groupByAll: Span | undefined;
    this.OPTION2(() => {
      this.CONSUME(T.Group);
      this.CONSUME(T.By);
      this.OR2([
        {
          ALT: () => {
            const all = this.CONSUME(T.All);
            groupByAll = this.ACTION(() => tokenSpan(all));
          },
        },
        { ALT: () => this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => groupBy.push(this.SUBRULE2(this.expression)) }) },
      ]);
    });
    const having = this.OPTION3(() => {
      this.CONSUME(T.Having);
      return this.SUBRULE3(this.expression);
    });
    const orderBy: OrderItem[] = [];
    this.OPTION4(() => {
      this.CONSUME(T.Order);
      this.CONSUME2(T.By);
      this.AT_LEAST_ONE_SEP3({ SEP: T.Comma, DEF: () => orderBy.push(this.SUBRULE(this.orderItem)) });
    });
    const limit = this.OPTION5(() => this.SUBRULE(this.limitClause));
    let every: Duration | undefined;
    let forDuration: Duration | undefined;
    this.OPTION6(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Every);
            every = this.SUBRULE(this.duration);
            this.OPTION7(() => {
              this.CONSUME(T.For);
              forDuration = this.SUBRULE2(this.duration);
            });
          },
        },
        {
          ALT: () => {
            this.CONSUME2(T.For);
            forDuration = this.SUBRULE3(this.duration);
            this.OPTION8(() => {
              this.CONSUME2(T.Every);
              every = this.SUBRULE4(this.duration);
            });
          },
        },
      ]),
    );
    return this.ACTION((): SelectQuery => {
      const last = items[items.length - 1]!;
      const end = endOf(last.span, from.span, where?.span, groupBy[groupBy.length - 1]?.span, groupByAll, having?.span,
        orderBy[orderBy.length - 1]?.span, limit?.span, every?.span, forDuration?.span);
      return {
        kind: 'select',
        items,
        from,
        ...(where === undefined ? {} : { where }),
        groupBy,
        ...(groupByAll === undefined ? {} : { groupByAll }),
        ...(having === undefined ? {} : { having }),
        orderBy,
        ...(limit === undefined ? {} : { limit }),
        ...(every === undefined ? {} : { every }),
        ...(forDuration === undefined ? {} : { for: forDuration }),
        span: span(start.startOffset, end),
      };
    });
  });

  private readonly statementBody = this.RULE('statementBody', (): Statement => {
    return this.OR([
      {
        ALT: () => {
          const query = this.SUBRULE(this.select);
          return this.ACTION((): Statement => ({ kind: 'query', query, span: query.span }));
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(T.Explain);
          const query = this.SUBRULE2(this.select);
          return this.ACTION((): Statement => ({
            kind: 'explain', query, span: span(start.startOffset, query.span.end),
          }));
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(T.Create);
          this.CONSUME(T.Table);
          const table = this.CONSUME(T.Name);
          this.CONSUME(T.As);
          const query = this.SUBRULE3(this.select);
          return this.ACTION((): Statement => ({
            kind: 'create-table-as', table: nameOf(table), query, span: span(start.startOffset, query.span.end),
          }));
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(T.Insert);
          this.CONSUME(T.Into);
          const table = this.CONSUME2(T.Name);
          const query = this.SUBRULE4(this.select);
          return this.ACTION((): Statement => ({
            kind: 'insert-into', table: nameOf(table), query, span: span(start.startOffset, query.span.end),
          }));
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(T.Show);
          const end = this.CONSUME(T.Tables);
          return this.ACTION((): Statement => ({
            kind: 'show-tables', span: span(start.startOffset, tokenSpan(end).end),
          }));
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(T.Describe);
          return this.OR2([
            {
              // `struct` is no keyword (a column may be called so): before a second name, it is read as one.
              GATE: () => this.LA(1).image.toLowerCase() === 'struct',
              ALT: () => {
                this.CONSUME3(T.Name);
                const name = this.CONSUME4(T.Name);
                return this.ACTION((): Statement => ({
                  kind: 'describe-struct', struct: { name: nameOf(name), span: tokenSpan(name) }, span: span(start.startOffset, tokenSpan(name).end),
                }));
              },
            },
            {
              ALT: () => {
                const table = this.SUBRULE(this.tableRef);
                return this.ACTION((): Statement => ({
                  kind: 'describe', table, span: span(start.startOffset, table.span.end),
                }));
              },
            },
          ]);
        },
      },
    ]);
  });

  /** One statement with an optional trailing `;` (outside its span). */
  readonly statement = this.RULE('statement', (): Statement => {
    const body = this.SUBRULE(this.statementBody);
    this.OPTION(() => this.CONSUME(T.Semicolon));
    return body;
  });

  /**
   * `CREATE RULE name [SEVERITY level] [LIMIT n [PER key, …] EVERY d] AS <query>` with an
   * optional trailing `;`: a statement of a rules file only. Each option at most once, in any order.
   */
  readonly ruleDefinition = this.RULE('ruleDefinition', (): RuleDefinition => {
    const start = this.CONSUME(T.Create);
    this.CONSUME(T.Rule);
    const name = this.CONSUME(T.Name);
    let severity: RuleDefinition['severity'];
    let rateLimit: RuleRateLimit | undefined;
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            const keyword = this.CONSUME(T.Severity);
            const level = this.CONSUME2(T.Name);
            this.ACTION(() => {
              if (severity !== undefined) this.duplicateOption('SEVERITY', keyword, level);
              severity = { level: this.severityLevel(level), span: tokenSpan(level) };
            });
          },
        },
        {
          ALT: () => {
            const limitKeyword = this.LA(1);
            const limit = this.SUBRULE(this.limitClause);
            const per: { name: string; span: Span }[] = [];
            this.OPTION(() => {
              this.CONSUME(T.Per);
              this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => {
                const key = this.CONSUME3(T.Name);
                this.ACTION(() => per.push({ name: nameOf(key), span: tokenSpan(key) }));
              } });
            });
            this.CONSUME(T.Every);
            const every = this.SUBRULE(this.duration);
            this.ACTION(() => {
              const s = span(limitKeyword.startOffset, every.span.end);
              if (rateLimit !== undefined) throw new QueryError([diagnostic('duplicate-rule-option', { option: 'LIMIT' }, s)]);
              rateLimit = { count: limit.value, per, every, span: s };
            });
          },
        },
      ]);
    });
    this.CONSUME(T.As);
    const query = this.SUBRULE(this.select);
    this.OPTION2(() => this.CONSUME(T.Semicolon));
    return this.ACTION((): RuleDefinition => ({
      name: nameOf(name),
      nameSpan: tokenSpan(name),
      ...(severity !== undefined ? { severity } : {}),
      ...(rateLimit !== undefined ? { rateLimit } : {}),
      query,
      span: span(start.startOffset, query.span.end),
    }));
  });

  private severityLevel(token: IToken): Severity {
    const level = SEVERITIES.find((l) => l === nameOf(token).toLowerCase());
    if (level === undefined) throw new QueryError([diagnostic('bad-severity', { text: token.image, allowed: SEVERITIES }, tokenSpan(token))]);
    return level;
  }

  private duplicateOption(option: string, first: IToken, last: IToken): never {
    throw new QueryError([diagnostic('duplicate-rule-option', { option }, span(first.startOffset, tokenSpan(last).end))]);
  }

  /** `CREATE METRIC name AS <query>` with an optional trailing `;`: a statement of a `bpfql serve` config file only. */
  readonly metricDefinition = this.RULE('metricDefinition', (): MetricDefinition => {
    const start = this.CONSUME(T.Create);
    this.CONSUME(T.Metric);
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.As);
    const query = this.SUBRULE(this.select);
    this.OPTION(() => this.CONSUME(T.Semicolon));
    return this.ACTION((): MetricDefinition => ({
      name: nameOf(name), nameSpan: tokenSpan(name), query, span: span(start.startOffset, query.span.end),
    }));
  });

  /** An expression alone, for tests and the REPL. */
  readonly standaloneExpression = this.RULE('standaloneExpression', (): Expr => this.SUBRULE(this.expression));
}
