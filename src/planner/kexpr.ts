// Bound expressions the kernel can evaluate: integers (64-bit arithmetic), booleans from
// comparisons, and string comparisons against constants. Produced by pushdown, consumed by
// bpf-templates. Plain data.
import type { Column } from '../catalog/column.js';
import { assertNever } from '../diag/assert-never.js';
import type { ComparisonOp, IntegerArithmeticOp } from '../query/operators.js';

/** Integer arithmetic is 64-bit; `signed` decides comparisons, division and right shifts. */
export interface IntKind { readonly signed: boolean }

/**
 * The operators of query/operators.ts that give integers of integers. `//` and `%` truncate
 * toward zero, as DuckDB's on integers; their divisor is a constant, never zero.
 */
export type ArithOp = IntegerArithmeticOp;
export type CompareOp = ComparisonOp;

export type KExpr =
  | { readonly kind: 'column'; readonly column: Column; readonly signed: boolean }
  | { readonly kind: 'const'; readonly value: bigint; readonly signed: boolean }
  | { readonly kind: 'neg' | 'bitnot'; readonly operand: KExpr; readonly signed: boolean }
  | { readonly kind: 'arith'; readonly op: ArithOp; readonly left: KExpr; readonly right: KExpr; readonly signed: boolean }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: KExpr; readonly right: KExpr; readonly signed: boolean }
  | { readonly kind: 'and' | 'or'; readonly left: KExpr; readonly right: KExpr; readonly signed: false }
  | { readonly kind: 'not'; readonly operand: KExpr; readonly signed: false }
  /**
   * `column = 'x'`, `column != 'x'`, `column LIKE 'x%'` (prefix) and its negation. With `raw`, the
   * column's buffer holds bytes whose text `value` is (an address): equality compares the buffer
   * with `raw`, the kernel bytes of that text, whole.
   */
  | { readonly kind: 'string-match'; readonly column: Column; readonly match: 'equals' | 'prefix'; readonly value: string; readonly negated: boolean; readonly signed: false; readonly raw?: readonly number[] };

export type KExprKind = KExpr['kind'];

/** Every column the expression reads, in order of first use. */
export function columnsOf(e: KExpr, out: Column[] = []): Column[] {
  const add = (c: Column): void => {
    if (!out.some((x) => x.name === c.name)) out.push(c);
  };
  switch (e.kind) {
    case 'column': add(e.column); break;
    case 'string-match': add(e.column); break;
    case 'const': break;
    case 'neg': case 'bitnot': case 'not': columnsOf(e.operand, out); break;
    case 'arith': case 'compare': case 'and': case 'or': columnsOf(e.left, out); columnsOf(e.right, out); break;
  }
  return out;
}

/**
 * `e` with each column replaced by `f`'s answer, or undefined when `f` has none for some column
 * (the expression cannot be evaluated where the columns come from elsewhere).
 */
export function mapColumns(e: KExpr, f: (c: Column) => Column): KExpr;
export function mapColumns(e: KExpr, f: (c: Column) => Column | undefined): KExpr | undefined;
export function mapColumns(e: KExpr, f: (c: Column) => Column | undefined): KExpr | undefined {
  switch (e.kind) {
    case 'const': return e;
    case 'column': case 'string-match': {
      const column = f(e.column);
      return column ? { ...e, column } : undefined;
    }
    case 'neg': case 'bitnot': case 'not': {
      const operand = mapColumns(e.operand, f);
      return operand ? { ...e, operand } : undefined;
    }
    case 'arith': case 'compare': case 'and': case 'or': {
      const left = mapColumns(e.left, f);
      const right = mapColumns(e.right, f);
      return left && right ? { ...e, left, right } : undefined;
    }
    default:
      return assertNever(e);
  }
}

/** True for expressions whose value is 0 or 1. */
export function isBoolean(e: KExpr): boolean {
  return e.kind === 'compare' || e.kind === 'and' || e.kind === 'or' || e.kind === 'not' || e.kind === 'string-match';
}
