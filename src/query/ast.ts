// The AST of bpfql's dialect: readonly, plain, serialisable nodes tagged by `kind`.
// Every node carries the source span it came from, so later stages can point at it.
import type { Span } from '../diag/span.js';
import type { BinaryOp } from './operators.js';

export type UnaryOp = '-' | '~' | 'NOT';

export type Literal =
  | { readonly type: 'int'; readonly value: bigint }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'null' };

/** One name of a dotted column reference, where it was written. */
export interface NamePart { readonly name: string; readonly span: Span }

export type Expr =
  /**
   * `c`, `t.c`, or a path `a.b.c…`: `parts` has every name of a dotted reference (the qualifier
   * and name first, then the members a kernel struct path goes on through, see
   * planner/typed-fields.ts); a plain name has none.
   */
  | { readonly kind: 'column'; readonly name: string; readonly qualifier?: string; readonly parts?: readonly NamePart[]; readonly span: Span }
  | { readonly kind: 'literal'; readonly value: Literal; readonly span: Span }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly operand: Expr; readonly span: Span }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly kind: 'in'; readonly operand: Expr; readonly list: readonly Expr[]; readonly negated: boolean; readonly span: Span }
  | { readonly kind: 'between'; readonly operand: Expr; readonly low: Expr; readonly high: Expr; readonly negated: boolean; readonly span: Span }
  | { readonly kind: 'is-null'; readonly operand: Expr; readonly negated: boolean; readonly span: Span }
  | { readonly kind: 'like'; readonly operand: Expr; readonly pattern: Expr; readonly negated: boolean; readonly caseInsensitive: boolean; readonly span: Span }
  /** Function or aggregate call. `count(*)` has star = true and no args. */
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly distinct: boolean; readonly star: boolean; readonly span: Span }
  | { readonly kind: 'cast'; readonly operand: Expr; readonly type: string; readonly span: Span }
  | { readonly kind: 'case'; readonly operand?: Expr; readonly whens: readonly { readonly when: Expr; readonly then: Expr }[]; readonly otherwise?: Expr; readonly span: Span };

export type ExprKind = Expr['kind'];

export type SelectItem =
  /** `*`, or DuckDB's `* EXCLUDE (a, b)`: every column but those named. */
  | { readonly kind: 'star'; readonly exclude?: readonly { readonly name: string; readonly span: Span }[]; readonly span: Span }
  | { readonly kind: 'expr'; readonly expr: Expr; readonly alias?: string; readonly span: Span };

/** `exec`, `tracepoint.syscalls.sys_enter_openat`, or a table function such as `uprobe('/bin/x', 'main')`. */
export type TableRef =
  | { readonly kind: 'table'; readonly name: string; readonly span: Span }
  | { readonly kind: 'table-function'; readonly name: string; readonly args: readonly Expr[]; readonly span: Span };

export interface Duration { readonly ms: number; readonly text: string; readonly span: Span }

export interface OrderItem { readonly expr: Expr; readonly descending: boolean; readonly span: Span }

export interface SelectQuery {
  readonly kind: 'select';
  readonly items: readonly SelectItem[];
  readonly from: TableRef;
  readonly where?: Expr;
  readonly groupBy: readonly Expr[];
  /** DuckDB's `GROUP BY ALL`: every SELECT item without an aggregate (groupBy is then empty). */
  readonly groupByAll?: Span;
  readonly having?: Expr;
  readonly orderBy: readonly OrderItem[];
  readonly limit?: { readonly value: number; readonly span: Span };
  readonly every?: Duration;
  readonly for?: Duration;
  readonly span: Span;
}

export type Statement =
  | { readonly kind: 'query'; readonly query: SelectQuery; readonly span: Span }
  | { readonly kind: 'explain'; readonly query: SelectQuery; readonly span: Span }
  | { readonly kind: 'create-table-as'; readonly table: string; readonly query: SelectQuery; readonly span: Span }
  | { readonly kind: 'insert-into'; readonly table: string; readonly query: SelectQuery; readonly span: Span }
  | { readonly kind: 'show-tables'; readonly span: Span }
  | { readonly kind: 'describe'; readonly table: TableRef; readonly span: Span }
  /** `DESCRIBE STRUCT task_struct`: a kernel struct's members, from BTF. */
  | { readonly kind: 'describe-struct'; readonly struct: NamePart; readonly span: Span };

export type StatementKind = Statement['kind'];

/** How serious a rule's alerts are, least first (syslog maps them to its own levels). */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** `LIMIT n [PER key, …] EVERY d` before a rule's AS: at most n alerts per key in each window of d. */
export interface RuleRateLimit {
  readonly count: number;
  /** The columns of the rule's rows whose values make the key; none: one key for the whole rule. */
  readonly per: readonly { readonly name: string; readonly span: Span }[];
  readonly every: Duration;
  readonly span: Span;
}

/**
 * `CREATE RULE name [SEVERITY level] [LIMIT n [PER key, …] EVERY d] AS <query>`: one named query
 * of a rules file (`bpfql watch`). The options stand before AS so that they cannot be read as the
 * query's own LIMIT or EVERY.
 */
export interface RuleDefinition {
  readonly name: string;
  readonly nameSpan: Span;
  readonly severity?: { readonly level: Severity; readonly span: Span };
  readonly rateLimit?: RuleRateLimit;
  readonly query: SelectQuery;
  readonly span: Span;
}

/** `CREATE METRIC name AS <query>`: one standing query of a `bpfql serve` config file. */
export type MetricDefinition = RuleDefinition;
