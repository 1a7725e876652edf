// Offers expressions to the kernel. Each either becomes a KExpr the program can evaluate, or is
// refused with the reason, and then DuckDB evaluates it over streamed rows (as DuckDB's own
// filter pushdown offers filters to a scan and keeps what the scan refuses).
import { assertNever } from '../diag/assert-never.js';
import { encodeAddress } from '../catalog/addresses.js';
import type { Column } from '../catalog/column.js';
import { exprRegisters, exprSlots } from './expr-cost.js';
import { EXPRESSION_REGISTERS, EXPRESSION_SLOTS } from './program-limits.js';
import type { Expr } from '../query/ast.js';
import { isArithmetic, isComparison, isIntegerArithmetic } from '../query/operators.js';
import type { ArithOp, CompareOp, KExpr } from './kexpr.js';
import { isBoolean } from './kexpr.js';
import { stringCapacity } from './layout.js';
import type { Scope } from './scope.js';
import { decodedEquality } from './decoded-columns.js';
import { cgroupRefusal } from './cgroup-filters.js';
import { kernelNullValue } from '../catalog/nulls.js';

export type Offer = { readonly ok: true; readonly expr: KExpr } | { readonly ok: false; readonly reason: string };

const refuse = (reason: string): Offer => ({ ok: false, reason });
const accept = (expr: KExpr): Offer => ({ ok: true, expr });

const MASK64 = (1n << 64n) - 1n;

function intRange(bits: number, signed: boolean): readonly [bigint, bigint] {
  const b = BigInt(bits);
  return signed ? [-(1n << (b - 1n)), (1n << (b - 1n)) - 1n] : [0n, (1n << b) - 1n];
}

/** Integer type names DuckDB accepts in CAST, with their width and signedness. */
const INTEGER_CASTS: Readonly<Record<string, { readonly bits: 8 | 16 | 32 | 64; readonly signed: boolean }>> = {
  tinyint: { bits: 8, signed: true }, int1: { bits: 8, signed: true },
  smallint: { bits: 16, signed: true }, int2: { bits: 16, signed: true }, short: { bits: 16, signed: true },
  integer: { bits: 32, signed: true }, int: { bits: 32, signed: true }, int4: { bits: 32, signed: true }, signed: { bits: 32, signed: true },
  bigint: { bits: 64, signed: true }, int8: { bits: 64, signed: true }, long: { bits: 64, signed: true },
  utinyint: { bits: 8, signed: false }, usmallint: { bits: 16, signed: false }, uinteger: { bits: 32, signed: false }, ubigint: { bits: 64, signed: false },
};

const SIGNED_LIMIT = 1n << 63n;

/** Wraps a constant to 64 bits, as the kernel computes it; `undefined` keeps it exact. */
function wrap(v: bigint, signed: boolean | undefined): bigint {
  if (signed === undefined) return v;
  const u = v & MASK64;
  return signed && u >= SIGNED_LIMIT ? u - (1n << 64n) : u;
}

function foldArith(op: ArithOp, a: bigint, b: bigint, signed: boolean | undefined): bigint | undefined {
  switch (op) {
    case '+': return wrap(a + b, signed);
    case '-': return wrap(a - b, signed);
    case '*': return wrap(a * b, signed);
    // BigInt division truncates toward zero and the remainder takes the dividend's sign, as DuckDB's.
    case '//': return b === 0n ? undefined : wrap(a / b, signed);
    case '%': return b === 0n ? undefined : wrap(a % b, signed);
    case '&': return wrap(a & b, signed);
    case '|': return wrap(a | b, signed);
    case '^': return wrap(a ^ b, signed);
    case '<<': return b < 0n || b > 63n ? undefined : wrap(a << b, signed);
    case '>>': return b < 0n || b > 63n ? undefined : wrap(wrap(a, signed) >> b, signed);
  }
}

function foldCompare(op: CompareOp, a: bigint, b: bigint): boolean {
  switch (op) {
    case '=': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
  }
}

/**
 * A constant no value of the other side can equal, because it lies beyond that side's 64-bit
 * range: negative against an unsigned value, 2^63 or more against a signed one. One signed or
 * unsigned 64-bit compare would order them wrongly (-1 as 2^64 - 1, 2^63 as -2^63); the answer is
 * the same for every event. Returns the sign of `a - b` then (1n or -1n), else undefined.
 */
function beyondRange(a: KExpr, b: KExpr): bigint | undefined {
  const outside = (value: KExpr, c: KExpr): boolean =>
    value.kind !== 'const' && c.kind === 'const' && (value.signed ? c.value >= SIGNED_LIMIT : c.value < 0n);
  if (outside(a, b) && b.kind === 'const') return b.value < 0n ? 1n : -1n;
  if (outside(b, a) && a.kind === 'const') return a.value < 0n ? -1n : 1n;
  return undefined;
}

const bool = (v: boolean): KExpr => ({ kind: 'const', value: v ? 1n : 0n, signed: false });

function not(x: KExpr): KExpr {
  return x.kind === 'const' ? bool(x.value === 0n) : { kind: 'not', operand: x, signed: false };
}

/** AND/OR with constant operands folded away, so no branch is ever statically dead. */
export function logical(op: 'AND' | 'OR', a: KExpr, b: KExpr): KExpr {
  const k = a.kind === 'const' ? a : b.kind === 'const' ? b : undefined;
  if (k !== undefined) {
    const other = k === a ? b : a;
    const truth = k.value !== 0n;
    if (op === 'AND') return truth ? asBool(other) : bool(false);
    return truth ? bool(true) : asBool(other);
  }
  return { kind: op === 'AND' ? 'and' : 'or', left: a, right: b, signed: false };
}

/** An operand of AND/OR as a 0/1 value. */
function asBool(e: KExpr): KExpr {
  if (e.kind === 'const') return bool(e.value !== 0n);
  if (isBoolean(e)) return e;
  return { kind: 'compare', op: '!=', left: e, right: { kind: 'const', value: 0n, signed: false }, signed: e.signed };
}

/**
 * A string comparison, folded to a constant when the kernel's buffer (which keeps at most
 * capacity-1 bytes) makes the answer certain, so no branch is statically dead.
 */
function stringMatch(c: Column, match: 'equals' | 'prefix', value: string, negated: boolean): KExpr {
  const len = Buffer.byteLength(value);
  if (len > stringCapacity(c) - 1) return bool(negated);
  if (match === 'prefix' && len === 0) return bool(!negated);
  return { kind: 'string-match', column: c, match, value, negated, signed: false };
}

/**
 * An address column compared with text: the kernel compares its bytes with the text's bytes
 * (checkDecodedConstants refused text no address shows as).
 */
function addressMatch(c: Column & { readonly source: { readonly kind: 'address' } }, value: string, negated: boolean): KExpr {
  const raw = encodeAddress(value, c.source.family !== undefined);
  if (!raw) throw new Error(`'${value}' is not an address`);
  return { kind: 'string-match', column: c, match: 'equals', value, negated, signed: false, raw: [...raw] };
}

function isStringColumn(c: Column): boolean {
  return c.type.kind === 'string';
}

function isAddress(c: Column): c is Column & { readonly source: { readonly kind: 'address' } } {
  return c.source.kind === 'address';
}

/** In the kernel a file's path is its names from the file up; the text is made in user space. */
function fdPathRefusal(c: Column): Offer {
  return refuse(`'${c.name}' is a path put together in user space, so DuckDB compares it`);
}

/** In the kernel a stack is only an id in the stack map; its text exists once the run is over. */
function stackRefusal(c: Column): Offer {
  return refuse(`'${c.name}' is ${c.source.kind === 'stack' ? 'a call stack' : 'a kernel address'}, symbolised after the run, so DuckDB filters on it`);
}

/** Columns whose text user space makes from kernel addresses. */
function symbolised(c: Column): boolean {
  return c.source.kind === 'stack' || c.source.kind === 'kernel-symbol';
}

export class Pushdown {
  constructor(private readonly scope: Scope) {}

  /** Offers an integer- or boolean-valued expression to the kernel. */
  offer(e: Expr): Offer {
    const offer = this.translate(e);
    if (!offer.ok) return offer;
    if (exprRegisters(offer.expr) > EXPRESSION_REGISTERS) return refuse('the expression needs more registers than a kernel program has');
    if (exprSlots(offer.expr) > EXPRESSION_SLOTS) return refuse('the expression is too long for a kernel program');
    return offer;
  }

  private translate(e: Expr): Offer {
    switch (e.kind) {
      case 'column': {
        const c = this.scope.column(e);
        if (!c) return refuse(`'${e.name}' is not a column of the kernel table`);
        if (c.decode) return refuse(`'${c.name}' is text made from a raw value: the kernel only compares it with text constants`);
        if (symbolised(c)) return stackRefusal(c);
        if (c.source.kind === 'cgroup') return refuse(cgroupRefusal(c));
        // A column narrower than 64 bits widens to a signed 64-bit value (every value it holds
        // fits), so arithmetic and comparisons on it are signed, as on DuckDB's BIGINT it lands as.
        if (c.type.kind === 'int') return accept({ kind: 'column', column: c, signed: c.type.signed || c.type.bits < 64 });
        if (c.type.kind === 'bytes') return refuse(`BLOB column '${c.name}' is compared in DuckDB`);
        if (c.type.kind === 'strings') return refuse(`list column '${c.name}' is read in DuckDB`);
        return refuse(`${c.type.kind} column '${c.name}' can only be compared with a constant in the kernel`);
      }
      case 'literal':
        switch (e.value.type) {
          case 'int':
            // The kernel computes in 64 bits; DuckDB keeps wider constants exact.
            if (e.value.value >= 1n << 64n) return refuse('integers beyond 64 bits run in DuckDB');
            return accept({ kind: 'const', value: e.value.value, signed: e.value.value < 0n });
          case 'bool': return accept(bool(e.value.value));
          case 'float': case 'string': case 'null': return refuse(`${e.value.type} constants are not computed in the kernel`);
        }
      case 'unary': return this.unary(e);
      case 'binary': return this.binary(e);
      case 'in': return this.inList(e);
      case 'between': return this.between(e);
      case 'like': return this.like(e);
      case 'is-null': return this.isNull(e);
      case 'call': return refuse(`function ${e.name}() runs in DuckDB`);
      case 'cast': return this.cast(e);
      case 'case': return refuse('CASE runs in DuckDB');
    }
  }

  /**
   * `x IS [NOT] NULL`. A column that can be NULL is NULL when its raw value is the one that stands
   * for NULL (see nulls.ts); any other column always has a value. So has every other expression
   * the kernel evaluates: it reads no column that can be NULL (such columns are refused as values
   * here) and never divides by zero.
   */
  private isNull(e: Extract<Expr, { kind: 'is-null' }>): Offer {
    if (e.operand.kind === 'column') {
      const c = this.scope.column(e.operand);
      if (!c) return refuse(`'${e.operand.name}' is not a column of the kernel table`);
      if (c.source.kind === 'cgroup') return refuse(cgroupRefusal(c));
      const nullValue = kernelNullValue(c);
      if (nullValue === undefined) return accept(bool(e.negated));
      const raw: KExpr = { kind: 'column', column: c, signed: true };
      return accept({ kind: 'compare', op: e.negated ? '!=' : '=', left: raw, right: { kind: 'const', value: nullValue, signed: true }, signed: true });
    }
    const inner = this.offer(e.operand);
    if (!inner.ok) return inner;
    return accept(bool(e.negated));
  }

  /**
   * CAST to an integer type, when the kernel's answer is certain to be DuckDB's: the value (a
   * column, or a constant) always fits the target type, so the cast changes nothing. DuckDB
   * refuses values out of a type's range, so any other cast runs there and fails there.
   */
  private cast(e: Extract<Expr, { kind: 'cast' }>): Offer {
    const target = INTEGER_CASTS[e.type.toLowerCase()];
    if (!target) return refuse(`casts to ${e.type} run in DuckDB`);
    const inner = this.offer(e.operand);
    if (!inner.ok) return inner;
    const x = inner.expr;
    const range = x.kind === 'const' ? [x.value, x.value] as const : x.kind === 'column' && x.column.type.kind === 'int' ? intRange(x.column.type.bits, x.column.type.signed) : undefined;
    const [tlo, thi] = intRange(target.bits, target.signed);
    if (range === undefined || range[0] < tlo || range[1] > thi) return refuse(`CAST to ${e.type} of a value that may not fit runs in DuckDB (which refuses out-of-range values)`);
    return accept(x);
  }

  private unary(e: Extract<Expr, { kind: 'unary' }>): Offer {
    const inner = this.offer(e.operand);
    if (!inner.ok) return inner;
    const x = inner.expr;
    switch (e.op) {
      case 'NOT':
        return accept(not(x));
      case '-':
        if (x.kind === 'const') return accept({ kind: 'const', value: wrap(-x.value, true), signed: true });
        return accept({ kind: 'neg', operand: x, signed: true });
      case '~':
        if (x.kind === 'const') {
          // A constant below 2^63 is a signed integer in DuckDB, so its complement is negative.
          const signed = x.signed || x.value < SIGNED_LIMIT;
          return accept({ kind: 'const', value: wrap(~x.value, signed), signed });
        }
        return accept({ kind: 'bitnot', operand: x, signed: x.signed });
    }
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>): Offer {
    if (e.op === '=' || e.op === '!=') {
      const d = decodedEquality(this.scope, e.left, e.right, e.op) ?? decodedEquality(this.scope, e.right, e.left, e.op);
      if (d) return accept(d);
      const s = this.stringEquality(e.left, e.right, e.op) ?? this.stringEquality(e.right, e.left, e.op);
      if (s) return s;
    }
    if (e.op === '||') return refuse('string concatenation runs in DuckDB');
    if (isArithmetic(e.op) && !isIntegerArithmetic(e.op)) return refuse(`${e.op} divides as a floating-point number (// divides integers), which runs in DuckDB`);
    const l = this.offer(e.left);
    if (!l.ok) return l;
    const r = this.offer(e.right);
    if (!r.ok) return r;
    const a = l.expr;
    const b = r.expr;
    if (e.op === 'AND' || e.op === 'OR') {
      return accept(logical(e.op, a, b));
    }
    const signed = a.signed || b.signed;
    if (isComparison(e.op)) {
      const op = e.op;
      if (a.kind === 'const' && b.kind === 'const') return accept(bool(foldCompare(op, a.value, b.value)));
      const known = beyondRange(a, b);
      if (known !== undefined) return accept(bool(foldCompare(op, known, 0n)));
      return accept({ kind: 'compare', op, left: a, right: b, signed });
    }
    if (isIntegerArithmetic(e.op)) {
      const op = e.op;
      if (op === '//' || op === '%') {
        if (!(b.kind === 'const' && b.value !== 0n)) return refuse('division by a value that may be zero runs in DuckDB (it gives NULL there)');
        // A divisor of 2^63 or more is no signed 64-bit number, which sdiv would take it for.
        if (a.signed && !b.signed && b.value >= SIGNED_LIMIT) return refuse('division of a signed value by 2^63 or more runs in DuckDB');
        // An unsigned value by a negative divisor: by its magnitude, unsigned, then the sign
        // (truncation toward zero makes x // -k = -(x // k); the remainder keeps x's sign).
        if (!a.signed && b.value < 0n && a.kind !== 'const') {
          const magnitude: KExpr = { kind: 'const', value: -b.value, signed: false };
          const unsigned: KExpr = { kind: 'arith', op, left: a, right: magnitude, signed: false };
          return accept(op === '//' ? { kind: 'neg', operand: unsigned, signed: true } : unsigned);
        }
      }
      if ((op === '<<' || op === '>>') && !(b.kind === 'const' && b.value >= 0n && b.value < 64n)) {
        return refuse('shifts by a non-constant amount run in DuckDB');
      }
      if (a.kind === 'const' && b.kind === 'const') {
        // Constants are DuckDB's signed integers: 3 - 5 is -2. Only a result beyond 64 signed bits wraps.
        const exact = foldArith(op, a.value, b.value, undefined);
        if (exact !== undefined && exact >= -SIGNED_LIMIT && exact < SIGNED_LIMIT) return accept({ kind: 'const', value: exact, signed: exact < 0n });
        const v = foldArith(op, a.value, b.value, signed);
        if (v !== undefined) return accept({ kind: 'const', value: v, signed });
      }
      return accept({ kind: 'arith', op, left: a, right: b, signed });
    }
    return assertNever(e.op);
  }

  /** `col = 'text'` on a string column. */
  private stringEquality(colSide: Expr, constSide: Expr, op: '=' | '!='): Offer | undefined {
    if (colSide.kind !== 'column' || constSide.kind !== 'literal' || constSide.value.type !== 'string') return undefined;
    const c = this.scope.column(colSide);
    if (c && symbolised(c)) return stackRefusal(c);
    if (c?.source.kind === 'cgroup') return refuse(cgroupRefusal(c));
    if (c?.source.kind === 'fd-file') return fdPathRefusal(c);
    if (!c || !isStringColumn(c)) return undefined;
    if (isAddress(c)) return accept(addressMatch(c, constSide.value.value, op === '!='));
    return accept(stringMatch(c, 'equals', constSide.value.value, op === '!='));
  }

  private like(e: Extract<Expr, { kind: 'like' }>): Offer {
    if (e.caseInsensitive) return refuse('ILIKE runs in DuckDB');
    if (e.operand.kind !== 'column' || e.pattern.kind !== 'literal' || e.pattern.value.type !== 'string') return refuse('LIKE runs in the kernel only as column LIKE \'prefix%\'');
    const c = this.scope.column(e.operand);
    if (c && symbolised(c)) return stackRefusal(c);
    if (c?.source.kind === 'cgroup') return refuse(cgroupRefusal(c));
    if (c?.source.kind === 'fd-file') return fdPathRefusal(c);
    if (!c || !isStringColumn(c)) return refuse('LIKE needs a string column');
    if (isAddress(c)) return refuse(`'${c.name}' is text made from an address's bytes: the kernel only compares it with a whole address`);
    const p = e.pattern.value.value;
    const body = p.endsWith('%') ? p.slice(0, -1) : p;
    if (/[%_\\]/.test(body)) return refuse('only LIKE patterns of the form \'prefix%\' run in the kernel');
    return accept(stringMatch(c, p.endsWith('%') ? 'prefix' : 'equals', body, e.negated));
  }

  private inList(e: Extract<Expr, { kind: 'in' }>): Offer {
    const tests: KExpr[] = [];
    for (const item of e.list) {
      const one = this.binary({ kind: 'binary', op: '=', left: e.operand, right: item, span: e.span });
      if (!one.ok) return one;
      tests.push(one.expr);
    }
    if (tests.length === 0) return refuse('an empty IN list runs in DuckDB');
    // A balanced OR: a long list nests log2(n) deep, where a chain would nest n deep.
    const any = (xs: readonly KExpr[]): KExpr => {
      if (xs.length === 1) return xs[0]!;
      const half = xs.length >> 1;
      return logical('OR', any(xs.slice(0, half)), any(xs.slice(half)));
    };
    const acc = any(tests);
    return accept(e.negated ? not(acc) : acc);
  }

  private between(e: Extract<Expr, { kind: 'between' }>): Offer {
    const lo = this.binary({ kind: 'binary', op: '>=', left: e.operand, right: e.low, span: e.span });
    if (!lo.ok) return lo;
    const hi = this.binary({ kind: 'binary', op: '<=', left: e.operand, right: e.high, span: e.span });
    if (!hi.ok) return hi;
    const both = logical('AND', lo.expr, hi.expr);
    return accept(e.negated ? not(both) : both);
  }
}

/** Splits a WHERE clause into its AND-ed parts. */
export function conjuncts(e: Expr): Expr[] {
  if (e.kind === 'binary' && e.op === 'AND') return [...conjuncts(e.left), ...conjuncts(e.right)];
  return [e];
}
