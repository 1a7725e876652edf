// Grammar-valid queries over the fixture tables: random expressions of each type, aggregates,
// GROUP BY / HAVING / ORDER BY / LIMIT / EVERY / FOR, wrapped in the statement forms that run a
// query. Most are also well typed, so they reach the planner and the code generator; the rest
// exercise the planner's diagnostics.
import type { Rng } from './rng.js';
import type { TableShape } from './tables.js';
import { columnsOfKind } from './tables.js';
import { durationLiteral, floatLiteral, intLiteral, limitLiteral, stringLiteral } from './literals.js';
import { KEYWORDS } from './soup.js';

const ARITH = ['+', '-', '*', '/', '//', '%', '&', '|', '^', '<<', '>>'];
const COMPARE = ['=', '!=', '<>', '==', '<', '<=', '>', '>='];
/** Aggregates the kernel computes, as calls around an argument. */
const KERNEL_AGGS: readonly ((arg: string) => string)[] = [
  ...['sum', 'min', 'max', 'avg', 'stddev', 'hist', 'p50', 'p90', 'p95', 'p99', 'p999'].map((f) => (arg: string) => `${f}(${arg})`),
  (arg) => `quantile(${arg}, 0.75)`,
  (arg) => `lhist(${arg}, 0, 1000, 50)`,
];
const DUCKDB_AGGS = ['median', 'stddev', 'bit_or', 'approx_count_distinct'];
const ALIASES = ['n', 'total', 'x', 'y1', 'who', 'hits', '"Mixed Case"', 'k'];
/** Table functions with arguments they refuse, and a name that is none. */
const ODD_TABLE_FUNCTIONS: readonly string[] = [
  'profile(0)', 'profile(100000)', "profile('x')", 'profile()', 'profile(99, 1)', 'profile(-5)',
  "uprobe('/etc/passwd', 'main')", "uprobe('/proc/self/mem', 'main')", "uprobe('no-such-binary', 'main')",
  "uprobe('/sys/kernel/tracing/trace_pipe', 'x')", "uprobe('/usr/lib/x86_64-linux-gnu/libc.so.6', 'mallocc')",
  "uprobe('', '')", 'uprobe(1, 2)', "uprobe('/bin/true')", 'nosuch(1)', 'exec(1)',
];
const TYPES = ['bigint', 'integer', 'ubigint', 'smallint', 'varchar', 'double', 'decimal(10,2)'];

export class QueryGen {
  private readonly ints: string[];
  private readonly strings: string[];
  private readonly times: string[];

  /**
   * Only what the kernel computes (integer arithmetic, comparisons, kernel aggregates), so that
   * plans aggregate in the kernel rather than stream everything to DuckDB.
   */
  private kernelOnly = false;

  constructor(private readonly rng: Rng, private readonly table: TableShape) {
    this.ints = columnsOfKind(table, 'int');
    this.strings = columnsOfKind(table, 'string');
    this.times = columnsOfKind(table, 'time');
  }

  /** An integer-valued expression, at most `depth` operators deep. */
  int(depth: number): string {
    const r = this.rng;
    if (depth <= 0 || r.chance(0.35)) return r.chance(0.65) && this.ints.length > 0 ? this.column(this.ints) : intLiteral(r);
    // Negation, complement, parentheses and operators are what the kernel computes.
    switch (this.kernelOnly ? r.pick([0, 1, 2, 8, 9, 10, 11]) : r.int(12)) {
      // A space after '-': '--' would start a comment.
      case 0: return `- ${this.int(depth - 1)}`;
      case 1: return `~${this.int(depth - 1)}`;
      case 2: return `(${this.int(depth - 1)})`;
      case 3: return `CAST(${this.int(depth - 1)} AS ${r.pick(TYPES)})`;
      case 4: return `${this.int(depth - 1)}::${r.pick(TYPES)}`;
      case 5: return `abs(${this.int(depth - 1)})`;
      case 6: return `CASE WHEN ${this.bool(depth - 1)} THEN ${this.int(depth - 1)} ELSE ${this.int(depth - 1)} END`;
      case 7: return this.strings.length > 0 ? `length(${this.str(depth - 1)})` : this.int(depth - 1);
      default: {
        const op = r.pick(ARITH);
        // Mostly constant right operands for shifts and division, as the kernel takes them.
        const right = (op === '<<' || op === '>>' || op === '/' || op === '//' || op === '%') && r.chance(0.7) ? String(r.int(70)) : this.int(depth - 1);
        return `${this.int(depth - 1)} ${op} ${right}`;
      }
    }
  }

  /** A boolean-valued expression. */
  bool(depth: number): string {
    const r = this.rng;
    if (depth <= 0) return this.atomBool();
    switch (r.int(10)) {
      case 0: return `NOT ${this.bool(depth - 1)}`;
      case 1: return `${this.bool(depth - 1)} AND ${this.bool(depth - 1)}`;
      case 2: return `${this.bool(depth - 1)} OR ${this.bool(depth - 1)}`;
      case 3: return `(${this.bool(depth - 1)})`;
      case 4: return `${this.int(depth - 1)} ${r.chance(0.2) ? 'NOT ' : ''}IN (${this.list(() => this.int(depth - 1), 1, 5)})`;
      case 5: return `${this.int(depth - 1)} ${r.chance(0.2) ? 'NOT ' : ''}BETWEEN ${this.int(depth - 1)} AND ${this.int(depth - 1)}`;
      case 6: return `${this.int(depth - 1)} IS ${r.chance(0.5) ? 'NOT ' : ''}NULL`;
      default: return this.atomBool();
    }
  }

  private atomBool(): string {
    const r = this.rng;
    switch (r.int(8)) {
      case 0: return r.pick(['TRUE', 'FALSE']);
      case 1: case 2: case 3:
        return `${this.int(1)} ${r.pick(COMPARE)} ${this.int(1)}`;
      case 4: case 5:
        if (this.strings.length === 0) return `${this.int(0)} ${r.pick(COMPARE)} ${intLiteral(r)}`;
        return `${this.column(this.strings)} ${r.pick(['=', '!=', '<>'])} ${stringLiteral(r)}`;
      case 6:
        if (this.strings.length === 0) return this.int(0);
        return `${this.column(this.strings)} ${r.pick(this.kernelOnly ? ['LIKE', 'NOT LIKE'] : ['LIKE', 'NOT LIKE', 'ILIKE'])} ${stringLiteral(r)}`;
      default:
        if (this.times.length > 0 && !this.kernelOnly && r.chance(0.3)) return `${this.column(this.times)} > ${intLiteral(r)}`;
        return this.int(0);
    }
  }

  /** A string-valued expression. */
  str(depth: number): string {
    const r = this.rng;
    if (depth <= 0 || this.strings.length === 0 || r.chance(0.5)) return this.strings.length > 0 && r.chance(0.7) ? this.column(this.strings) : stringLiteral(r);
    switch (r.int(3)) {
      case 0: return `${this.str(depth - 1)} || ${this.str(depth - 1)}`;
      case 1: return `lower(${this.str(depth - 1)})`;
      default: return `CAST(${this.int(depth - 1)} AS varchar)`;
    }
  }

  /** Any scalar. */
  scalar(depth: number): string {
    if (this.kernelOnly) return this.rng.chance(0.7) ? this.int(depth) : this.bool(depth);
    switch (this.rng.int(6)) {
      case 0: return this.str(depth);
      case 1: return this.bool(depth);
      case 2: return this.times.length > 0 ? this.column(this.times) : floatLiteral(this.rng);
      default: return this.int(depth);
    }
  }

  aggregate(depth: number): string {
    const r = this.rng;
    if (this.kernelOnly) return this.aggregateCall(depth);
    switch (r.int(9)) {
      case 0: case 1: return 'count(*)';
      case 2: return `count(${this.scalar(depth)})`;
      case 3: return `count(DISTINCT ${this.scalar(depth)})`;
      case 4: return `${r.pick(DUCKDB_AGGS)}(${this.int(depth)})`;
      case 5: return `${this.aggregateCall(depth)} ${r.pick(['+', '-', '*', '/'])} ${r.chance(0.5) ? this.aggregateCall(depth) : intLiteral(r)}`;
      default: return this.aggregateCall(depth);
    }
  }

  private aggregateCall(depth: number): string {
    return this.rng.chance(0.2) ? 'count(*)' : this.rng.pick(KERNEL_AGGS)(this.int(depth));
  }

  /** A column name, now and then quoted or in upper case, or qualified by the table. */
  column(names: readonly string[]): string {
    const r = this.rng;
    const name = r.pick(names);
    // A field named like a keyword (signal_generate's `group`) is only a name when quoted.
    if (KEYWORDS.has(name)) return `"${name}"`;
    switch (r.int(12)) {
      case 0: return `"${name}"`;
      case 1: return name.toUpperCase();
      case 2: return `${this.table.name.split('.').pop() ?? 'x'}.${name}`;
      default: return name;
    }
  }

  list(item: () => string, min: number, max: number): string {
    const n = this.rng.range(min, max);
    return Array.from({ length: n }, item).join(', ');
  }

  alias(): string {
    const r = this.rng;
    return r.chance(0.7) ? '' : ` ${r.chance(0.5) ? 'AS ' : ''}${r.pick(ALIASES)}`;
  }

  /** A SELECT over the generator's table. */
  select(): string {
    const r = this.rng;
    const depth = r.pick([0, 1, 1, 2, 2, 3, 4, 6, 10]);
    const parts: string[] = [];
    const shape = r.int(3);
    this.kernelOnly = shape !== 0 && r.chance(0.5);
    let keys: string[] = [];
    let items: string[];
    if (shape === 0) {
      // Plain rows, streamed.
      items = r.chance(0.2) ? ['*'] : Array.from({ length: r.range(1, 5) }, () => this.scalar(depth) + this.alias());
    } else {
      keys = shape === 1 ? Array.from({ length: r.range(1, 3) }, () => this.key(depth)) : [];
      items = [...keys.map((k) => k + this.alias()), ...Array.from({ length: r.range(1, 4) }, () => this.aggregate(depth) + this.alias())];
      if (r.chance(0.3)) items.reverse();
    }
    parts.push(`SELECT ${items.join(', ')}`, `FROM ${this.tableName()}`);
    if (r.chance(0.6)) parts.push(`WHERE ${this.bool(depth)}`);
    if (keys.length > 0) parts.push(`GROUP BY ${keys.join(', ')}`);
    if (shape !== 0 && r.chance(0.3)) parts.push(`HAVING ${this.aggregate(depth)} ${r.pick(COMPARE)} ${intLiteral(r)}`);
    if (r.chance(0.3)) {
      const order = shape === 0 ? () => this.scalar(depth) : () => (keys.length > 0 && r.chance(0.5) ? r.pick(keys) : this.aggregate(depth));
      parts.push(`ORDER BY ${this.list(() => order() + r.pick(['', ' ASC', ' DESC']), 1, 3)}`);
    }
    if (r.chance(0.3)) parts.push(`LIMIT ${limitLiteral(r)}`);
    switch (r.int(5)) {
      case 0: break;
      case 1: parts.push(`EVERY ${durationLiteral(r)}`); break;
      case 2: parts.push(`EVERY ${durationLiteral(r)} FOR ${durationLiteral(r)}`); break;
      default: parts.push(`FOR ${durationLiteral(r)}`);
    }
    return parts.join(r.chance(0.9) ? ' ' : '\n  ');
  }

  /** A GROUP BY key: mostly a column, sometimes an integer expression. */
  private key(depth: number): string {
    const r = this.rng;
    if (r.chance(0.6)) return this.column(r.chance(0.5) && this.strings.length > 0 ? this.strings : this.ints);
    return r.chance(0.8) ? this.int(depth) : this.scalar(depth);
  }

  private tableName(): string {
    const r = this.rng;
    if (r.chance(0.05)) return r.pick(ODD_TABLE_FUNCTIONS);
    return r.chance(0.1) ? this.table.from.toUpperCase() : this.table.from;
  }
}

/** A statement that runs a generated query. */
export function generateStatement(rng: Rng, tables: readonly TableShape[]): string {
  const table = rng.pick(tables);
  const query = new QueryGen(rng, table).select();
  const statement = (() => {
    switch (rng.int(10)) {
      case 0:
        if (rng.chance(0.5)) return rng.chance(0.8) ? `DESCRIBE ${rng.chance(0.8) ? table.from : rng.pick(ODD_TABLE_FUNCTIONS)}` : 'SHOW TABLES';
        return `EXPLAIN ${query}`;
      case 1: return `CREATE TABLE t1 AS ${query}`;
      case 2: return `INSERT INTO t1 ${query}`;
      default: return query;
    }
  })();
  return rng.chance(0.3) ? `${statement};` : statement;
}
