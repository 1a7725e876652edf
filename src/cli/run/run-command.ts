// `bpfql run`: the command in a cgroup of its own, every query attached before it starts and
// ended when it exits, then the DuckDB statements, the assertions and the baseline on the results.
import { readFileSync } from 'node:fs';
import { Engine, type Outcome } from '../../engine/engine.js';
import { classify } from '../../engine/classify.js';
import { kernelSubqueries } from '../../engine/embedded.js';
import { COMPLETE, describeCompleteness } from '../../runtime/completeness.js';
import type { Session } from '../../store/session.js';
import { formatResult } from '../../output/result-text.js';
import { quoteIdent } from '../../query/quote.js';
import { ExitCode, reportError } from '../../engine/report-error.js';
import { VERSION } from '../../engine/version.js';
import type { QuerySource, RunOptions } from './args.js';
import type { AssertionResult } from './assertions.js';
import { runAssertions } from './assertions.js';
import { compareBaseline, currentValues, loadBaseline, saveBaseline, tableShapes } from './baseline.js';
import { describeContainers, RunContainers, type ContainerReport } from './containers.js';
import { createRunCgroup, releaseRunCgroup, runCgroupTree, type CommandCgroup } from '../../runtime/run-cgroup.js';
import type { CommandExit, Launched } from './launch.js';
import { exitStatus, launchInCgroup } from './launch.js';
import type { QueryReport, RunReport } from './report.js';
import { checksPassed } from './report.js';
import type { RunStatement, ScriptSource } from './statements.js';
import { StatementError, planStatements } from './statements.js';
import type { StartedTrace } from './trace.js';
import { startTrace } from './trace.js';

/** A reason the run could not go on: what to say and bpfql's exit code. */
class RunFailure extends Error {
  constructor(message: string, readonly exit: number) {
    super(message);
    this.name = 'RunFailure';
  }
}

/** How a failure is shown (a diagnostic with its caret, or `error: ...` with a hint) and its exit code. */
function reported(e: unknown): { readonly text: string; readonly exit: number } {
  if (e instanceof RunFailure) return { text: `error: ${e.message}`, exit: e.exit };
  const r = e instanceof StatementError ? reportError(e.error, e.source.text, e.source.name) : reportError(e, '');
  return { text: r.text, exit: r.exitCode };
}

function readSources(sources: readonly QuerySource[]): ScriptSource[] {
  return sources.map((s, i) => {
    if (s.kind === 'text') return { name: sources.length === 1 ? '-e' : `-e #${i + 1}`, text: s.text };
    try {
      return { name: s.path, text: readFileSync(s.path, 'utf8') };
    } catch (e) {
      throw new RunFailure(`cannot read ${s.path}: ${e instanceof Error ? e.message : String(e)}`, ExitCode.badQuery);
    }
  });
}

type Trace = Extract<RunStatement, { kind: 'trace' }>;

function queryReport(stmt: Trace, o: Outcome): QueryReport {
  const kernel = o.kind === 'text' ? undefined : o.kernel;
  return { table: stmt.table, statement: stmt.statement, kernelRows: kernel?.kernelRows ?? 0, completeness: kernel?.completeness ?? COMPLETE };
}

const SHOWN_ROWS = 20;

async function printResult(session: Session, q: QueryReport, log: (line: string) => void): Promise<void> {
  const table = quoteIdent(q.table);
  const total = Number((await session.run(`SELECT count(*) FROM ${table}`)).rows[0]?.[0] ?? 0);
  log(`== ${q.table} (${describeCompleteness(q.completeness)})`);
  log(formatResult(await session.run(`SELECT * FROM ${table} LIMIT ${SHOWN_ROWS}`), 'table'));
  if (total > SHOWN_ROWS) log(`... ${total - SHOWN_ROWS} more rows in ${q.table}`);
}

/** Tables the run's statements made, for the baseline; bpfql's scratch tables and run log excluded. */
async function resultTables(session: Session): Promise<string[]> {
  const r = await session.run(`SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal AND NOT starts_with(table_name, '__bpfql') AND table_name <> 'bpfql_runs' ORDER BY table_name`);
  return r.rows.map((row) => String(row[0]));
}

/** What a signal acts on: the command once it runs; before that, the run itself. */
interface Interruptible {
  readonly controller: AbortController;
  launched?: Launched;
}

/** Ctrl-C, SIGTERM or SIGHUP (a dropped ssh session): passed on to the command once it runs; before that they stop the run. */
function handleSignals(target: Interruptible): () => void {
  let count = 0;
  const on = (signal: NodeJS.Signals): void => {
    // A second signal gives up at once, as in the plain CLI.
    if (++count > 1) process.exit(130);
    if (target.launched) target.launched.kill(signal);
    else target.controller.abort();
  };
  const signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, on);
  return () => {
    for (const s of signals) process.off(s, on);
  };
}

interface Collected {
  exit?: CommandExit;
  queries: QueryReport[];
  containers: ContainerReport[];
  assertions: AssertionResult[];
  baseline?: RunReport['baseline'];
}

async function traced(opts: RunOptions, sources: readonly ScriptSource[], cgroup: CommandCgroup, got: Collected, run: Interruptible, log: (line: string) => void): Promise<void> {
  const { controller } = run;
  const engine = await Engine.open({ cgroupTree: runCgroupTree(cgroup), ...(opts.maxKeys !== undefined ? { maxEntries: opts.maxKeys } : {}) });
  try {
    const statements = await planStatements(sources, {
      classify: (text) => classify(text, engine.catalog),
      embedsKernelQueries: (text) => kernelSubqueries(text, engine.catalog).length > 0,
      prepare: async (query, text) => {
        const plan = await engine.check(query, text);
        // The planner keeps the query to the command's cgroup tree when the table has the task's
        // cgroup (cgroup_id); without it, everything would be traced.
        if (!plan.kernel.columns.some((c) => c.name === 'cgroup_id' || c.source.kind === 'cgroup-ancestor')) {
          throw new RunFailure(`${plan.table} has no cgroup_id column, so its events cannot be limited to the command`, ExitCode.runtime);
        }
      },
    });
    const saved = opts.baseline ? await loadBaseline(engine.session, opts.baseline.path) : undefined;

    let commandExited = (): void => {};
    const until = new Promise<void>((resolve) => {
      commandExited = resolve;
    });
    const started: (StartedTrace & { readonly stmt: Trace })[] = [];
    try {
      for (const stmt of statements) {
        if (stmt.kind === 'trace') started.push({ stmt, ...(await startTrace(engine, stmt.execute, { signal: controller.signal, until })) });
      }
      if (controller.signal.aborted) throw new RunFailure('interrupted before the command started', 130);
    } catch (e) {
      controller.abort();
      await Promise.allSettled(started.map((s) => s.done));
      throw e;
    }

    const containers = RunContainers.start(cgroup);
    try {
      run.launched = launchInCgroup(cgroup.procsFile, opts.command);
      got.exit = await run.launched.exited;
    } catch (e) {
      throw new RunFailure(`cannot start ${opts.command[0]}: ${e instanceof Error ? e.message : String(e)}`, ExitCode.runtime);
    } finally {
      commandExited();
      got.containers = containers.seen();
      containers.close();
    }

    const ended = await Promise.allSettled(started.map((s) => s.done));
    let failed: unknown;
    ended.forEach((r, i) => {
      if (r.status === 'fulfilled') got.queries.push(queryReport(started[i]!.stmt, r.value));
      else failed ??= r.reason;
    });
    if (failed !== undefined) throw failed;
    for (const q of got.queries) await printResult(engine.session, q, log);
    if (got.containers.length > 0) log(describeContainers(got.containers));
    // The queries ended with the command: their programs, links and maps go before the checks run.
    engine.teardownKernel();

    for (const stmt of statements) {
      if (stmt.kind !== 'sql') continue;
      try {
        await engine.session.run(stmt.statement);
      } catch (e) {
        throw new RunFailure(`${stmt.source.name}: ${e instanceof Error ? e.message : String(e)}`, ExitCode.badQuery);
      }
    }
    got.assertions = await runAssertions(engine.session, opts.asserts);
    const shapes = await tableShapes(engine.session, await resultTables(engine.session));
    if (opts.baseline && saved) {
      const result = compareBaseline(saved, await currentValues(engine.session, shapes), opts.baseline.tolerancePct);
      got.baseline = { path: opts.baseline.path, tolerancePct: opts.baseline.tolerancePct, result };
    }
    if (opts.saveBaseline !== undefined) {
      await saveBaseline(engine.session, shapes, opts.saveBaseline, { 'bpfql.version': VERSION, 'bpfql.command': JSON.stringify(opts.command) });
    }
  } finally {
    await engine.close();
  }
}

/** Runs the command and the checks; what happened, including why it failed, is in the report. */
export async function runCommand(opts: RunOptions, log: (line: string) => void): Promise<RunReport> {
  const got: Collected = { queries: [], containers: [], assertions: [] };
  let failure: { readonly text: string; readonly exit: number } | undefined;
  const run: Interruptible = { controller: new AbortController() };
  const unhandle = handleSignals(run);
  try {
    const sources = readSources(opts.sources);
    const cgroup = createRunCgroup();
    try {
      await traced(opts, sources, cgroup, got, run, log);
    } finally {
      await releaseRunCgroup(cgroup, log);
    }
  } catch (e) {
    failure = reported(e);
    log(failure.text);
  } finally {
    unhandle();
  }
  const checks = {
    assertions: got.assertions,
    ...(got.baseline ? { baseline: got.baseline } : {}),
    ...(failure ? { error: failure.text.replace(/^error: /, '') } : {}),
  };
  let exit: number;
  if (failure) exit = failure.exit;
  else if (!checksPassed(checks)) exit = ExitCode.assertionFailed;
  else exit = got.exit ? exitStatus(got.exit) : ExitCode.runtime;
  return {
    command: opts.command,
    exitCode: got.exit?.code ?? null,
    signal: got.exit?.signal ?? null,
    durationMs: got.exit ? Math.round(got.exit.durationMs) : null,
    queries: got.queries,
    containers: got.containers,
    ...checks,
    exit,
  };
}
