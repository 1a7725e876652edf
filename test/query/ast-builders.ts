// Span-free AST builders for expected values, and a span stripper for parsed ones, so tests
// about structure are not also tests about offsets (those have their own assertions).
import type { Expr } from '../../src/query/ast.js';
import type { BinaryOp } from '../../src/query/operators.js';

type Unspanned<T> = T extends readonly (infer E)[]
  ? Unspanned<E>[]
  : T extends bigint | string | number | boolean
    ? T
    : T extends object
      ? { [K in keyof T as K extends 'span' ? never : K]: Unspanned<T[K]> }
      : T;

export type Bare = Unspanned<Expr>;

/** A deep copy of `value` without any `span` property. */
export function stripSpans<T>(value: T): Unspanned<T> {
  if (Array.isArray(value)) return value.map((v: unknown) => stripSpans(v)) as Unspanned<T>;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'span') out[k] = stripSpans(v);
    return out as Unspanned<T>;
  }
  return value as Unspanned<T>;
}

/** A column; qualified, its dotted parts are there too (as a member path's would be). */
export const col = (name: string, qualifier?: string): Bare =>
  qualifier === undefined ? { kind: 'column', name } : { kind: 'column', name, qualifier, parts: [{ name: qualifier }, { name }] };
export const int = (v: number | bigint): Bare => ({ kind: 'literal', value: { type: 'int', value: BigInt(v) } });
export const float = (v: number): Bare => ({ kind: 'literal', value: { type: 'float', value: v } });
export const str = (v: string): Bare => ({ kind: 'literal', value: { type: 'string', value: v } });
export const bool = (v: boolean): Bare => ({ kind: 'literal', value: { type: 'bool', value: v } });
export const nul: Bare = { kind: 'literal', value: { type: 'null' } };
export const bin = (op: BinaryOp, left: Bare, right: Bare): Bare => ({ kind: 'binary', op, left, right });
export const not = (operand: Bare): Bare => ({ kind: 'unary', op: 'NOT', operand });
export const neg = (operand: Bare): Bare => ({ kind: 'unary', op: '-', operand });
export const call = (name: string, args: Bare[], opts: { distinct?: boolean; star?: boolean } = {}): Bare => ({
  kind: 'call', name, args, distinct: opts.distinct ?? false, star: opts.star ?? false,
});
