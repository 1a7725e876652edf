// Integer expressions for the differential generator, each with the range its value stays in, so
// that no generated expression can overflow: the kernel's arithmetic wraps at 64 bits where DuckDB
// raises an error, a difference the README states and these tests do not probe. Expressions over
// UBIGINT columns also stay at or above zero, where DuckDB would raise an error too. `//` and `%`
// divide by constants of both signs (the kernel computes those) and by expressions that may be
// zero (DuckDB computes those, NULL for zero); `/`, a DOUBLE, is never part of one (see quotient).
import type { Rng } from '../fuzz/rng.js';
import type { IntColumn } from './tables.js';

export interface IntExpr {
  readonly text: string;
  readonly lo: bigint;
  readonly hi: bigint;
  /** Reads a UBIGINT column: must stay >= 0. */
  readonly u64: boolean;
  /** A column or a literal: needs no parentheses inside another expression. */
  readonly atom: boolean;
  /** Reads no column. */
  readonly constant: boolean;
}

/** Values stay strictly inside ±2^62, so a sum or difference of two of them still fits. */
export const BOUND = 1n << 62n;

const abs = (v: bigint): bigint => (v < 0n ? -v : v);
const min = (...vs: bigint[]): bigint => vs.reduce((a, b) => (b < a ? b : a));
const max = (...vs: bigint[]): bigint => vs.reduce((a, b) => (b > a ? b : a));
const magnitude = (e: IntExpr): bigint => max(abs(e.lo), abs(e.hi));
/** The smallest 2^k - 1 at or above v (v >= 0). */
const ones = (v: bigint): bigint => (1n << BigInt(v.toString(2).length)) - 1n;

export function fits(e: IntExpr): boolean {
  return e.lo > -BOUND && e.hi < BOUND && (!e.u64 || e.lo >= 0n);
}

export function columnExpr(c: IntColumn): IntExpr {
  return { text: c.name, lo: c.lo, hi: c.hi, u64: c.u64, atom: true, constant: false };
}

export function literal(v: bigint): IntExpr {
  // A negative constant is unary minus on a literal in the grammar.
  return { text: v < 0n ? `-${-v}` : String(v), lo: v, hi: v, u64: false, atom: v >= 0n, constant: true };
}

const wrap = (e: IntExpr): string => (e.atom ? e.text : `(${e.text})`);

function binary(a: IntExpr, op: string, b: IntExpr, lo: bigint, hi: bigint, u64 = a.u64 || b.u64): IntExpr {
  return { text: `${wrap(a)} ${op} ${wrap(b)}`, lo, hi, u64, atom: false, constant: a.constant && b.constant };
}

/** A DOUBLE from `/`, with a constant near its values (for comparisons). */
export interface Quotient {
  readonly text: string;
  readonly near: string;
}

/** Draws integer expressions over a table's integer columns. */
export class IntExprGen {
  private readonly columns: readonly IntColumn[];

  /** Columns of `own` are drawn more often than those of `common`; `spell` writes a column's name. */
  constructor(
    private readonly rng: Rng,
    private readonly own: readonly IntColumn[],
    private readonly common: readonly IntColumn[],
    private readonly spell: (name: string) => string = (name) => name,
  ) {
    this.columns = [...own, ...common];
  }

  column(): IntExpr {
    const r = this.rng;
    // The common columns come in order of use: later ones (uid, gid, the same for every event) less often.
    const common = this.common[Math.min(r.int(this.common.length), r.int(this.common.length))]!;
    const c = columnExpr(this.own.length > 0 && r.chance(0.7) ? r.pick(this.own) : common);
    return { ...c, text: this.spell(c.text) };
  }

  /** A constant near the values of `e`: one that occurs, or a small one. */
  constantFor(e: IntExpr): bigint {
    const r = this.rng;
    const samples = this.columns.filter((c) => e.text.toLowerCase().includes(c.name)).flatMap((c) => c.samples);
    if (samples.length > 0 && r.chance(0.6)) return r.pick(samples) + (r.chance(0.7) ? 0n : BigInt(r.range(-2, 2)));
    if (r.chance(0.5)) return BigInt(r.int(20));
    const span = e.hi - e.lo;
    return e.lo + (span > 0n ? BigInt(Math.floor(Number(span) * (r.next() / 2 ** 32))) : 0n);
  }

  /** A constant for comparing with `e` (never negative beside a UBIGINT value). */
  comparable(e: IntExpr): IntExpr {
    const v = this.constantFor(e);
    return literal(e.u64 && v < 0n ? -v : v);
  }

  /** An expression at most `depth` operators deep, within `limit` in magnitude. */
  expr(depth: number, limit = BOUND): IntExpr {
    for (let attempt = 0; attempt < 10; attempt++) {
      const e = this.attempt(depth);
      if (fits(e) && magnitude(e) < limit) return e;
    }
    return this.column();
  }

  private attempt(depth: number): IntExpr {
    const r = this.rng;
    if (depth <= 0 || r.chance(0.3)) return r.chance(0.95) ? this.column() : literal(BigInt(r.int(100)));
    const a = this.expr(depth - 1);
    const small = (lo: number, hi: number): IntExpr => literal(BigInt(a.u64 ? r.range(Math.max(lo, 0), hi) : r.range(lo, hi)));
    // What DuckDB alone computes (division by a column, functions) now and then: one such part
    // anywhere sends a query's aggregation to DuckDB, and both paths are to be compared.
    switch (r.chance(0.06) ? r.pick([12, 13]) : r.int(12)) {
      case 0: case 1: {
        const b = r.chance(0.5) ? this.expr(depth - 1) : small(-50, 5000);
        return binary(a, '+', b, a.lo + b.lo, a.hi + b.hi);
      }
      case 2: case 3: {
        const b = r.chance(0.5) ? this.expr(depth - 1) : small(0, 5000);
        return binary(a, '-', b, a.lo - b.hi, a.hi - b.lo);
      }
      case 4: {
        const b = r.chance(0.3) ? this.expr(depth - 1) : small(-8, 16);
        const ends = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi];
        return binary(a, '*', b, min(...ends), max(...ends));
      }
      case 5: {
        // Truncating toward zero. A UBIGINT by a negative constant is a HUGEINT in DuckDB and a
        // signed value in the kernel: it may go below zero.
        const k = BigInt(r.pick([1, 2, 3, 7, 10, 64, 4096, -1, -3, -7, -64]));
        const ends = [a.lo / k, a.hi / k];
        return binary(a, '//', literal(k), min(...ends), max(...ends), a.u64 && k > 0n);
      }
      case 6: {
        // The remainder takes the dividend's sign, whatever the divisor's.
        const k = BigInt(r.pick([2, 3, 7, 16, 100, 1000, -3, -7, -100]));
        const m = abs(k) - 1n;
        return binary(a, '%', literal(k), a.lo >= 0n ? 0n : -m, a.hi <= 0n ? 0n : m);
      }
      case 7: {
        const m = BigInt(r.pick([1, 3, 7, 0xff, 0xfff, 0xffff]));
        return binary(a, '&', literal(m), 0n, a.lo >= 0n ? min(a.hi, m) : m);
      }
      case 8: {
        const m = BigInt(r.pick([1, 4, 0x100, 0x8000]));
        const top = ones(max(magnitude(a), m));
        return binary(a, r.pick(['|', '^']), literal(m), a.lo >= 0n ? 0n : -top - 1n, top);
      }
      case 9: {
        if (a.lo < 0n) return a;
        const s = BigInt(r.range(0, 8));
        return binary(a, '<<', literal(s), a.lo << s, a.hi << s);
      }
      case 10: {
        const s = BigInt(r.range(0, 12));
        return binary(a, '>>', literal(s), a.lo >> s, a.hi >> s);
      }
      case 11: {
        if (a.u64) return a;
        return r.chance(0.5)
          ? { text: `-${wrap(a)}`, lo: -a.hi, hi: -a.lo, u64: false, atom: false, constant: a.constant }
          : { text: `~${wrap(a)}`, lo: -a.hi - 1n, hi: -a.lo - 1n, u64: false, atom: false, constant: a.constant };
      }
      case 12: {
        // Division by a value that may be zero: DuckDB computes it (NULL for zero).
        const b = this.expr(depth - 1);
        const m = magnitude(a);
        return r.chance(0.5)
          ? binary(a, '//', b, a.lo >= 0n && b.lo >= 0n ? 0n : -m, m)
          : binary(a, '%', b, a.lo >= 0n ? 0n : -m, a.hi <= 0n ? 0n : m);
      }
      default: return this.duckdbOnly(a, depth);
    }
  }

  /**
   * `a / b`: DuckDB's division, a DOUBLE (NULL for a zero divisor), which only DuckDB computes, in
   * both plans; by a constant of either sign mostly, now and then by an expression that may be zero.
   */
  quotient(depth: number): Quotient {
    const r = this.rng;
    const a = this.expr(depth);
    const k = BigInt(r.pick([2, 3, 7, 1000, -3, -64]));
    const b = r.chance(0.8) ? literal(k) : this.expr(Math.max(depth - 1, 0));
    const near = Number(this.constantFor(a)) / Number(k);
    return { text: `${wrap(a)} / ${wrap(b)}`, near: Number.isInteger(near) ? String(near) : near.toFixed(3) };
  }

  /** Functions the kernel does not compute: DuckDB does, in both plans. */
  private duckdbOnly(a: IntExpr, depth: number): IntExpr {
    const r = this.rng;
    const b = this.expr(depth - 1);
    switch (r.int(4)) {
      case 0: return { text: `abs(${a.text})`, lo: a.lo >= 0n ? a.lo : 0n, hi: magnitude(a), u64: a.u64, atom: true, constant: a.constant };
      case 1: return { text: `${r.pick(['least', 'greatest'])}(${a.text}, ${b.text})`, lo: min(a.lo, b.lo), hi: max(a.hi, b.hi), u64: a.u64 || b.u64, atom: true, constant: a.constant && b.constant };
      case 2: return { text: `CAST(${a.text} AS BIGINT)`, lo: a.lo, hi: a.hi, u64: false, atom: true, constant: a.constant };
      default: {
        const c = this.comparable(a);
        return { text: `CASE WHEN ${wrap(a)} > ${c.text} THEN ${wrap(a)} ELSE ${wrap(b)} END`, lo: min(a.lo, b.lo), hi: max(a.hi, b.hi), u64: a.u64 || b.u64, atom: false, constant: a.constant && b.constant };
      }
    }
  }
}
