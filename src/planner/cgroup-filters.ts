// Filters on the cgroup text columns (cgroup, container_id, pod_name, …) in the kernel. The
// kernel has only the task's cgroup id, so `container_id = '3f2a…'`, `pod_name = 'api'` and
// `cgroup LIKE '/kubepods.slice/%'` become one test: is the id in a set the runtime keeps (a hash
// map filled with the ids that match when the query starts and with cgroups made later; see
// bpf-templates/cgroup-sets.ts). Only whole WHERE conjuncts of that form are taken: in a WHERE a
// NULL text and a false test both drop the row, which is not so inside NOT or OR-ed with other
// tests, nor in a SELECT list.
import type { CgroupFilter, Column } from '../catalog/column.js';
import { CONTAINER_ID_PREFIX } from '../catalog/containers.js';
import { BOOL, U64 } from '../catalog/types.js';
import type { Expr } from '../query/ast.js';
import { quoteString } from '../query/quote.js';
import { mapChildren } from './expr-walk.js';
import type { KExpr } from './kexpr.js';
import type { Scope } from './scope.js';

/** The map a query's n-th cgroup set is kept in (short: the kernel keeps 15 characters of `bpfql_<name>`). */
export function cgroupSetMap(n: number): string {
  return `cgset${n}`;
}

function cgroupColumn(e: Expr, scope: Scope): Column | undefined {
  if (e.kind !== 'column') return undefined;
  const c = scope.find(e.name);
  return c?.source.kind === 'cgroup' ? c : undefined;
}

/** The filter a WHERE conjunct is, when it is `col = 'text'`, `'text' = col` or `col LIKE 'pattern'` on a cgroup text column. */
function filterOf(e: Expr, scope: Scope): { column: Column; filter: CgroupFilter } | undefined {
  const text = (x: Expr): string | undefined => (x.kind === 'literal' && x.value.type === 'string' ? x.value.value : undefined);
  if (e.kind === 'binary' && e.op === '=') {
    for (const [col, lit] of [[e.left, e.right], [e.right, e.left]] as const) {
      const c = cgroupColumn(col, scope);
      const value = text(lit);
      if (c?.source.kind === 'cgroup' && value !== undefined) return { column: c, filter: { attr: c.source.attr, match: 'equals', value } };
    }
  }
  if (e.kind === 'like' && !e.negated && !e.caseInsensitive) {
    const c = cgroupColumn(e.operand, scope);
    const value = text(e.pattern);
    if (c?.source.kind === 'cgroup' && value !== undefined) return { column: c, filter: { attr: c.source.attr, match: 'like', value } };
  }
  return undefined;
}

/** How a set's filter reads in EXPLAIN. */
export function describeCgroupFilter(f: CgroupFilter): string {
  return `${f.attr} ${f.match === 'like' ? 'LIKE' : '='} ${quoteString(f.value)}`;
}

/**
 * A WHERE conjunct on a cgroup text column as the test of the task's cgroup id against set
 * `map`; undefined when the conjunct is not such a filter.
 */
export function cgroupSetTest(e: Expr, scope: Scope, map: string): KExpr | undefined {
  const found = filterOf(e, scope);
  if (!found) return undefined;
  const column: Column = {
    name: `cgroup_id IN ${map} (${describeCgroupFilter(found.filter)})`,
    type: BOOL,
    source: { kind: 'cgroup-set', map, filter: found.filter, ...(found.column.source.kind === 'cgroup' && found.column.source.entry ? { entry: true as const } : {}) },
    description: `whether the task's cgroup is one whose ${found.filter.attr} matches`,
  };
  return { kind: 'column', column, signed: false };
}

/** Why the kernel does not compute a cgroup text column in any other use. */
export function cgroupRefusal(c: Column): string {
  return `'${c.name}' is named from the cgroup id in user space, so DuckDB computes this; the kernel takes only WHERE ${c.name} = 'text' or LIKE 'pattern'`;
}

/**
 * The expression with `container_id = '<prefix>'` (a prefix of CONTAINER_ID_PREFIX characters or
 * more, as `docker ps` shows ids) written as DuckDB's starts_with, which is what the kernel's set
 * holds: the filter means the same wherever it runs. `aliases` (SELECT-list names) are left alone.
 */
export function containerIdPrefixes(e: Expr, scope: Scope, aliases: readonly string[] = []): Expr {
  if (e.kind === 'binary' && e.op === '=') {
    for (const [col, lit] of [[e.left, e.right], [e.right, e.left]] as const) {
      const c = cgroupColumn(col, scope);
      if (col.kind !== 'column' || aliases.some((a) => a.toLowerCase() === col.name.toLowerCase())) continue;
      if (c?.source.kind === 'cgroup' && c.source.attr === 'container_id' && lit.kind === 'literal' && lit.value.type === 'string' && lit.value.value.length >= CONTAINER_ID_PREFIX) {
        return { kind: 'call', name: 'starts_with', args: [col, lit], distinct: false, star: false, span: e.span };
      }
    }
  }
  return mapChildren(e, (x) => containerIdPrefixes(x, scope, aliases));
}

/**
 * A group key on a cgroup text column: the kernel groups by the cgroup id, and DuckDB merges the
 * groups whose cgroups share the text (one runtime, one pod, a path made again).
 */
export function isCgroupKey(k: { readonly expr: KExpr }): boolean {
  return k.expr.kind === 'column' && k.expr.column.source.kind === 'cgroup';
}

/** The aggregates whose per-cgroup results DuckDB can merge, and how. */
const MERGE: Readonly<Record<string, string>> = { count: 'sum', sum: 'sum', min: 'min', max: 'max' };

export function isMergeable(fn: string): boolean {
  return MERGE[fn] !== undefined;
}

/** `a` (the column of one kernel aggregate `fn`) merged over the groups DuckDB puts together, in the kernel's type. */
export function mergedAggregate(fn: string, a: Expr, type: string): Expr {
  const merge = MERGE[fn];
  if (merge === undefined) throw new Error(`${fn}() results cannot be merged`);
  const call: Expr = { kind: 'call', name: merge, args: [a], distinct: false, star: false, span: a.span };
  return { kind: 'cast', operand: call, type, span: a.span };
}

/** A cgroup v2 and its descendants: its id and its level (the number of directories from the root to it). */
export interface CgroupTree {
  readonly id: bigint;
  readonly level: number;
}

/** `cgroup_id = id`, on tables with a cgroup_id column. */
function cgroupIs(scope: Scope, id: bigint): KExpr | undefined {
  const column = scope.find('cgroup_id');
  return column ? { kind: 'compare', op: '=', left: { kind: 'column', column, signed: false }, right: { kind: 'const', value: id, signed: false }, signed: false } : undefined;
}

/**
 * The task's ancestor at the tree's level is the tree's root: one helper call and one compare
 * however many cgroups the tree has or gets. Only where cgroup_id is the current task's: a table
 * whose cgroup_id is saved at an entry event of another task tests that, the root cgroup alone.
 */
function treeTest(scope: Scope, tree: CgroupTree): KExpr | undefined {
  const own = scope.find('cgroup_id');
  if (own?.source.kind !== 'builtin') return cgroupIs(scope, tree.id);
  const column: Column = {
    name: `ancestor_cgroup_id(${tree.level})`,
    type: U64,
    source: { kind: 'cgroup-ancestor', level: tree.level },
    description: `the id of the task's cgroup v2 ancestor at level ${tree.level}`,
  };
  return { kind: 'compare', op: '=', left: { kind: 'column', column, signed: false }, right: { kind: 'const', value: tree.id, signed: false }, signed: false };
}

/** The test that keeps a query to one cgroup (`cgroupId`) or one cgroup's tree (`cgroupTree`), if either is given. */
export function commandCgroupTest(scope: Scope, opts: { readonly cgroupId?: bigint; readonly cgroupTree?: CgroupTree }): KExpr | undefined {
  if (opts.cgroupTree) return treeTest(scope, opts.cgroupTree);
  return opts.cgroupId === undefined ? undefined : cgroupIs(scope, opts.cgroupId);
}
