// Checking the DuckDB part of a kernel query before anything is loaded into the kernel. The
// residual SQL runs over a one-row table of NULLs with the kernel rows' columns, inside a
// transaction that is rolled back: DuckDB then binds every name, function and type, and
// evaluates every constant conversion (`pid = 'x'`, a bad regular expression), as it would after
// the run — but before it, so a mistake costs nothing traced. CREATE TABLE / INSERT INTO targets
// are checked the same way (a table that already exists, a column count that differs).
import { duckdbType } from '../catalog/types.js';
import { QueryError } from '../diag/diagnostic.js';
import { isKernelAggregate } from '../functions/registry.js';
import type { Expr, SelectQuery } from '../query/ast.js';
import { someExpr } from '../planner/expr-walk.js';
import type { Plan } from '../planner/plan.js';
import { residualOver, type Target } from '../store/materialize.js';
import type { Session } from '../store/session.js';
import { quoteIdent } from '../query/quote.js';
import { duckdbDiagnostic, duckdbFailure } from './duckdb-error.js';
import { assertNever } from '../diag/assert-never.js';

const CHECK_TABLE = '__bpfql_check';

/** Parts only DuckDB can judge: functions other than bpfql's aggregates, casts, CASE, text and float constants, `||`. */
function needsDuckdb(e: Expr): boolean {
  return someExpr(e, (x) =>
    x.kind === 'cast' || x.kind === 'case' ||
    (x.kind === 'call' && !isKernelAggregate(x.name.toLowerCase())) ||
    (x.kind === 'literal' && (x.value.type === 'string' || x.value.type === 'float')) ||
    (x.kind === 'binary' && x.op === '||'));
}

/**
 * Whether DuckDB could refuse this query's residual SQL. When every filter runs in the kernel and
 * the rest is columns, bpfql's aggregates and integer operators — which the planner has already
 * bound and typed — there is nothing to check, and DuckDB keeps loading while the program attaches.
 */
export function duckdbMayRefuse(q: SelectQuery, plan: Plan, target: Target): boolean {
  if (target.kind !== 'replace' || plan.residualFilters.length > 0) return true;
  const exprs = [...q.items.flatMap((i) => (i.kind === 'expr' ? [i.expr] : [])), ...q.groupBy, ...(q.having ? [q.having] : []), ...q.orderBy.map((o) => o.expr)];
  return exprs.some(needsDuckdb);
}

/** The statement the check runs: the residual over the check table, into the target. */
function probeSql(plan: Plan, target: Target): string {
  const residual = residualOver(plan.residualSql, CHECK_TABLE);
  switch (target.kind) {
    case 'replace': return residual;
    case 'create': return `CREATE TABLE ${target.table} AS ${residual}`;
    case 'insert': return `INSERT INTO ${target.table} ${residual}`;
    default:
      return assertNever(target.kind);
  }
}

/** The one-row table of NULLs standing for a kernel query's rows. */
function nullRow(plan: Plan, table: string): string {
  const nulls = plan.kernelColumns.map((c) => `CAST(NULL AS ${duckdbType(c.type)}) AS ${quoteIdent(c.name)}`);
  return `CREATE TEMP TABLE ${table} AS SELECT ${nulls.length > 0 ? nulls.join(', ') : 'NULL AS none'}`;
}

async function checked(session: Session, setup: readonly string[], probe: string, text: string, table: string): Promise<void> {
  const error = await session.check(setup, probe);
  if (error === undefined) return;
  const failure = duckdbFailure(error, probe);
  if (failure === undefined) throw error;
  throw new QueryError([duckdbDiagnostic(failure, probe, text, table)]);
}

/** Throws a QueryError, ranged in the user's `text`, when DuckDB refuses the query's DuckDB part. */
export async function checkDuckdbPart(session: Session, plan: Plan, text: string, target: Target): Promise<void> {
  await checked(session, [nullRow(plan, CHECK_TABLE)], probeSql(plan, target), text, plan.table);
}

/**
 * The DuckDB statement around kernel subqueries (`outer`, each subquery already replaced by its
 * table): each table is made from its query's residual over a row of NULLs, then the statement
 * is checked against them, before any of the subqueries runs.
 */
export async function checkAround(session: Session, subs: readonly { readonly plan: Plan; readonly table: string }[], outer: string, text: string): Promise<void> {
  const setup = subs.flatMap((s, i) => [
    nullRow(s.plan, `${CHECK_TABLE}${i}`),
    `CREATE TEMP TABLE ${s.table} AS ${residualOver(s.plan.residualSql, `${CHECK_TABLE}${i}`)}`,
  ]);
  await checked(session, setup, outer, text, subs[0]?.plan.table ?? 'the kernel rows');
}
