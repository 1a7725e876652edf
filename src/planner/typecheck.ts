// Type checks of the parts of a query the planner can type: column references, literals and the
// operators over them. A mismatch is an error at the offending operand before anything runs in
// the kernel (DuckDB would only refuse it once the query had run). Function calls, casts and
// CASE are DuckDB's to type, so they check as "unknown" and pass, but for bpfql's aggregates,
// whose argument and result kinds their definitions give.
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import type { AggregateFunction } from '../functions/aggregate.js';
import { aggregateFunction, isKernelAggregate } from '../functions/registry.js';
import type { Expr } from '../query/ast.js';
import { isArithmetic, isComparison, isIntegerArithmetic } from '../query/operators.js';
import type { Scope } from './scope.js';

/** Numbers are integers or floating-point ones (DOUBLE): `/` gives the latter, as in DuckDB. */
type Coarse = 'integer' | 'float' | 'string' | 'bool' | 'timestamp' | 'null' | 'unknown';

const isNumber = (t: Coarse): boolean => t === 'integer' || t === 'float';

function describe(t: Coarse): string {
  switch (t) {
    case 'integer': return 'a number';
    case 'float': return 'a DOUBLE';
    case 'string': return 'text';
    case 'bool': return 'a boolean';
    case 'timestamp': return 'a timestamp';
    case 'null': case 'unknown': return t;
  }
}

/** The result of an aggregate over an argument of this type (undefined for count(*)). */
function aggregateResult(f: AggregateFunction, arg: Coarse | undefined): Coarse {
  switch (f.result) {
    case 'bigint': return 'integer';
    case 'double': return 'float';
    // min and max take any value DuckDB orders and give one of the same type (text stays text).
    case 'argument': return arg ?? 'unknown';
    case 'buckets': return 'unknown';
  }
}

/** Refuses an argument the aggregate cannot take; `arg` is its first argument and `t` that one's type. */
function checkArgument(f: AggregateFunction, t: Coarse, arg: Expr): void {
  if (f.argument === 'any') return;
  if (t === 'string' || t === 'timestamp') mismatch(`${f.name}()`, 'a number', t, arg);
  // DuckDB's macros of the bucketing aggregates would bucket a DOUBLE's bits or round it.
  if (f.argument === 'integer' && t === 'float') mismatch(`${f.name}()`, 'an integer (`//` divides integers)', t, arg);
}

function mismatch(operator: string, expected: string, found: Coarse, at: Expr): never {
  throw new QueryError([diagnostic('type-mismatch', { operator, expected, found: describe(found) }, at.span)]);
}

/** Whether values of the two types can be compared (as DuckDB would without a cast). */
function comparable(a: Coarse, b: Coarse): boolean {
  if (a === 'unknown' || b === 'unknown' || a === 'null' || b === 'null' || a === b || (isNumber(a) && isNumber(b))) return true;
  // A timestamp compares with text (a literal DuckDB parses); numbers and booleans mix in DuckDB.
  if ((a === 'timestamp' && b === 'string') || (a === 'string' && b === 'timestamp')) return true;
  return (isNumber(a) && b === 'bool') || (a === 'bool' && isNumber(b));
}

/** A text literal compares with anything: DuckDB casts it to the other side's type ('5', '2024-01-01'). */
function asCompared(e: Expr, t: Coarse): Coarse {
  return e.kind === 'literal' && e.value.type === 'string' ? 'unknown' : t;
}

export class TypeChecker {
  /**
   * @param aliases SELECT-list aliases, by lower-case name.
   * @param aliasesFirst whether an alias hides a column of the same name (in HAVING and ORDER BY).
   */
  constructor(private readonly scope: Scope, private readonly aliases: ReadonlyMap<string, Expr> = new Map(), private readonly aliasesFirst = false) {}

  /** Aliases whose expressions are being checked, innermost last. */
  private readonly expanding = new Set<string>();

  private expand(name: string, aliased: Expr): Coarse {
    this.expanding.add(name);
    try {
      return this.check(aliased);
    } finally {
      this.expanding.delete(name);
    }
  }

  /** The coarse type of `e`; throws QueryError('type-mismatch') at the first bad operand. */
  check(e: Expr): Coarse {
    switch (e.kind) {
      case 'column': {
        const name = e.name.toLowerCase();
        // An alias being expanded names the column inside its own expression
        // (`sum(bytes) AS bytes ORDER BY bytes`), never itself again.
        const aliased = this.expanding.has(name) ? undefined : this.aliases.get(name);
        const c = this.aliasesFirst && aliased ? undefined : this.scope.find(e.name);
        if (!c) return aliased && aliased !== e ? this.expand(name, aliased) : 'unknown';
        if (c.decode) return 'string';
        switch (c.type.kind) {
          case 'int': return 'integer';
          case 'float': return 'float';
          case 'string': return 'string';
          case 'bool': return 'bool';
          case 'timestamp': return 'timestamp';
          case 'buckets': case 'bytes': case 'strings': return 'unknown';
        }
      }
      case 'literal':
        switch (e.value.type) {
          case 'int': return 'integer';
          case 'float': return 'float';
          case 'string': return 'string';
          case 'bool': return 'bool';
          case 'null': return 'null';
        }
        return 'unknown';
      case 'unary': {
        const t = this.check(e.operand);
        if (e.op === 'NOT') {
          if (t === 'string' || t === 'timestamp') mismatch('NOT', 'a boolean', t, e.operand);
          return 'bool';
        }
        if (t === 'string' || t === 'timestamp' || t === 'bool') mismatch(e.op, 'a number', t, e.operand);
        return t;
      }
      case 'binary': {
        const l = this.check(e.left);
        const r = this.check(e.right);
        if (e.op === 'AND' || e.op === 'OR') {
          for (const [t, side] of [[l, e.left], [r, e.right]] as const) if (t === 'string' || t === 'timestamp') mismatch(e.op, 'booleans', t, side);
          return 'bool';
        }
        if (e.op === '||') return 'string';
        if (isArithmetic(e.op)) {
          for (const [t, side] of [[l, e.left], [r, e.right]] as const) if (t === 'string' || t === 'timestamp' || t === 'bool') mismatch(e.op, 'numbers', t, side);
          if (l === 'unknown' || r === 'unknown') return 'unknown';
          // DuckDB's `/` gives a DOUBLE even of integers; its `//` of floats divides like `/`.
          return !isIntegerArithmetic(e.op) || l === 'float' || r === 'float' ? 'float' : 'integer';
        }
        if (isComparison(e.op) && !comparable(asCompared(e.left, l), asCompared(e.right, r))) mismatch(e.op, `${describe(l)} on both sides`, r, e.right);
        return 'bool';
      }
      case 'in': {
        const t = this.check(e.operand);
        for (const item of e.list) {
          const it = this.check(item);
          if (!comparable(asCompared(e.operand, t), asCompared(item, it))) mismatch('IN', `${describe(t)} in the list`, it, item);
        }
        return 'bool';
      }
      case 'between': {
        const t = this.check(e.operand);
        for (const bound of [e.low, e.high]) {
          const bt = this.check(bound);
          if (!comparable(asCompared(e.operand, t), asCompared(bound, bt))) mismatch('BETWEEN', `${describe(t)} bounds`, bt, bound);
        }
        return 'bool';
      }
      case 'is-null':
        this.check(e.operand);
        return 'bool';
      case 'like': {
        const op = e.caseInsensitive ? 'ILIKE' : 'LIKE';
        for (const side of [e.operand, e.pattern]) {
          const t = this.check(side);
          if (isNumber(t) || t === 'bool' || t === 'timestamp') mismatch(op, 'text', t, side);
        }
        return 'bool';
      }
      case 'call': {
        const types = e.args.map((a) => this.check(a));
        const name = e.name.toLowerCase();
        if (!isKernelAggregate(name)) return 'unknown';
        const f = aggregateFunction(name);
        if (types[0] !== undefined) checkArgument(f, types[0], e.args[0]!);
        return aggregateResult(f, types[0]);
      }
      case 'cast':
        this.check(e.operand);
        return 'unknown';
      case 'case':
        if (e.operand) this.check(e.operand);
        e.whens.forEach((w) => {
          this.check(w.when);
          this.check(w.then);
        });
        if (e.otherwise) this.check(e.otherwise);
        return 'unknown';
    }
  }
}
