// The pipeline every front end uses (CLI, `bpfql run`, REPL): statement text in, result out.
// Kernel statements are parsed, planned, compiled, run in the kernel (src/runtime) and finished
// by DuckDB (src/store); everything else goes to DuckDB unchanged.
import type { CompiledProgram } from '../bpf-templates/compile.js';
import { compileKernelPlan } from '../bpf-templates/compile.js';
import { cgroupSets } from '../bpf-templates/cgroup-sets.js';
import type { Catalog } from '../catalog/catalog.js';
import type { Duration, SelectQuery, Statement } from '../query/ast.js';
import { parseStatement } from '../query/parse.js';
import type { Plan, Projected } from '../planner/plan.js';
import type { PlannerEnv } from '../planner/offsets.js';
import type { PlanOptions } from '../planner/planner.js';
import { planQuery } from '../planner/planner.js';
import { checkFunctionNames } from '../planner/function-names.js';
import type { QueryResult } from '../store/session.js';
import { Session } from '../store/session.js';
import { classify } from './classify.js';
import { kernelSubqueries, replaceSubqueries, type Subquery } from './embedded.js';
import { trailingFor } from './trailing-for.js';
import { diagnostic, QueryError, type Diagnostic } from '../diag/diagnostic.js';
import { closest } from '../diag/messages.js';
import { span } from '../diag/span.js';
import { codeTokens } from '../query/scan.js';
import { checkAround, checkDuckdbPart, duckdbMayRefuse } from './duckdb-check.js';
import { duckdbDiagnostic, duckdbFailure, locate } from './duckdb-error.js';
import { dottedTableGuesses, probeSpelling } from './probe-spelling.js';
import { doubleQuotedStrings } from './quoted-strings.js';
import type { Completeness } from '../runtime/completeness.js';
import { explainEmbedded, explainPlan } from './explain.js';
import { WindowAbandoned, WindowGate } from '../runtime/window-gate.js';
import { kernelCatalog, kernelPlannerEnv } from '../runtime/kernel-env.js';
import { runKernel } from '../runtime/kernel-run.js';
import type { KernelProgress, Window, WindowHealth } from '../runtime/run-options.js';
import { Materialization, type Target } from '../store/materialize.js';
import { recordRun, RUNS_TABLE_SQL } from '../store/runs-table.js';
import { recordCgroups } from '../store/cgroups-table.js';
import { cgroupsBatch } from '../runtime/cgroup-names.js';
import { quoteIdent } from '../query/quote.js';
import { createCatalogTables, describeTable, mentionsCatalogTables, showTables } from './catalog-statements.js';
import { describeStruct } from './describe-btf.js';
import { decoderMacrosSql } from '../catalog/decoders.js';
import { duckdbAggregateMacros } from '../functions/duckdb-macros.js';
import { runProgress, type RunProgress } from '../runtime/progress.js';
import { checkMapMemory } from '../runtime/map-memory.js';
import { possibleCpus } from '../kernel/cpus.js';
import { memoryAvailable } from '../kernel/memory.js';
import { verifierBugOr } from './bug-report.js';
import { directProjection, directResult } from './direct-result.js';
import { LiveRows, type RowSink } from './live-rows.js';
import { isStreamable } from '../planner/streamable.js';
import { assertNever } from '../diag/assert-never.js';

/** How often a query whose rows are shown live reads its ring buffer (otherwise every 50 ms). */
const LIVE_POLL_MS = 10;

export interface EngineOptions extends PlanOptions {
  /** A DuckDB file to keep results in; in memory when absent. */
  readonly db?: string;
}

export interface RunContext {
  /** Ends running kernel queries early (Ctrl-C); their results are kept. */
  readonly signal?: AbortSignal;
  /** Also ends kernel queries (e.g. the traced command exited). */
  readonly until?: Promise<unknown>;
  /** Called a few times a second while a kernel query runs (live views). */
  readonly onTick?: (progress: Progress) => void;
  /** Called when a kernel query's programs (this many) are attached. */
  readonly onAttached?: (programs: number) => void;
  /** EVERY: called with each window's rows as it closes, and its bounds and the programs' health then. */
  readonly onWindow?: (rows: QueryResult, window: ClosedWindow) => void;
  /**
   * For queries that run for days at once (`bpfql serve`'s metrics, `bpfql watch`'s rules): the
   * result goes to this table, made for the query instead of `last`, and with EVERY it holds the
   * latest window only (otherwise every window is kept).
   */
  readonly latestWindowIn?: string;
  /**
   * With EVERY and onWindow: windows are not kept in any table, only handed to onWindow as the
   * query's rows alone, without window_start and window_end (the result is then empty). For
   * `bpfql serve`, whose metrics keep what they need of each window: DuckDB runs one statement a
   * window instead of three, and none when the plan only renames the kernel's columns
   * (direct-result.ts).
   */
  readonly keepWindows?: boolean;
  /**
   * A bare query whose rows each come from one event (planner/streamable.ts): its rows go here
   * as they arrive, and the outcome says `streamed`. Other statements ignore it.
   */
  readonly onRows?: RowSink;
  /**
   * Rows that went to onRows are also kept for the result (`last`) unless this is false: a
   * watch that runs for days keeps none, so its memory stays flat (its result is then empty).
   */
  readonly keepStreamed?: boolean;
  /**
   * Load DuckDB and ready the per-batch path before attaching, not after: for a watch that runs
   * for days the first alerts matter more than the half second before the kernel counts.
   */
  readonly readyBeforeAttach?: boolean;
  /**
   * A query whose DuckDB part only renames the kernel's columns gets its result without DuckDB
   * (direct-result.ts), and leaves no table `last` and no row in bpfql_runs: for a front end
   * that runs one query, prints it and ends (the CLI without -o). Ignored with a database file.
   */
  readonly direct?: boolean;
}

/** How a running kernel query is doing, for live views. */
export interface Progress extends RunProgress {
  /** Aggregate mode: the result as it would be if the query ended now. */
  readonly current?: QueryResult;
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

/** A window as onWindow gets it: its bounds (µs of the wall clock) and the programs' health when it closed. */
export interface ClosedWindow {
  readonly startUs: number;
  readonly endUs: number;
  readonly health: WindowHealth;
}

export type Outcome =
  /** `streamed`: the rows went to RunContext.onRows as they arrived (they are in `result` too). */
  | { readonly kind: 'rows'; readonly result: QueryResult; readonly kernel?: KernelRunInfo; readonly table?: string; readonly streamed?: boolean }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'done'; readonly message: string; readonly kernel?: KernelRunInfo };

/** A query planned and compiled. */
export interface Prepared {
  readonly plan: Plan;
  readonly program: CompiledProgram;
}

export class Engine {
  /** bpfql_tables and bpfql_columns, once made (see catalogTables). */
  private catalogTablesMade: Promise<void> | undefined;
  private readonly teardowns: (() => void)[] = [];

  private constructor(
    readonly session: Session,
    readonly catalog: Catalog,
    readonly plannerEnv: PlannerEnv,
    private readonly opts: EngineOptions,
  ) {}

  static async open(opts: EngineOptions = {}, catalog: Catalog = kernelCatalog(), plannerEnv: PlannerEnv = kernelPlannerEnv): Promise<Engine> {
    // DuckDB loads on first use; these statements run first when it does.
    const session = await Session.open(opts.db, () => [RUNS_TABLE_SQL, decoderMacrosSql(), ...duckdbAggregateMacros()]);
    return new Engine(session, catalog, plannerEnv, opts);
  }

  /** The cgroup every kernel query is limited to, if any. */
  get cgroupId(): bigint | undefined {
    return this.opts.cgroupId;
  }

  /** Runs one statement (no trailing script splitting). */
  async execute(text: string, ctx: RunContext = {}): Promise<Outcome> {
    if (mentionsCatalogTables(text)) await this.catalogTables();
    if (classify(text, this.catalog) === 'duckdb') return { kind: 'rows', result: await this.runDuckdb(text) };
    const probe = probeSpelling(text, this.catalog);
    if (probe) throw new QueryError([probe]);
    try {
      let stmt: Statement;
      try {
        stmt = parseStatement(text);
      } catch (e) {
        if (!(e instanceof QueryError)) throw e;
        return await this.executeEmbedded(text, e, ctx);
      }
      return await this.executeKernel(stmt, text, ctx);
    } catch (e) {
      throw await this.withDuckdbNames(doubleQuotedStrings(e, text));
    }
  }

  /**
   * A plain DuckDB statement. Its errors become diagnostics at DuckDB's position; an unknown
   * table gets the closest kernel and DuckDB names, and a syntax error in a statement that names
   * a kernel table (`SELECT count(*) FRM exec`) gets bpfql's parser's diagnostic.
   */
  private async runDuckdb(text: string): Promise<QueryResult> {
    try {
      return await this.session.run(text);
    } catch (e) {
      const f = duckdbFailure(e, text);
      if (f === undefined) throw e;
      const table = /^Table with name "?([^"!\s]+)"? does not exist/.exec(f.message);
      if (table) {
        const at = locate(f, text, text)?.span ?? span(0, text.length);
        throw await this.withDuckdbNames(new QueryError([diagnostic('unknown-table', { name: table[1]!, suggestions: this.catalog.suggest(table[1]!) }, at)]));
      }
      if (f.kind === 'Parser' && codeTokens(text).some((t) => t.kind === 'word' && this.catalog.isKernelTableName(t.text))) {
        try {
          parseStatement(text);
        } catch (pe) {
          if (pe instanceof QueryError) throw pe;
        }
      }
      throw new QueryError([duckdbDiagnostic(f, text, text)]);
    }
  }

  /** Unknown-table diagnostics with the closest DuckDB tables and tracepoint spellings added to the kernel names. */
  private async withDuckdbNames(e: unknown): Promise<unknown> {
    if (!(e instanceof QueryError) || !e.diagnostics.some((d) => d.code === 'unknown-table')) return e;
    let duckdbNames: string[] = [];
    try {
      const r = await this.session.run('SELECT table_name FROM duckdb_tables() UNION SELECT view_name FROM duckdb_views() WHERE NOT internal');
      duckdbNames = r.rows.map((row) => String(row[0])).filter((n) => !n.startsWith('__bpfql'));
    } catch {
      // The names are a hint; a database that cannot be read is reported by the statement itself.
    }
    return new QueryError(e.diagnostics.map((d): Diagnostic => {
      if (d.code !== 'unknown-table') return d;
      const names = [...dottedTableGuesses(d.params.name, this.catalog), ...d.params.suggestions, ...closest(d.params.name, duckdbNames)];
      return { ...d, params: { ...d.params, suggestions: [...new Set(names)].slice(0, 4) } };
    }));
  }

  /**
   * A statement with kernel queries inside (`parseError` is why bpfql's grammar refused it whole):
   * they run over one window, then DuckDB runs the rest. `EXPLAIN` before it explains each.
   */
  private async executeEmbedded(statement: string, parseError: QueryError, ctx: RunContext): Promise<Outcome> {
    const first = codeTokens(statement)[0];
    const explain = first !== undefined && first.kind === 'word' && first.text.toLowerCase() === 'explain';
    const from = explain ? first.end : 0;
    // `SELECT … FROM (SELECT … FROM exec) FOR 5s`: a FOR ending the statement is the duration of
    // every kernel query inside that has none of its own.
    const outerFor = trailingFor(statement, from);
    const text = outerFor ? statement.slice(0, outerFor.start) : statement;
    const subs = kernelSubqueries(text.slice(from), this.catalog).map((s) => ({ ...s, start: s.start + from, end: s.end + from, shift: s.shift + from }));
    // Nothing inside, or the statement is one kernel query: the grammar's diagnostic stands.
    if (subs.length === 0 || (subs.length === 1 && text.slice(0, subs[0]!.start).trim() === '' && text.slice(subs[0]!.end).trim() === '')) throw parseError;
    const tables = subs.map(() => this.session.internalName('sub'));
    const queries = subs.map((s) => {
      try {
        const stmt = parseStatement(s.text);
        if (stmt.kind !== 'query') throw new QueryError([diagnostic('unsupported', { feature: `${stmt.kind} inside another statement` }, stmt.span)]);
        return outerFor && !stmt.query.for ? { ...stmt.query, for: outerFor.duration } : stmt.query;
      } catch (e) {
        throw shiftDiagnostics(e, s.shift);
      }
    });
    oneDuration(queries, subs, outerFor?.duration);
    const gated = subs.length > 1;
    // The statement around the subqueries is checked before any of them runs.
    const prepared = queries.map((q, i) => {
      try {
        return { ...this.prepare(q, {}, gated), table: tables[i]! };
      } catch (e) {
        throw shiftDiagnostics(e, subs[i]!.shift);
      }
    });
    const duckdbSql = replaceSubqueries(explain ? text.slice(from) : text, explain ? subs.map((s) => ({ ...s, start: s.start - from, end: s.end - from })) : subs, tables);
    await checkAround(this.session, prepared, duckdbSql, statement);
    if (explain) return { kind: 'text', text: explainEmbedded(subs.map((s, i) => ({ ...prepared[i]!, text: s.text })), duckdbSql, queries[0]!.for?.text) };
    const end = endOf(ctx);
    const gate = gated ? new WindowGate(subs.length, end.ended, queries[0]!.for?.ms) : undefined;
    try {
      const settled = await Promise.allSettled(queries.map((q, i) => this.runQuery(q, subs[i]!.text, ctx, { kind: 'create', table: tables[i]! }, undefined, false, gate)));
      // The failure of a query itself, not the others giving up on the window because of it.
      const infos: KernelRunInfo[] = [];
      let abandoned: unknown;
      for (const [i, r] of settled.entries()) {
        if (r.status === 'fulfilled') infos.push(r.value);
        else if (r.reason instanceof WindowAbandoned) abandoned = r.reason;
        else throw shiftDiagnostics(r.reason, subs[i]!.shift);
      }
      if (abandoned !== undefined) throw abandoned;
      const result = await this.session.run(duckdbSql);
      return { kind: 'rows', result, kernel: mergeRuns(infos) };
    } finally {
      end.release();
      for (const t of tables) await this.session.run(`DROP TABLE IF EXISTS ${t}`);
    }
  }

  /** Makes bpfql_tables and bpfql_columns the first time a statement names them (they take a while). */
  private catalogTables(): Promise<void> {
    this.catalogTablesMade ??= createCatalogTables(this.catalog, this.session).catch((e: unknown) => {
      this.catalogTablesMade = undefined;
      throw e;
    });
    return this.catalogTablesMade;
  }

  /** Plans and compiles without running: for EXPLAIN and tests. */
  prepare(q: SelectQuery, opts: PlanOptions = {}, gated = false): Prepared {
    const plan = planQuery(q, this.catalog, this.plannerEnv, { ...this.opts, ...opts });
    return { plan, program: compileKernelPlan(plan.kernel, plan.table, { windowed: plan.everyMs !== undefined, gated }) };
  }

  private async executeKernel(stmt: Statement, text: string, ctx: RunContext): Promise<Outcome> {
    switch (stmt.kind) {
      case 'show-tables': return { kind: 'rows', result: await showTables(this.catalog, this.session) };
      case 'describe': return { kind: 'rows', result: describeTable(this.catalog, stmt.table) };
      case 'describe-struct': return { kind: 'rows', result: describeStruct(this.plannerEnv, stmt.struct) };
      case 'explain': {
        const { plan, program } = this.prepare(stmt.query);
        if (duckdbMayRefuse(stmt.query, plan, { kind: 'replace', table: 'last' })) await checkDuckdbPart(this.session, plan, text, { kind: 'replace', table: 'last' });
        return { kind: 'text', text: explainPlan(plan, program) };
      }
      case 'query': {
        const prepared = this.prepare(stmt.query);
        const direct = ctx.direct === true && this.opts.db === undefined && ctx.onTick === undefined && ctx.latestWindowIn === undefined && prepared.plan.everyMs === undefined;
        const projection = direct ? directProjection(prepared.plan) : undefined;
        if (projection !== undefined) return this.runDirect(stmt.query, text, ctx, prepared, projection);
        const live = ctx.onRows && new LiveRows(ctx.onRows);
        const name = ctx.latestWindowIn ?? 'last';
        const table = quoteIdent(name);
        const info = await this.runQuery(stmt.query, text, ctx, { kind: 'replace', table }, live, ctx.latestWindowIn !== undefined, undefined, prepared);
        const result = await this.session.run(`SELECT * FROM ${table}`);
        if (!live?.active) return { kind: 'rows', result, kernel: info, table: name };
        live.begin(result.columns);
        return { kind: 'rows', result, kernel: info, table: name, streamed: true };
      }
      case 'create-table-as': {
        const info = await this.runQuery(stmt.query, text, ctx, { kind: 'create', table: quoteIdent(stmt.table) });
        return { kind: 'done', message: `created table ${stmt.table}`, kernel: info };
      }
      case 'insert-into': {
        const info = await this.runQuery(stmt.query, text, ctx, { kind: 'insert', table: quoteIdent(stmt.table) });
        return { kind: 'done', message: `inserted into ${stmt.table}`, kernel: info };
      }
      default:
        return assertNever(stmt);
    }
  }

  /**
   * Runs the kernel part of a query, its rows loaded into DuckDB, then the residual SQL over them
   * into the target table. With EVERY, the residual runs once per window as it closes, each
   * window's rows appended to the target with window_start and window_end. Given `live`, a
   * streamable query also shows each batch's rows there as it arrives. `latestOnly`: each window
   * replaces the one before in the target.
   */
  private async runQuery(q: SelectQuery, text: string, ctx: RunContext, target: Target, live?: LiveRows, latestOnly = false, gate?: WindowGate, prepared?: Prepared): Promise<KernelRunInfo> {
    const { plan, program } = prepared ?? this.prepare(q, {}, gate !== undefined);
    if (live && isStreamable(q, plan)) live.start(q.limit?.value);
    const shown = live?.active ? live : undefined;
    await this.checkBeforeLoading(q, plan, text, target);
    checkMapMemory(program.maps, possibleCpus(), memoryAvailable());
    const onTick = ctx.onTick;
    const windows = plan.everyMs === undefined ? 'none' : ctx.onWindow && ctx.keepWindows === false ? 'handed-on' : latestOnly ? 'latest' : 'all';
    const result = Materialization.start(this.session, { columns: plan.kernelColumns, sql: plan.residualSql }, target, windows);
    // Windows handed on whose rows are the kernel's renamed are made here, with no DuckDB statement.
    const handedOn = windows === 'handed-on' ? directProjection(plan) : undefined;
    const end = endOf(ctx);
    try {
      // DuckDB's tables are made once the program is attached: loading DuckDB must not delay the
      // moment the kernel starts counting. But windows are cut by the clock while the query
      // runs, and DuckDB's first load would hold the event loop up for a while (a second on a
      // busy machine), so with EVERY it loads first. So it does for a container filter: its set
      // follows the cgroups made during the run as user space reads their mkdir events (every
      // 5 ms), and a container made while that load held the loop up would go unmatched for its
      // first few hundred milliseconds.
      const followsCgroups = cgroupSets(plan.kernel.columns).length > 0;
      if (plan.everyMs !== undefined || followsCgroups) await result.prepare();
      if (shown && ctx.readyBeforeAttach === true) await result.prepareBatches();
      const run = await runKernel(plan.kernel, program, {
        until: shown ? Promise.race([end.ended, shown.full]) : end.ended,
        ...(gate ? { gate } : {}),
        ...(plan.durationMs !== undefined ? { durationMs: plan.durationMs } : {}),
        ...(plan.kernel.mode.kind === 'stream' && plan.limit !== undefined ? { rowLimit: plan.limit } : {}),
        // Rows someone watches live (a pipe, an alert) are read sooner than rows only stored.
        ...(shown ? { pollMs: LIVE_POLL_MS } : {}),
        onRows: async (batch) => {
          if (shown) shown.show(await result.loadAndSelect(batch, ctx.keepStreamed !== false));
          else await result.load(batch);
        },
        ...(onTick
          ? {
              onTick: async (p: KernelProgress) =>
                onTick({ ...runProgress(plan.kernel.mode, p), ...(p.snapshot ? { current: await result.preview(p.snapshot) } : {}) }),
            }
          : {}),
        onAttached: (programs: number) => {
          ctx.onAttached?.(programs);
          (shown ? result.prepareBatches() : result.prepare()).catch(() => undefined);
        },
        ...(plan.everyMs !== undefined
          ? {
              every: {
                ms: plan.everyMs,
                onWindow: async (w: Window) => {
                  if (handedOn !== undefined && ctx.onWindow) {
                    ctx.onWindow(directResult(w.aggregate, plan.kernelColumns, handedOn), w);
                    return;
                  }
                  if (w.aggregate) await result.load(w.aggregate);
                  if (ctx.onWindow) ctx.onWindow(await result.windowResult(w), w);
                  else await result.materialize(w);
                },
              },
            }
          : {}),
      }).catch((e: unknown) => {
        throw verifierBugOr(e, text, program);
      });
      this.teardowns.push(run.teardown);
      if (run.aggregate) await result.load(run.aggregate);
      if (plan.everyMs === undefined) await result.materialize();
      const info: KernelRunInfo = { plan, program, completeness: run.completeness, startedAt: run.startedAt, endedAt: run.endedAt, kernelRows: run.rows };
      await recordRun(this.session, { query: text, table: target.table, mode: plan.kernel.mode.kind, startedAt: info.startedAt, endedAt: info.endedAt, kernelRows: info.kernelRows, losses: info.completeness });
      if (run.cgroups) await recordCgroups(this.session, cgroupsBatch(run.cgroups));
      return info;
    } finally {
      end.release();
      await result.drop();
    }
  }

  /**
   * A query whose result is its kernel rows renamed (directProjection): run in the kernel, the
   * result built in JS, DuckDB never loaded.
   */
  private async runDirect(q: SelectQuery, text: string, ctx: RunContext, { plan, program }: Prepared, projection: readonly Projected[]): Promise<Outcome> {
    checkFunctionNames(q);
    checkMapMemory(program.maps, possibleCpus(), memoryAvailable());
    const end = endOf(ctx);
    try {
      const run = await runKernel(plan.kernel, program, {
        until: end.ended,
        ...(plan.durationMs !== undefined ? { durationMs: plan.durationMs } : {}),
        ...(ctx.onAttached ? { onAttached: ctx.onAttached } : {}),
      }).catch((e: unknown) => {
        throw verifierBugOr(e, text, program);
      });
      this.teardowns.push(run.teardown);
      const kernel: KernelRunInfo = { plan, program, completeness: run.completeness, startedAt: run.startedAt, endedAt: run.endedAt, kernelRows: run.rows };
      return { kind: 'rows', result: directResult(run.aggregate, plan.kernelColumns, projection), kernel };
    } finally {
      end.release();
    }
  }

  /**
   * What must hold before a program is loaded: the database opens, every function it calls exists,
   * and DuckDB accepts the query's DuckDB part (skipped when nothing in it is DuckDB's to judge, so that a pure kernel
   * query does not wait for DuckDB to load before attaching).
   */
  private async checkBeforeLoading(q: SelectQuery, plan: Plan, text: string, target: Target): Promise<void> {
    // A fresh in-memory database has only DuckDB's functions and bpfql's: a name none of them has
    // is found from the list, without waiting for DuckDB to load.
    if (this.opts.db === undefined && !this.session.started) checkFunctionNames(q);
    if (this.opts.db !== undefined) await this.session.ready();
    if (duckdbMayRefuse(q, plan, target)) await checkDuckdbPart(this.session, plan, text, target);
  }

  /** Plans a kernel query and checks its DuckDB part, running nothing (`bpfql run` checks every statement first). */
  async check(q: SelectQuery, text: string): Promise<Plan> {
    try {
      const { plan } = this.prepare(q);
      await this.checkBeforeLoading(q, plan, text, { kind: 'replace', table: 'last' });
      return plan;
    } catch (e) {
      throw await this.withDuckdbNames(doubleQuotedStrings(e, text));
    }
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

/** One account of several kernel runs: the first's plan, every run's losses added up. */
function mergeRuns(infos: readonly KernelRunInfo[]): KernelRunInfo {
  const first = infos[0]!;
  const sum = (f: (i: KernelRunInfo) => number): number => infos.reduce((n, i) => n + f(i), 0);
  return {
    ...first,
    kernelRows: sum((i) => i.kernelRows),
    completeness: {
      lostRecords: sum((i) => i.completeness.lostRecords),
      failedUpdates: sum((i) => i.completeness.failedUpdates),
      lostPairs: sum((i) => i.completeness.lostPairs),
      lostStacks: sum((i) => i.completeness.lostStacks),
      missedEvents: sum((i) => i.completeness.missedEvents),
    },
  };
}

/**
 * The kernel queries of one statement run over one window: they must ask for one duration (a FOR
 * after the statement gives it to all that have none).
 */
function oneDuration(queries: readonly SelectQuery[], subs: readonly Subquery[], outer: Duration | undefined): void {
  const ms = queries[0]!.for?.ms;
  const other = queries.findIndex((q) => q.for?.ms !== ms);
  if (other < 0) return;
  const own = queries[other]!.for;
  // The outer FOR's span is the statement's already; a query's own is the query's.
  const at = own === undefined ? span(subs[other]!.start, subs[other]!.end) : own === outer ? own.span : shiftSpan(own.span, subs[other]!.shift);
  throw new QueryError([diagnostic('unsupported', { feature: 'kernel queries of different durations in one statement (they share one window: give FOR once, at the end)' }, at)]);
}

function shiftSpan(s: { readonly start: number; readonly end: number }, by: number): { start: number; end: number } {
  return { start: s.start + by, end: s.end + by };
}

/** Moves diagnostics of a piece of a statement to where the piece stands in the statement. */
export function shiftDiagnostics(e: unknown, by: number): unknown {
  if (!(e instanceof QueryError) || by === 0) return e;
  return new QueryError(e.diagnostics.map((d) => ({ ...d, span: shiftSpan(d.span, by) })));
}

/** `ended` resolves when the signal aborts or ctx.until resolves (FOR is runKernel's); `release` stops listening. */
function endOf(ctx: RunContext): { readonly ended: Promise<void>; readonly release: () => void } {
  let release = (): void => undefined;
  const ended = new Promise<void>((resolve) => {
    const done = (): void => {
      release();
      resolve();
    };
    release = () => ctx.signal?.removeEventListener('abort', done);
    if (ctx.signal?.aborted) done();
    ctx.signal?.addEventListener('abort', done, { once: true });
    ctx.until?.then(done, done);
  });
  return { ended, release };
}
