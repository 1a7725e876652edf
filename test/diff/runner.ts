// Runs differential queries. A round attaches every query of a batch twice at the same time, on
// the two sides of its comparison: planned as usual and forced to stream raw rows (DuckDB
// computing filters, groups and aggregates), or planned as usual on the cheapest hooks and on the
// classic tracepoints; then it runs the workload once, ends them all once it has exited, and
// compares each query's two results. The workload's events are in the kernel (maps updated, records committed)
// before its exit is seen, so the maps read and the ring buffers drained after that hold them all.
import { Catalog } from '../../src/catalog/catalog.js';
import type { Hook } from '../../src/catalog/hook.js';
import { Engine, type EngineOptions, type KernelRunInfo, type RunContext } from '../../src/engine/engine.js';
import { kernelCatalog, kernelCatalogEnv } from '../../src/runtime/kernel-env.js';
import { VerifierBugError } from '../../src/engine/bug-report.js';
import type { QueryResult } from '../../src/store/session.js';
import { compareResults } from './compare.js';
import { bothFullOrComplete, lossOf } from './completeness.js';
import { statementOf, type DiffQuery } from './gen.js';
import { mergeWindows } from './windows.js';
import type { WorkloadNames } from './workload-spec.js';
import { DiffWorkload } from './workload.js';

/**
 * How each side runs its query: planned as usual (on the hook BPFQL_HOOK asks for), with nothing
 * of the query in the kernel, or planned as usual on a given hook.
 */
export const MODES = {
  planned: { options: {} },
  streamed: { options: { kernelFilter: false, kernelAggregation: false } },
  cheapest: { options: {}, hook: 'cheapest' },
  classic: { options: {}, hook: 'tracepoint' },
} as const satisfies Record<string, { readonly options: EngineOptions; readonly hook?: Hook }>;
export type Mode = keyof typeof MODES;

/** What a campaign compares: the planner's split (kernel against DuckDB), or the hooks (cheapest against classic). */
export const COMPARISONS = {
  plans: ['planned', 'streamed'],
  hooks: ['cheapest', 'classic'],
} as const satisfies Record<string, readonly [Mode, Mode]>;
export type Comparison = keyof typeof COMPARISONS;

/** Events the kernel may still be delivering after the workload exits (none expected; a margin). */
const GRACE_MS = 20;
const VERIFIER_LOG_LINES = 30;

export type Verdict =
  | { readonly kind: 'agree' }
  | { readonly kind: 'mismatch'; readonly detail: string }
  | { readonly kind: 'error'; readonly detail: string }
  /** A side lost records or map updates: its result is not the whole truth, so nothing was compared. */
  | { readonly kind: 'incomplete'; readonly detail: string }
  /**
   * The first side's map held as many groups as it may (a documented limit, reported as such), and
   * the second's too or it was complete: nothing compared.
   */
  | { readonly kind: 'map-full'; readonly detail: string }
  /**
   * A side's stack map turned stacks away (their hash slot held another stack; counted as lost
   * and shown as such). Which stacks a map keeps depends on which came first, and the streamed
   * side, with no filter in the kernel, sees more of them: nothing compared.
   */
  | { readonly kind: 'stacks-lost'; readonly detail: string };

export interface CaseResult {
  readonly query: DiffQuery;
  readonly verdict: Verdict;
  /** How the first side ran: 'aggregate' (in the kernel) or 'stream'. */
  readonly plannedMode?: string;
  /** Rows of the second side's result (a campaign of empty results would compare little). */
  readonly rows?: number;
  /** With EVERY: the distinct windows each side's rows fell in (first, second). */
  readonly windows?: readonly [number, number];
}

/** One side of one query: attached once its program is, done with its result or why there is none. */
interface Side {
  readonly attached: Promise<void>;
  readonly done: Promise<{ readonly info: KernelRunInfo; readonly result: QueryResult } | { readonly error: unknown }>;
}

function describeError(e: unknown): string {
  if (e instanceof VerifierBugError) return `the verifier rejected the program (report ${e.path}):\n${e.verifier.tail(VERIFIER_LOG_LINES)}`;
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

export class DiffRunner {
  private tables = 0;
  /** Engines by mode, machine-wide and scoped to the workload's cgroup (made when first needed). */
  private readonly engines = new Map<string, Promise<Engine>>();

  private constructor(private readonly workload: DiffWorkload, private readonly sides: readonly [Mode, Mode]) {}

  static open(comparison: Comparison = 'plans'): DiffRunner {
    return new DiffRunner(DiffWorkload.compile(), COMPARISONS[comparison]);
  }

  private engine(mode: Mode, scoped: boolean): Promise<Engine> {
    const key = `${mode}${scoped ? ' scoped' : ''}`;
    let engine = this.engines.get(key);
    if (!engine) {
      const m: { readonly options: EngineOptions; readonly hook?: Hook } = MODES[mode];
      const catalog = m.hook === undefined ? kernelCatalog() : new Catalog({ ...kernelCatalogEnv, hook: m.hook });
      engine = Engine.open({ ...m.options, ...(scoped ? { cgroupId: this.workload.cgroupId } : {}) }, catalog);
      this.engines.set(key, engine);
    }
    return engine;
  }

  private async start(mode: Mode, query: DiffQuery, until: Promise<void>): Promise<Side> {
    const engine = await this.engine(mode, query.scoped);
    let onAttached!: () => void;
    const attached = new Promise<void>((resolve) => (onAttached = resolve));
    return { attached, done: this.run(engine, query, { onAttached, until }).catch((error: unknown) => ({ error })) };
  }

  /** A kernel query goes to a table of its own (read, then dropped); a statement with a kernel subquery gives its rows. */
  private async run(engine: Engine, query: DiffQuery, ctx: RunContext): Promise<{ info: KernelRunInfo; result: QueryResult }> {
    if (query.embedded) {
      const o = await engine.execute(statementOf(query), ctx);
      if (o.kind !== 'rows' || !o.kernel) throw new Error(`expected rows from a kernel run, got ${o.kind}`);
      return { info: o.kernel, result: o.result };
    }
    const table = `diff_${++this.tables}`;
    try {
      const o = await engine.execute(`CREATE TABLE ${table} AS ${query.sql}`, ctx);
      if (o.kind !== 'done' || !o.kernel) throw new Error(`expected a kernel run, got ${o.kind}`);
      // EVERY's rows carry their window, read as microseconds (windows.ts checks and merges them).
      const select = query.every
        ? `SELECT epoch_us(window_start) AS window_start, epoch_us(window_end) AS window_end, * EXCLUDE (window_start, window_end) FROM ${table}`
        : `SELECT * FROM ${table}`;
      return { info: o.kernel, result: await engine.session.run(select) };
    } finally {
      await engine.session.run(`DROP TABLE IF EXISTS ${table}`);
    }
  }

  private async verdict(query: DiffQuery, first: Side, second: Side): Promise<CaseResult> {
    const a = await first.done;
    const b = await second.done;
    const [one, two] = this.sides;
    const plannedMode = 'info' in a ? { plannedMode: a.info.plan.kernel.mode.kind } : {};
    if ('error' in a || 'error' in b) {
      const detail = [[one, a] as const, [two, b] as const].flatMap(([mode, s]) => ('error' in s ? [`${mode}: ${describeError(s.error)}`] : [])).join('\n');
      return { query, verdict: { kind: 'error', detail }, ...plannedMode };
    }
    if (bothFullOrComplete(a.info, b.info)) {
      return { query, verdict: { kind: 'map-full', detail: `${a.info.kernelRows} groups filled the map; ${a.info.completeness.failedUpdates} updates failed` }, ...plannedMode };
    }
    const stacksLost = [a.info.completeness.lostStacks, b.info.completeness.lostStacks];
    if (stacksLost[0]! > 0 || stacksLost[1]! > 0) return { query, verdict: { kind: 'stacks-lost', detail: `${one} lost ${stacksLost[0]} stacks, ${two} ${stacksLost[1]}` }, ...plannedMode };
    const loss = [lossOf(a.info), lossOf(b.info)];
    if (loss[0] || loss[1]) return { query, verdict: { kind: 'incomplete', detail: `${one}: ${loss[0] ?? 'complete'}; ${two}: ${loss[1] ?? 'complete'}` }, ...plannedMode };
    if (query.every) {
      const merged = [mergeWindows(a.result, query.every.merge), mergeWindows(b.result, query.every.merge)] as const;
      const bad = [[one, merged[0]] as const, [two, merged[1]] as const].flatMap(([mode, m]) => ('error' in m ? [`${mode}: ${m.error}`] : []));
      if ('error' in merged[0] || 'error' in merged[1]) return { query, verdict: { kind: 'mismatch', detail: `bad windows: ${bad.join('; ')}` }, ...plannedMode };
      const mismatch = compareResults(merged[0].result, merged[1].result, query.kinds, [one, two]);
      const windows = { windows: [merged[0].windows, merged[1].windows] as const };
      return { query, verdict: mismatch === undefined ? { kind: 'agree' } : { kind: 'mismatch', detail: `over all windows (${one} ${merged[0].windows}, ${two} ${merged[1].windows}): ${mismatch}` }, ...plannedMode, rows: merged[1].result.rows.length, ...windows };
    }
    const mismatch = compareResults(a.result, b.result, query.kinds, [one, two]);
    return { query, verdict: mismatch === undefined ? { kind: 'agree' } : { kind: 'mismatch', detail: mismatch }, ...plannedMode, rows: b.result.rows.length };
  }

  /** Runs `queries` (with the workload named `names`) and compares each one's two results. */
  async round(queries: readonly DiffQuery[], names: WorkloadNames): Promise<CaseResult[]> {
    let end!: () => void;
    const until = new Promise<void>((resolve) => (end = resolve));
    const sides: (readonly [Side, Side])[] = [];
    try {
      for (const q of queries) sides.push([await this.start(this.sides[0], q, until), await this.start(this.sides[1], q, until)]);
      // Every program attached (or failed to load) before the first event.
      await Promise.all(sides.flat().map((s) => Promise.race([s.attached, s.done])));
      await this.workload.run(names);
      await new Promise((resolve) => setTimeout(resolve, GRACE_MS));
    } finally {
      end();
    }
    const results: CaseResult[] = [];
    for (const [i, q] of queries.entries()) results.push(await this.verdict(q, ...sides[i]!));
    for (const e of this.engines.values()) (await e).teardownKernel();
    return results;
  }

  async close(): Promise<void> {
    for (const e of this.engines.values()) await (await e).close();
    await this.workload.remove();
  }
}
