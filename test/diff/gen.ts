// The differential generator: seeded, valid queries over the tables the workload drives, each
// restricted to the workload's processes by a conjunct on comm. Every part of the dialect both
// plans must agree on appears: group keys (columns, integer expressions, decoded columns,
// comparisons), every aggregate, WHERE conjuncts the kernel takes and ones it leaves to DuckDB,
// HAVING, ORDER BY and LIMIT; signed syscall fields with negative constants, address columns
// compared with and grouped by addresses, EVERY windows (compared merged, see windows.ts), and the
// stack columns every table has (kstack as group keys and row values, both in count() and IS NULL; such a query runs
// scoped to the workload's cgroup, so that both sides' stack maps see only its stacks).
// Each output column says how the two results may differ in it.
import { caseSeed, Rng } from '../fuzz/rng.js';
import { BOUND, IntExprGen, type IntExpr } from './int-expr.js';
import { diffTables, type DiffTable, type StringColumn } from './tables.js';
import type { WorkloadNames } from './workload-spec.js';
import type { MergeOp } from './windows.js';

/** exact: equal values; float: within 1e-9 relative; approx: a kernel quantile, within 1/64 of DuckDB's. */
export type ColumnKind = 'exact' | 'float' | 'approx';

export interface DiffQuery {
  /** Replays the query: generateQuery(seed, names). */
  readonly seed: number;
  readonly table: string;
  /** Both sides run scoped to the workload's cgroup (see DiffTable.scoped). */
  readonly scoped: boolean;
  /** The kernel query runs as a subquery of a statement DuckDB finishes (see statementOf). */
  readonly embedded: boolean;
  /** The kernel query. */
  readonly sql: string;
  /** One per output column. */
  readonly kinds: readonly ColumnKind[];
  /**
   * EVERY: each side's windows are cut by its own clock, so the two are compared on their windows
   * merged (see windows.ts), each output column merged by its op.
   */
  readonly every?: { readonly ms: number; readonly merge: readonly MergeOp[] };
}

interface Item {
  readonly text: string;
  readonly kind: ColumnKind;
  /** Values may be ordered on under a LIMIT (exact ones: both plans order them alike). */
  readonly sortable: boolean;
  /** A number made from aggregates (HAVING may compare it by its alias). */
  readonly scalarAggregate?: boolean;
}

/** Sums stay below 2^62 over the few thousand events a table has. */
const SUM_LIMIT = 1n << 50n;
/**
 * DuckDB's stddev works in doubles (the kernel's sums are exact): its relative error grows with
 * |mean| / stddev, past 1e-9 for values near 2^37 a few hundred apart (the addresses mmap returns).
 * Below 2^32 (pids, sizes, offsets of one file) it stays far within.
 */
const STDDEV_LIMIT = 1n << 32n;
const COMPARE = ['=', '!=', '<>', '<', '<=', '>', '>='];
const ORDERING = ['!=', '<', '<=', '>', '>='];
const TABLE_WEIGHTS: Readonly<Record<string, number>> = {
  open: 4, 'tracepoint.syscalls.sys_enter_lseek': 4, read: 2, write: 2, exec: 2, exit: 2, signals: 2,
  'tracepoint.syscalls.sys_enter_getppid': 1, syscalls: 1, page_faults: 1, sched_switch: 1,
  'tracepoint.syscalls.sys_enter_kill': 3, 'tracepoint.syscalls.sys_enter_newfstatat': 2, 'tracepoint.syscalls.sys_enter_fchownat': 2,
  tcp_connect: 2, tcp_state: 3, 'tracepoint.sock.inet_sock_set_state': 3,
};
/** EVERY periods: the workload pauses between its phases (workload-spec.ts), so its events span several windows. */
const EVERY_MS = [50, 100, 150, 250, 500];
/** The stack columns: text made from the kernel's stack map, NULL where there is no such stack. */
const STACKS = ['kstack', 'ustack'];
/**
 * The stack columns whose text both sides make alike. A user stack is named from its process's
 * mappings, which are gone once the process exits: the streamed side names rows as they arrive,
 * the planned side its groups after the run, so a short-lived child's user stack may be named on
 * one side and bare addresses on the other. Grouping by user stack in the kernel is checked
 * exactly by test/live/stacks-any-event.test.ts, with the process kept alive.
 */
const STACK_VALUES = ['kstack'];
/** The cgroup text columns the tables have (see tables.ts): tested now and then, not as often as the tables' own. */
const CGROUP_COLUMNS = ['cgroup', 'container_id', 'container_name'];
const QUANTILES = ['p50', 'p90', 'p95', 'p99', 'p999'];
const QUANTILE_QS = ['0', '0.1', '0.25', '0.5', '0.75', '0.9', '1'];

const quote = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** An exact item; a constant is not ordered on (DuckDB reads ORDER BY 2 or -2 as a column position). */
function exactItem(text: string, sortable: boolean, scalarAggregate = false): Item {
  return { text, kind: 'exact', sortable, scalarAggregate };
}

function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

class QueryGen {
  private readonly ints: IntExprGen;

  constructor(private readonly rng: Rng, private readonly table: DiffTable, private readonly names: WorkloadNames) {
    this.ints = new IntExprGen(rng, table.ints, table.commonInts, (name) => this.spell(name));
  }

  /** A column's name as written: now and then in capitals, quoted, or qualified by the table. */
  private spell(name: string): string {
    const r = this.rng;
    switch (r.int(16)) {
      case 0: return name.toUpperCase();
      case 1: return `"${name}"`;
      case 2: return `${this.table.name.split('.').pop()!}.${name}`;
      default: return name;
    }
  }

  /** The conjunct that keeps only the workload's events. */
  private restriction(): string {
    const r = this.rng;
    const comms = this.table.comms;
    if (comms.length === 1 || r.chance(0.3)) return `comm = ${quote(r.pick(comms))}`;
    switch (r.int(3)) {
      case 0: return `comm LIKE ${quote(`${this.names.comm}%`)}`;
      case 1: return `comm IN (${[...new Set([r.pick(comms), r.pick(comms)])].map(quote).join(', ')})`;
      default: return `comm LIKE ${quote(`${this.names.comm}e%`)}`;
    }
  }

  private stringPredicate(column: StringColumn): string {
    const r = this.rng;
    const s = { ...column, name: this.spell(column.name) };
    const value = r.chance(0.85) ? r.pick(s.samples) : 'nothing';
    if (s.decoded) {
      // The kernel compares a decoded column only with names it knows; other forms run in DuckDB.
      switch (r.int(4)) {
        case 0: return `${s.name} ${r.pick(['=', '!='])} ${quote(r.pick(s.samples))}`;
        case 1: return `${s.name} ${r.chance(0.3) ? 'NOT ' : ''}IN (${[r.pick(s.samples), r.pick(s.samples)].map(quote).join(', ')})`;
        case 2: return `${s.name} LIKE ${quote(`${r.pick(s.prefixes)}%`)}`;
        default: return `${quote(r.pick(s.samples))} = ${s.name}`;
      }
    }
    switch (r.int(8)) {
      case 0: case 1: return `${s.name} ${r.pick(['=', '!=', '<>'])} ${quote(value)}`;
      case 2: return `${quote(value)} = ${s.name}`;
      case 3: case 4: return `${s.name} ${r.chance(0.3) ? 'NOT ' : ''}LIKE ${quote(`${r.pick(s.prefixes)}%`)}`;
      case 5: return `${s.name} ${r.chance(0.3) ? 'NOT ' : ''}IN (${[value, r.pick(s.samples)].map(quote).join(', ')})`;
      case 6: return `${s.name} LIKE ${quote(r.chance(0.5) ? value : `%${value.slice(-2)}`)}`;
      default: return `${s.name} ILIKE ${quote(`${r.pick(s.prefixes).toUpperCase()}%`)}`;
    }
  }

  /** The string columns but the cgroup ones (which the kernel carries as the cgroup id). */
  private ownStrings(): StringColumn[] {
    return this.table.strings.filter((s) => !CGROUP_COLUMNS.includes(s.name));
  }

  /**
   * A test of a cgroup column: mostly the forms the kernel takes as a set of cgroup ids (`=` and
   * LIKE, a container id also by its 12-character prefix), the rest left to DuckDB on both sides.
   */
  private cgroupPredicate(): string {
    const r = this.rng;
    const column = r.pick(this.table.strings.filter((s) => CGROUP_COLUMNS.includes(s.name)));
    return r.chance(0.7) ? `${this.spell(column.name)} ${r.chance(0.5) ? `= ${quote(r.pick(column.samples))}` : `LIKE ${quote(`${r.pick(column.prefixes)}%`)}`}` : this.stringPredicate(column);
  }

  /**
   * A test of an integer expression. Equality and IN lists, which few values pass, mostly test a
   * plain column against values it has; other tests split the values more evenly.
   */
  private intPredicate(depth: number): string {
    const r = this.rng;
    const a = r.chance(0.4) ? this.ints.column() : this.ints.expr(depth);
    const equality = a.atom || r.chance(0.2);
    switch (r.int(12)) {
      case 0: case 1: {
        const lo = this.ints.comparable(a);
        const hi = this.ints.comparable(a);
        const [x, y] = lo.lo <= hi.lo ? [lo, hi] : [hi, lo];
        return `${a.text} ${r.chance(0.3) ? 'NOT ' : ''}BETWEEN ${x.text} AND ${y.text}`;
      }
      case 2: case 3: {
        if (!equality) break;
        const n = r.chance(0.9) ? r.range(1, 4) : r.range(5, 40);
        return `${a.text} ${r.chance(0.3) ? 'NOT ' : ''}IN (${Array.from({ length: n }, () => this.ints.comparable(a).text).join(', ')})`;
      }
      case 4: case 5: return `${a.text} ${r.pick(COMPARE)} ${this.ints.expr(depth).text}`;
      case 6: return `${a.text} IS ${r.chance(0.2) ? '' : 'NOT '}NULL`;
      case 7: {
        // A DOUBLE from `/`: DuckDB decides it, in both plans.
        const q = this.ints.quotient(depth);
        return `${q.text} ${r.pick(ORDERING)} ${q.near}`;
      }
      default: break;
    }
    return `${a.text} ${r.pick(equality ? COMPARE : ORDERING)} ${this.ints.comparable(a).text}`;
  }

  bool(depth: number): string {
    const r = this.rng;
    if (depth > 0 && r.chance(0.35)) {
      switch (r.int(3)) {
        case 0: return `NOT (${this.bool(depth - 1)})`;
        case 1: return `(${this.bool(depth - 1)} AND ${this.bool(depth - 1)})`;
        default: return `(${this.bool(depth - 1)} OR ${this.bool(depth - 1)})`;
      }
    }
    if (r.chance(0.04)) return `${this.spell(r.pick(STACKS))} IS ${r.chance(0.5) ? '' : 'NOT '}NULL`;
    if (r.chance(0.08)) return this.cgroupPredicate();
    // comm is mostly left to the restriction: another test of it usually empties the result.
    const strings = this.table.strings.filter((s) => s.name !== 'comm' && !CGROUP_COLUMNS.includes(s.name));
    const s = strings.length > 0 && r.chance(0.9) ? r.pick(strings) : this.table.strings.find((x) => x.name === 'comm');
    return s && r.chance(strings.length > 0 ? 0.35 : 0.1) ? this.stringPredicate(s) : this.intPredicate(Math.min(depth, 2));
  }

  private where(): string {
    const r = this.rng;
    const parts = Array.from({ length: r.pick([0, 1, 1, 1, 2, 3]) }, () => this.bool(r.pick([0, 1, 1, 2, 3])));
    parts.splice(r.int(parts.length + 1), 0, this.restriction());
    return parts.join(' AND ');
  }

  /** The argument of the last quantile: quantiles of one argument share one state in the kernel. */
  private quantileArg: IntExpr | undefined;

  private quantileArgument(arg: () => IntExpr): IntExpr {
    this.quantileArg = this.quantileArg && this.rng.chance(0.5) ? this.quantileArg : arg();
    return this.quantileArg;
  }

  /** An aggregate call with the kind of its value. */
  private aggregate(): { text: string; kind: ColumnKind; scalar: boolean } {
    const a = this.aggregateCall();
    // min or max of a bare column may be of text (comm, an address): not a number for HAVING to compare.
    return { ...a, scalar: !/^l?hist\(/.test(a.text) && !/^(min|max)\([a-z_][a-z0-9_]*\)$/.test(a.text.toLowerCase()) };
  }

  private aggregateCall(): { text: string; kind: ColumnKind } {
    const r = this.rng;
    const arg = (limit = BOUND): IntExpr => this.ints.expr(r.pick([0, 0, 1, 2, 3]), limit);
    switch (r.int(14)) {
      case 0: return { text: 'count(*)', kind: 'exact' };
      case 1: return { text: `count(${r.chance(0.2) ? r.pick(STACKS) : r.chance(0.3) ? r.pick(this.ownStrings()).name : arg().text})`, kind: 'exact' };
      case 2: case 3: return { text: `sum(${arg(SUM_LIMIT).text})`, kind: 'exact' };
      case 4: return { text: `${r.pick(['min', 'max'])}(${r.chance(0.2) ? this.ints.quotient(r.pick([0, 1, 2])).text : arg().text})`, kind: 'exact' };
      case 5: return { text: `avg(${arg(SUM_LIMIT).text})`, kind: 'float' };
      case 6: return { text: `stddev(${arg(STDDEV_LIMIT).text})`, kind: 'float' };
      case 7: return { text: `hist(${arg().text})`, kind: 'exact' };
      case 8: {
        const a = arg();
        const step = BigInt(r.pick([1, 2, 7, 64, 100, 4096, 1 << 20]));
        const buckets = BigInt(r.chance(0.9) ? r.range(1, 40) : r.range(41, 1000));
        const lo = r.chance(0.5) ? this.ints.constantFor(a) : a.lo > -BOUND / 2n ? a.lo : 0n;
        const lit = (v: bigint): string => (v < 0n ? `-${-v}` : String(v));
        return { text: `lhist(${a.text}, ${lit(lo)}, ${lit(lo + step * buckets)}, ${step})`, kind: 'exact' };
      }
      case 9: case 10: return { text: `${r.pick(QUANTILES)}(${this.quantileArgument(arg).text})`, kind: 'approx' };
      case 11: return { text: `quantile(${this.quantileArgument(arg).text}, ${r.pick(QUANTILE_QS)})`, kind: 'approx' };
      case 12: {
        // DuckDB-only aggregates: both plans stream.
        const s = r.pick(this.ownStrings()).name;
        return r.chance(0.5) ? { text: `count(DISTINCT ${arg().text})`, kind: 'exact' } : { text: `${r.pick(['min', 'max'])}(${s})`, kind: 'exact' };
      }
      default: {
        // Arithmetic over aggregates, computed by DuckDB from the kernel's values.
        const a = arg(SUM_LIMIT).text;
        switch (r.int(4)) {
          case 0: return { text: `max(${a}) - min(${a})`, kind: 'exact' };
          case 1: return { text: `count(*) * ${r.range(1, 9)} + ${r.int(5)}`, kind: 'exact' };
          case 2: return { text: `sum(${a}) / count(*)`, kind: 'float' };
          default: return { text: `avg(${a}) * 2`, kind: 'float' };
        }
      }
    }
  }

  /** An aggregate whose windows' values merge into the value over all of them, with how. */
  private windowAggregate(): { text: string; merge: MergeOp } {
    const r = this.rng;
    const arg = (limit = BOUND): IntExpr => this.ints.expr(r.pick([0, 0, 1, 2]), limit);
    switch (r.int(5)) {
      case 0: return { text: 'count(*)', merge: 'sum' };
      case 1: return { text: `count(${arg().text})`, merge: 'sum' };
      case 2: return { text: `sum(${arg(SUM_LIMIT).text})`, merge: 'sum' };
      case 3: return { text: `min(${arg().text})`, merge: 'min' };
      default: return { text: `max(${arg().text})`, merge: 'max' };
    }
  }

  /**
   * A query with EVERY: grouped or global, every key shown, aggregates that merge across windows,
   * no HAVING, ORDER BY or LIMIT (each would act on each window alone).
   */
  private windowedQuery(): { sql: string; kinds: ColumnKind[]; every: { ms: number; merge: MergeOp[] } } {
    const r = this.rng;
    const drawn = r.chance(0.8) ? Array.from({ length: r.range(1, 3) }, () => this.key()) : [];
    const keys = drawn.filter((k, i) => drawn.findIndex((x) => x.text === k.text) === i);
    const aggregates = Array.from({ length: r.range(1, 4) }, () => this.windowAggregate());
    let items = [...keys.map((k): { text: string; merge: MergeOp } => ({ text: k.text, merge: 'key' })), ...aggregates];
    if (r.chance(0.3)) items = [...items].reverse();
    const seen = new Set<string>();
    const select = items.map((it, i) => {
      const alias = seen.has(it.text) || r.chance(0.4) ? ` AS c${i}` : '';
      seen.add(it.text);
      return `${it.text}${alias}`;
    });
    const ms = r.pick(EVERY_MS);
    const parts = [`SELECT ${select.join(', ')}`, `FROM ${this.table.name}`, `WHERE ${this.where()}`];
    if (keys.length > 0) parts.push(`GROUP BY ${keys.map((k) => k.text).join(', ')}`);
    parts.push(`EVERY ${ms}ms`);
    return { sql: parts.join(' '), kinds: items.map(() => 'exact'), every: { ms, merge: items.map((it) => it.merge) } };
  }

  /** An exact aggregate condition for HAVING; now and then on an exact item by its alias. */
  private havingCondition(aliases: readonly string[]): string {
    const r = this.rng;
    if (aliases.length > 0 && r.chance(0.25)) return `${r.pick(aliases)} ${r.pick(['>', '<=', '!='])} ${r.range(0, 5)}`;
    switch (r.int(4)) {
      case 0: return `count(*) ${r.pick(COMPARE)} ${r.range(0, 12)}`;
      case 1: {
        const a = this.ints.expr(r.pick([0, 1]), SUM_LIMIT);
        return `sum(${a.text}) ${r.pick(COMPARE)} ${this.ints.comparable(a).text}`;
      }
      case 2: {
        const a = this.ints.expr(r.pick([0, 1]));
        return `${r.pick(['min', 'max'])}(${a.text}) ${r.pick(COMPARE)} ${this.ints.comparable(a).text}`;
      }
      default: return `count(*) > ${r.range(0, 3)} ${r.pick(['AND', 'OR'])} count(*) < ${r.range(2, 40)}`;
    }
  }

  /**
   * A GROUP BY key; never a constant: DuckDB takes an integer literal (even a negative one) for a
   * column position, where the kernel groups by its value.
   */
  private key(): { text: string; int: boolean } {
    const r = this.rng;
    if (r.chance(0.08)) return { text: this.spell(r.pick(STACK_VALUES)), int: false };
    const roll = r.int(10);
    // Grouped by a container now and then: the kernel groups by cgroup id, DuckDB merges by name.
    if (roll < 3) return { text: this.spell(r.chance(0.15) ? 'container_name' : r.pick(this.ownStrings()).name), int: false };
    if (roll < 6) return { text: this.ints.column().text, int: true };
    if (roll < 9) {
      // Now and then a DOUBLE key from `/`: DuckDB groups by it, in both plans.
      if (r.chance(0.1)) return { text: this.ints.quotient(r.range(0, 2)).text, int: false };
      const e = this.ints.expr(r.range(1, 3));
      return { text: e.constant ? this.ints.column().text : e.text, int: true };
    }
    const c = this.ints.column();
    return { text: `${c.text} ${r.pick(['<', '>=', '='])} ${this.ints.comparable(c).text}`, int: false };
  }

  private rowItem(): Item {
    const r = this.rng;
    if (r.chance(0.08)) return exactItem(this.spell(r.pick(STACK_VALUES)), true);
    const roll = r.int(10);
    if (roll < 3) return exactItem(r.pick(this.table.strings).name, true);
    if (roll < 8) {
      const e = this.ints.expr(r.range(0, 2));
      return exactItem(e.text, !e.constant);
    }
    // Each row's quotient is the same DOUBLE in both plans.
    if (roll < 9) return exactItem(this.ints.quotient(r.range(0, 2)).text, true);
    return exactItem(this.bool(1), true);
  }

  query(): { sql: string; kinds: ColumnKind[]; every?: { ms: number; merge: MergeOp[] } } {
    const r = this.rng;
    if (r.chance(0.15)) return this.windowedQuery();
    const shape = r.pick(['rows', 'grouped', 'grouped', 'grouped', 'global']);
    const drawn = shape === 'grouped' ? Array.from({ length: r.chance(0.9) ? r.range(1, 3) : r.range(4, 6) }, () => this.key()) : [];
    const keys = drawn.filter((k, i) => drawn.findIndex((x) => x.text === k.text) === i);
    const aggregates = shape === 'rows' ? [] : Array.from({ length: r.chance(0.9) ? r.range(1, 4) : r.range(5, 8) }, () => this.aggregate());
    const fuzzy = aggregates.some((a) => a.kind !== 'exact');
    // Keys make rows unique: with fuzzy values beside them, they are what pairs rows up.
    const shownKeys = keys.filter(() => fuzzy || r.chance(0.85));
    const intKeys = keys.filter((k) => k.int);
    // A key and an aggregate in one expression: DuckDB computes it from the kernel's key and value.
    const mixed: Item[] = intKeys.length > 0 && r.chance(0.2) ? [exactItem(`(${r.pick(intKeys).text}) ${r.pick(['+', '-', '*'])} count(*)`, true, true)] : [];
    let items: Item[] = shape === 'rows'
      ? Array.from({ length: r.range(1, 4) }, () => this.rowItem())
      : [...shownKeys.map((k) => exactItem(k.text, true)), ...aggregates.map((a) => ({ text: a.text, kind: a.kind, sortable: a.kind === 'exact', scalarAggregate: a.scalar })), ...mixed];
    if (r.chance(0.3)) items = [...items].reverse();

    // Unique output names: an alias where the same expression appears twice, and now and then anyway.
    const seen = new Set<string>();
    const select = items.map((it, i) => {
      const alias = seen.has(it.text) || r.chance(0.4) ? `c${i}` : undefined;
      seen.add(it.text);
      return { ...it, alias, ref: alias ?? it.text };
    });

    const parts = [`SELECT ${select.map((s) => (s.alias ? `${s.text} AS ${s.alias}` : s.text)).join(', ')}`, `FROM ${this.table.name}`, `WHERE ${this.where()}`];
    if (keys.length > 0) parts.push(`GROUP BY ${keys.map((k) => select.find((s) => s.text === k.text && s.alias && r.chance(0.3))?.alias ?? k.text).join(', ')}`);
    const havingAliases = select.flatMap((s) => (s.alias && s.kind === 'exact' && s.scalarAggregate ? [s.alias] : []));
    if (shape !== 'rows' && r.chance(shape === 'grouped' ? 0.3 : 0.1)) parts.push(`HAVING ${this.havingCondition(havingAliases)}`);

    // A LIMIT is deterministic only under an order over every exact column, which keys make total.
    const allKeysShown = shownKeys.length === keys.length;
    const limited = shape !== 'global' && (shape === 'rows' || allKeysShown) && r.chance(0.3);
    if (limited || r.chance(0.3)) {
      const sortable = select.filter((s) => s.sortable).map((s) => s.ref);
      const order = limited ? shuffle(r, sortable) : sortable.filter(() => r.chance(0.6));
      // An aggregate the SELECT list does not show may order the groups too.
      if (shape === 'grouped' && r.chance(0.2)) order.splice(r.int(order.length + 1), 0, r.pick(['count(*)', `sum(${this.ints.expr(1, SUM_LIMIT).text})`]));
      if (order.length > 0) parts.push(`ORDER BY ${order.map((o) => `${o}${r.chance(0.4) ? ' DESC' : ''}`).join(', ')}`);
      if (limited) parts.push(`LIMIT ${r.range(1, 8)}`);
    } else if (shape === 'rows' && r.chance(0.2)) {
      // More rows than the workload makes in any table (but fewer than the machine may make in a
      // round): a plan may stop early only counting rows that passed every filter.
      parts.push('LIMIT 2000');
    }
    return { sql: parts.join(' '), kinds: select.map((s) => s.kind) };
  }
}

function pickTable(rng: Rng, tables: readonly DiffTable[]): DiffTable {
  const total = tables.reduce((n, t) => n + (TABLE_WEIGHTS[t.name] ?? 1), 0);
  let roll = rng.int(total);
  for (const t of tables) {
    roll -= TABLE_WEIGHTS[t.name] ?? 1;
    if (roll < 0) return t;
  }
  return tables[tables.length - 1]!;
}

/** The query of one seed: a pure function of the seed and the workload's names. */
export function generateQuery(seed: number, names: WorkloadNames): DiffQuery {
  const rng = new Rng(seed);
  const table = pickTable(rng, diffTables(names));
  const { sql, kinds, every } = new QueryGen(rng, table, names).query();
  // A kernel query with EVERY is a statement of its own (a subquery has no windows).
  const embedded = rng.chance(0.1) && every === undefined;
  return { seed, table: table.name, scoped: table.scoped || namesStack(sql), embedded, sql, kinds, ...(every ? { every } : {}) };
}

/** The query names a stack column (however spelled). */
export function namesStack(sql: string): boolean {
  return /\b[ku]stack\b/i.test(sql);
}

/** The statement that runs the query: the query itself, or one with the query as its subquery. */
export function statementOf(q: DiffQuery): string {
  return q.embedded ? `SELECT * FROM (${q.sql}) AS sub` : q.sql;
}

/** `count` queries of a run seeded with `seed` (query i has seed caseSeed(seed, i)). */
export function generateQueries(seed: number, count: number, names: WorkloadNames): DiffQuery[] {
  return Array.from({ length: count }, (_, i) => generateQuery(caseSeed(seed, i), names));
}
