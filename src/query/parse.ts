// Entry points of the query front end: text in, AST out, or a QueryError with the first problem.
import { QueryError } from '../diag/diagnostic.js';
import type { Expr, MetricDefinition, RuleDefinition, Statement } from './ast.js';
import { checkExpressionDepth, checkStatementDepth } from './depth.js';
import { tokenize } from './lexer.js';
import { BpfqlParser } from './statement-grammar.js';
import { syntaxDiagnostic } from './syntax-error.js';

// Building the parser analyses the grammar, so it is done once; parsing is synchronous, so the
// one instance is never shared by two parses at a time.
const parser = new BpfqlParser();

function run<R>(text: string, startRule: 'statement' | 'standaloneExpression' | 'ruleDefinition' | 'metricDefinition', invoke: () => R): R {
  const { tokens } = tokenize(text);
  parser.begin(text, tokens);
  const result = invoke();
  const error = parser.errors[0];
  if (error !== undefined) throw new QueryError([syntaxDiagnostic(parser, startRule, tokens, error)]);
  return result;
}

/** Parses one statement, optionally ending in `;`. */
export function parseStatement(text: string): Statement {
  const statement = run(text, 'statement', () => parser.statement());
  checkStatementDepth(statement);
  return statement;
}

/** Parses one rule of a rules file: `CREATE RULE name AS <query>`, optionally ending in `;`. */
export function parseRule(text: string): RuleDefinition {
  const rule = run(text, 'ruleDefinition', () => parser.ruleDefinition());
  checkStatementDepth({ kind: 'query', query: rule.query, span: rule.span });
  return rule;
}

/** Parses one metric of a `bpfql serve` config file: `CREATE METRIC name AS <query>`, optionally ending in `;`. */
export function parseMetric(text: string): MetricDefinition {
  const metric = run(text, 'metricDefinition', () => parser.metricDefinition());
  checkStatementDepth({ kind: 'query', query: metric.query, span: metric.span });
  return metric;
}

/** Parses one expression, e.g. `pid = 1 AND comm LIKE 'ba%'`. */
export function parseExpression(text: string): Expr {
  const expr = run(text, 'standaloneExpression', () => parser.standaloneExpression());
  checkExpressionDepth(expr);
  return expr;
}
