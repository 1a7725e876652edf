// The pipeline every front end uses (CLI, `bpfql run`, REPL): statement text in, result out.
// Kernel statements are parsed, planned, compiled, run in the kernel and finished by DuckDB;
// everything else goes to DuckDB unchanged.
import type { CompiledProgram } from '../bpf-templates/compile.js';
import { compileKernelPlan } from '../bpf-templates/compile.js';
import type { Catalog } from '../catalog/catalog.js';
import type { SelectQuery, Statement } from '../query/ast.js';
import { parseStatement } from '../query/parse.js';
import type { Plan } from '../planner/plan.js';
import { KERNEL_TABLE } from '../planner/plan.js';
import type { PlannerEnv, PlanOptions } from '../planner/planner.js';
import { planQuery } from '../planner/planner.js';
import { toRecordBatch } from '../sink/arrow.js';
import type { QueryResult } from '../sink/session.js';
import { Session } from '../sink/session.js';
import { classify } from './classify.js';
import type { Completeness } from './completeness.js';
import { explainPlan } from './explain.js';
import { kernelCatalog, kernelPlannerEnv } from './kernel-env.js';
import { runKernel } from './kernel-run.js';
import { describeTable, showTables } from './catalog-statements.js';

export interface EngineOptions extends PlanOptions {
  /** A DuckDB file to keep results in; in memory when absent. */
  readonly db?: string;
}

export interface RunContext {
  /** Ends running kernel queries early (Ctrl-C); their results are kept. */
  readonly signal?: AbortSignal;
  /** Also ends kernel queries (e.g. the traced command exited). */
  readonly until?: Promise<unknown>;
  readonly onTick?: (progress: { readonly rows: number; readonly elapsedMs: number }) => void;
  /** Called when a kernel query's program is attached. */
  readonly onAttached?: () => void;
}

export interface KernelRunInfo {
  readonly plan: Plan;
  readonly program: CompiledProgram;
  readonly completeness: Completeness;
  readonly startedAt: Date;
  readonly endedAt: Date;
  /** Rows or groups the kernel produced. */
  readonly kernelRows: number;
}

export type Outcome =
  | { readonly kind: 'rows'; readonly result: QueryResult; readonly kernel?: KernelRunInfo; readonly table?: string }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'done'; readonly message: string; readonly kernel?: KernelRunInfo };

export class Engine {
  private seq = 0;
  private readonly teardowns: (() => void)[] = [];

  private constructor(
    readonly session: Session,
    readonly catalog: Catalog,
    private readonly plannerEnv: PlannerEnv,
    private readonly opts: EngineOptions,
  ) {}

  static async open(opts: EngineOptions = {}, catalog: Catalog = kernelCatalog(), plannerEnv: PlannerEnv = kernelPlannerEnv): Promise<Engine> {
    return new Engine(await Session.open(opts.db), catalog, plannerEnv, opts);
  }

  /** Runs one statement (no trailing script splitting). */
  async execute(text: string, ctx: RunContext = {}): Promise<Outcome> {
    if (classify(text, this.catalog) === 'duckdb') return { kind: 'rows', result: await this.session.run(text) };
    return this.executeKernel(parseStatement(text), ctx);
  }

  /** Plans and compiles without running: for EXPLAIN and tests. */
  prepare(q: SelectQuery, opts: PlanOptions = {}): { plan: Plan; program: CompiledProgram } {
    const plan = planQuery(q, this.catalog, this.plannerEnv, { ...this.opts, ...opts });
    return { plan, program: compileKernelPlan(plan.kernel, plan.table) };
  }

  private async executeKernel(stmt: Statement, ctx: RunContext): Promise<Outcome> {
    switch (stmt.kind) {
      case 'show-tables': return { kind: 'rows', result: await showTables(this.catalog, this.session) };
      case 'describe': return { kind: 'rows', result: describeTable(this.catalog, stmt.table) };
      case 'explain': {
        const { plan, program } = this.prepare(stmt.query);
        return { kind: 'text', text: explainPlan(plan, program) };
      }
      case 'query': {
        const { info, residual, table } = await this.runQuery(stmt.query, ctx);
        await this.session.run(`CREATE OR REPLACE TABLE last AS ${residual}`);
        await this.session.run(`DROP TABLE IF EXISTS ${table}`);
        return { kind: 'rows', result: await this.session.run('SELECT * FROM last'), kernel: info, table: 'last' };
      }
      case 'create-table-as': {
        const { info, residual, table } = await this.runQuery(stmt.query, ctx);
        await this.session.run(`CREATE TABLE ${stmt.table} AS ${residual}`);
        await this.session.run(`DROP TABLE IF EXISTS ${table}`);
        return { kind: 'done', message: `created table ${stmt.table}`, kernel: info };
      }
      case 'insert-into': {
        const { info, residual, table } = await this.runQuery(stmt.query, ctx);
        await this.session.run(`INSERT INTO ${stmt.table} ${residual}`);
        await this.session.run(`DROP TABLE IF EXISTS ${table}`);
        return { kind: 'done', message: `inserted into ${stmt.table}`, kernel: info };
      }
    }
  }

  /** Runs the kernel part of a query into a fresh DuckDB table; returns the residual SQL over it. */
  private async runQuery(q: SelectQuery, ctx: RunContext): Promise<{ info: KernelRunInfo; residual: string; table: string }> {
    const { plan, program } = this.prepare(q);
    const table = `__bpfql_k${++this.seq}`;
    await this.session.createTable(table, plan.kernelColumns, { replace: true });
    const until = endOf(plan, ctx);
    const run = await runKernel(plan.kernel, program, {
      until,
      ...(plan.kernel.mode.kind === 'stream' && plan.limit !== undefined ? { rowLimit: plan.limit } : {}),
      onRows: async (batch) => this.session.append(table, toRecordBatch(batch)),
      ...(ctx.onTick ? { onTick: ctx.onTick } : {}),
      ...(ctx.onAttached ? { onAttached: ctx.onAttached } : {}),
    });
    this.teardowns.push(run.teardown);
    if (run.aggregate) await this.session.append(table, toRecordBatch(run.aggregate));
    const residual = plan.residualSql.replaceAll(KERNEL_TABLE, table);
    return {
      info: { plan, program, completeness: run.completeness, startedAt: run.startedAt, endedAt: run.endedAt, kernelRows: run.rows },
      residual,
      table,
    };
  }

  /** Detaches and frees every kernel object of finished queries. Slow (RCU): call after output. */
  teardownKernel(): void {
    for (const t of this.teardowns.splice(0)) t();
  }

  async close(): Promise<void> {
    this.teardownKernel();
    await this.session.close();
  }
}

/** Resolves when the query's FOR elapses, the signal aborts, or ctx.until resolves. */
function endOf(plan: Plan, ctx: RunContext): Promise<void> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = (): void => {
      if (timer) clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', done);
      resolve();
    };
    if (plan.durationMs !== undefined) timer = setTimeout(done, plan.durationMs);
    if (ctx.signal?.aborted) done();
    ctx.signal?.addEventListener('abort', done, { once: true });
    ctx.until?.then(done, done);
  });
}
