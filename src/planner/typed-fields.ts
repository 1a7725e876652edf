// Kernel structs in a query, and the hook that reads them. A dotted name whose first part is an
// argument of the table's event (`next.comm` on tracepoint.sched.sched_switch) or `current` (the
// current task, on every table) is a member path, resolved through BTF (member-paths.ts) into a
// column of its own, named by the path. Other dotted names keep their meaning (`t.c` is c).
// Names the table defines win: an argument named like a common column is not reachable by that
// name, and `current` is the current task only where nothing else has that name.
//
// Pay for what the query uses: a `tracepoint.<category>.<event>` query that reads no field of the
// formatted record (only common columns, arguments and member paths) runs on the event's tp_btf
// hook (KernelTable.typed); one that reads a record field stays on the classic hook, and one that
// reads both is refused with the reason. A name that is both a record field and an argument
// (inet_sock_set_state's newstate) follows the rest of the query: the argument where the query
// reads another argument, else the record field, as before arguments were columns; where the
// field is the argument copied (raw_syscalls' id), either gives the same value, and tp_btf is
// taken unless another record field is read.
import type { TracepointArg } from '../catalog/btf-types.js';
import { ARG_SLOT } from '../catalog/arg-columns.js';
import type { Column } from '../catalog/column.js';
import type { KernelTable } from '../catalog/table.js';
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import { closest } from '../diag/messages.js';
import type { Span } from '../diag/span.js';
import type { Expr, SelectQuery } from '../query/ast.js';
import { columnRefs, mapChildren, queryExprs } from './expr-walk.js';
import type { PathStart } from './member-paths.js';
import { membersAfter, pathName, resolvePath } from './member-paths.js';
import type { PlannerEnv } from './offsets.js';
import { OffsetUnavailableError } from './offsets.js';

/** The name of the current task's paths. */
export const CURRENT = 'current';

type ColumnRef = Extract<Expr, { kind: 'column' }>;

/** Where a dotted reference starts, when it is a member path. */
function startOf(ref: ColumnRef, table: KernelTable): { readonly start: 'current' } | { readonly start: TracepointArg } | undefined {
  const first = ref.parts?.[0]?.name.toLowerCase();
  if (first === undefined || isTableName(first, table)) return undefined;
  const arg = table.typed?.args.find((a) => a.name === first);
  if (arg !== undefined) return { start: arg };
  if (first === CURRENT && !table.columns.some((c) => c.name === CURRENT)) return { start: 'current' };
  return undefined;
}

/** `exec.pid` names exec's column; so does `sched_switch.prev_pid` on tracepoint.sched.sched_switch. */
function isTableName(name: string, table: KernelTable): boolean {
  return name === table.name || name === table.name.split('.').pop();
}

/**
 * A plain name that is an argument of the event; `shared` when a record field has the name too,
 * `copied` when that field is the argument copied (catalog/record-copies.ts): the same value on
 * either hook.
 */
function plainArg(ref: ColumnRef, table: KernelTable): { readonly arg: TracepointArg; readonly shared: boolean; readonly copied: boolean } | undefined {
  if (ref.parts !== undefined) return undefined;
  const name = ref.name.toLowerCase();
  const arg = table.typed?.table?.columns.some((c) => c.name === name) === true || table.typed?.table === undefined ? table.typed?.args.find((a) => a.name === name) : undefined;
  return arg === undefined ? undefined : { arg, shared: table.columns.some((c) => c.name === name), copied: table.typed?.copiedToRecord?.includes(name) === true };
}

function typesOf(env: PlannerEnv, path: string, span: Span): ReturnType<PlannerEnv['btfTypes']> {
  try {
    return env.btfTypes();
  } catch (e) {
    if (e instanceof OffsetUnavailableError) throw new QueryError([diagnostic('column-unavailable', { name: path, reason: e.message }, span)]);
    throw e;
  }
}

function pathStart(start: 'current' | TracepointArg, btf: ReturnType<PlannerEnv['btfTypes']>, span: Span): PathStart {
  if (start !== 'current') return { from: start.index * ARG_SLOT, type: start.type };
  const task = btf.struct('task_struct');
  if (task === undefined) throw new QueryError([diagnostic('column-unavailable', { name: CURRENT, reason: 'the kernel\'s BTF has no struct task_struct' }, span)]);
  return { from: 'current', type: { kind: 'pointer', to: task } };
}

/** The first reference to a field of the event's formatted record (or a `*`, which brings them all). */
function firstRecordField(q: SelectQuery, refs: readonly ColumnRef[], classic: KernelTable, typed: KernelTable): { readonly name: string; readonly span: Span } | undefined {
  const star = q.items.find((i) => i.kind === 'star');
  if (star !== undefined) return { name: '*', span: star.span };
  return refs.find((r) => {
    if (r.parts !== undefined && r.parts.length > 2) return false;
    const name = r.name.toLowerCase();
    return classic.columns.some((c) => c.name === name) && !typed.columns.some((c) => c.name === name);
  });
}

/** `table` with `extra` columns on every form of it (its further events and its entry-only form too). */
function withColumns(table: KernelTable, extra: readonly Column[]): KernelTable {
  if (extra.length === 0) return table;
  return {
    ...table,
    columns: [...table.columns, ...extra],
    ...(table.also ? { also: table.also.map((o) => ({ ...o, columns: [...o.columns, ...extra] })) } : {}),
    ...(table.entryOnly ? { entryOnly: withColumns(table.entryOnly, extra) } : {}),
  };
}

/**
 * The query with its member paths as plain column names, and the table (on the hook the query
 * pays for) with a column for each path. Throws QueryError for a path BTF refutes and for a
 * query that needs two hooks.
 */
export function withTypedFields(q: SelectQuery, table: KernelTable, env: PlannerEnv): { readonly query: SelectQuery; readonly table: KernelTable } {
  const refs = queryExprs(q).flatMap((e) => columnRefs(e));
  const paths = new Map<string, Column>();
  let argument: { readonly name: string; readonly span: Span } | undefined;
  let shared = false;
  for (const ref of refs) {
    const arg = plainArg(ref, table);
    // A copied field asks for neither hook: the rest of the query chooses, tp_btf when it can.
    if (arg !== undefined && arg.copied) continue;
    if (arg !== undefined && arg.shared) shared = true;
    else if (arg !== undefined) argument ??= { name: arg.arg.name, span: ref.span };
    const found = startOf(ref, table);
    if (found === undefined) {
      const first = ref.parts?.[0];
      if (first !== undefined && ref.parts!.length > 2) {
        const starts = [...(table.typed?.args.map((a) => a.name) ?? []), CURRENT];
        throw new QueryError([diagnostic('unknown-column', { name: first.name, table: table.name, suggestions: closest(first.name, starts) }, first.span)]);
      }
      continue;
    }
    const parts = ref.parts!;
    const name = pathName(parts);
    if (found.start !== 'current') argument ??= { name: found.start.name, span: parts[0]!.span };
    if (paths.has(name)) continue;
    const btf = typesOf(env, name, ref.span);
    paths.set(name, resolvePath(parts, pathStart(found.start, btf, parts[0]!.span), btf));
  }
  const query = paths.size === 0 ? q : rewrite(q, table);
  return { query, table: withColumns(onHook(q, refs, table, argument, shared), [...paths.values()]) };
}

/** The table the query runs on: tp_btf when it reads no record field, else classic (see the top). */
function onHook(q: SelectQuery, refs: readonly ColumnRef[], table: KernelTable, argument: { readonly name: string; readonly span: Span } | undefined, shared: boolean): KernelTable {
  const typed = table.typed;
  if (typed === undefined) return table;
  if (typed.table === undefined) {
    if (argument !== undefined) throw new QueryError([diagnostic('arguments-need-raw-hook', { argument: argument.name, reason: 'BPFQL_HOOK=tracepoint keeps every table on the classic tracepoint hook' }, argument.span)]);
    return table;
  }
  const field = firstRecordField(q, refs, table, typed.table);
  if (field !== undefined && argument !== undefined) throw new QueryError([diagnostic('arguments-with-fields', { argument: argument.name, field: field.name }, argument.span)]);
  return field !== undefined || (shared && argument === undefined) ? table : typed.table;
}

/** For completion: the members after the dotted `parts` of a path on `table` (`next` → prio, comm, …). */
export function completeMembers(table: KernelTable, parts: readonly string[], env: PlannerEnv): readonly string[] {
  const first = parts[0]?.toLowerCase();
  const arg = table.typed?.args.find((a) => a.name === first);
  const start = arg ?? (first === CURRENT && !table.columns.some((c) => c.name === CURRENT) ? 'current' : undefined);
  if (start === undefined) return [];
  const btf = env.btfTypes();
  return membersAfter(parts, pathStart(start, btf, { start: 0, end: 0 }), btf);
}

function rewrite(q: SelectQuery, table: KernelTable): SelectQuery {
  const path = (e: Expr): Expr => {
    if (e.kind === 'column') return e.parts !== undefined && startOf(e, table) !== undefined ? { kind: 'column', name: pathName(e.parts), span: e.span } : e;
    return mapChildren(e, path);
  };
  return {
    ...q,
    items: q.items.map((i) => (i.kind === 'expr' ? { ...i, expr: path(i.expr) } : i)),
    ...(q.where ? { where: path(q.where) } : {}),
    groupBy: q.groupBy.map(path),
    ...(q.having ? { having: path(q.having) } : {}),
    orderBy: q.orderBy.map((o) => ({ ...o, expr: path(o.expr) })),
  };
}
