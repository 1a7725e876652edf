// Measurement 1 (and, from the same tool runs, 2 for the CLIs, 5 and 6): what tracing adds to
// each syscall. The workload makes N getppid calls pinned to one CPU and reports its thread's CPU
// time; each measurement is the lower of two such runs back to back (interference only ever adds
// time). Every configuration's measurement sits between two with no tracing, and the added cost
// is its time minus the mean of those two, divided by N. Medians over rounds, configurations
// rotated each round.
import { spawn } from 'node:child_process';
import { listPrograms } from '../src/kernel/objects.js';
import { heldProgramIds, waitUntilCounted } from './counted.js';
import { interruptAndTime, peakRssBytes, stop, track, type Tracked } from './procs.js';
import { attachReference, type ReferenceProgram } from './reference-programs.js';
import { bracketedDifferences, bracketedRound, type Step } from './stats.js';
import type { ToolQuery } from './tools.js';
import { runLoop, startTicker, type Workload } from './workload.js';

export type OverheadConfig =
  | { readonly kind: 'reference'; readonly id: string; readonly program: ReferenceProgram }
  | { readonly kind: 'tool'; readonly id: string; readonly query: ToolQuery };

/** One run of a tool: how it started, how big it got, how it stopped, what it counted. */
export interface ToolRun {
  /** spawn() to the tool holding a BPF program. */
  readonly loadedMs: number;
  /** spawn() to one of its maps recording a first event: attached and counting. */
  readonly countedMs: number;
  readonly peakRssBytes: number;
  /** SIGINT to process exit (it prints its result in between). */
  readonly exitMs: number;
  /** SIGINT to the last of its output (the result), if it printed after SIGINT. */
  readonly printedMs: number | undefined;
  /** SIGINTs it took to exit (1 normally). */
  readonly interrupts: number;
  /** What it counted for the workload (at least 2N, two runs, when it was attached throughout). */
  readonly workloadCount: number | undefined;
  /** Ids of the programs it had loaded. */
  readonly programIds: number[];
}

export interface ConfigResult {
  readonly config: OverheadConfig;
  /** Added nanoseconds per call, one per round whose baselines saw the same foreign programs. */
  readonly addedNs: number[];
  /** The same for rounds where other processes loaded or unloaded BPF programs around the run. */
  readonly disturbedNs: number[];
  readonly toolRuns: ToolRun[];
}

export interface OverheadResult {
  readonly calls: number;
  readonly rounds: number;
  /** Nanoseconds per call without tracing, every baseline run. */
  readonly baselineNs: number[];
  /** Runs that failed and were repeated. */
  readonly retries: number;
  readonly configs: ConfigResult[];
}

const START_TIMEOUT_MS = 20_000;

/** Programs the bench loads itself are named bench_… (see reference-programs.ts). */
const OWN_PREFIX = 'bench_';

/**
 * The BPF programs other processes have loaded, as a comparable key. Other programs on the
 * syscall hooks add to every call, so a configuration is compared with its neighbouring
 * baselines only when both saw the same set.
 */
function foreignPrograms(ours: ReadonlySet<number>): string {
  return listPrograms()
    .filter((p) => !p.name.startsWith(OWN_PREFIX) && !ours.has(p.id))
    .map((p) => p.id)
    .sort((a, b) => a - b)
    .join(',');
}

/** The lower thread CPU time of two runs of `calls` calls. */
async function bestOfTwo(w: Workload, calls: number): Promise<number> {
  const a = await runLoop(w, calls);
  const b = await runLoop(w, calls);
  return Math.min(a.cpuNs, b.cpuNs);
}

export async function measureOverhead(
  w: Workload,
  configs: readonly OverheadConfig[],
  opts: { readonly calls: number; readonly rounds: number; readonly log: (line: string) => void },
): Promise<OverheadResult> {
  const { calls, rounds, log } = opts;
  const results = new Map(configs.map((c) => [c, { config: c, addedNs: [] as number[], disturbedNs: [] as number[], toolRuns: [] as ToolRun[] }]));
  const ours = new Set<number>();
  const baselineNs: number[] = [];
  let retries = 0;
  await runLoop(w, calls); // warm-up: page cache, CPU frequency
  for (let round = 0; round < rounds; round++) {
    const steps: Step<OverheadConfig>[] = bracketedRound(configs, round);
    const values: number[] = [];
    const foreign: (string | undefined)[] = [];
    for (const step of steps) {
      foreign.push(step.kind === 'baseline' ? foreignPrograms(ours) : undefined);
      if (step.kind === 'baseline') {
        const cpuNs = await bestOfTwo(w, calls);
        values.push(cpuNs);
        baselineNs.push(cpuNs / calls);
        continue;
      }
      const r = await runConfig(w, step.config, calls).catch((e: unknown) => {
        // Another process can disturb a run (e.g. rebuilding dist/ under a starting CLI): one
        // retry, said out loud; a second failure ends the bench.
        log(`  ${step.config.id} failed, retrying once: ${e instanceof Error ? e.message : String(e)}`);
        retries++;
        return runConfig(w, step.config, calls);
      });
      values.push(r.cpuNs);
      if (r.tool) {
        results.get(step.config)!.toolRuns.push(r.tool);
        for (const id of r.tool.programIds) ours.add(id);
      }
    }
    const diffs = bracketedDifferences(steps, values);
    const line: string[] = [];
    for (const [config, diff] of diffs) {
      const i = steps.findIndex((st) => st.kind === 'config' && st.config === config);
      const steady = foreign[i - 1] === foreign[i + 1];
      (steady ? results.get(config)!.addedNs : results.get(config)!.disturbedNs).push(diff / calls);
      line.push(`${config.id} +${(diff / calls).toFixed(0)}${steady ? '' : ' (others\' programs changed: left out)'}`);
    }
    log(`  round ${round + 1}/${rounds}: ns/call added: ${line.join(', ')}`);
  }
  return { calls, rounds, baselineNs, retries, configs: [...results.values()] };
}

async function runConfig(w: Workload, config: OverheadConfig, calls: number): Promise<{ cpuNs: number; tool?: ToolRun }> {
  switch (config.kind) {
    case 'reference': {
      const scope = attachReference(config.program);
      try {
        return { cpuNs: await bestOfTwo(w, calls) };
      } finally {
        scope.closeAll();
      }
    }
    case 'tool':
      return runTool(w, config.query, calls);
  }
}

/**
 * The tool runs on the CPUs the workload does not use: a tool thread that lands on the niced
 * workload's CPU gets almost no time there, and a streaming tool then loses records.
 */
export function awayFromWorkload(w: Workload, command: string, args: readonly string[]): [string, string[]] {
  // The workload has the last CPU (see buildWorkload).
  return w.cpu === undefined ? [command, [...args]] : ['taskset', ['-c', `0-${w.cpu - 1}`, command, ...args]];
}

/**
 * Starts the tool while the ticker makes events, waits until it counts, runs the workload,
 * reads its peak memory, then interrupts it and times its exit.
 */
async function runTool(w: Workload, q: ToolQuery, calls: number): Promise<{ cpuNs: number; tool: ToolRun }> {
  const ticker = startTicker(w);
  let tool: Tracked | undefined;
  try {
    const since = performance.now();
    const [cmd, args] = awayFromWorkload(w, q.command, q.args);
    tool = track(spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    const started = tool;
    const counted = await waitUntilCounted(started, since, START_TIMEOUT_MS)
      .catch(async (e: unknown) => {
        if (started.child.exitCode === null) await stop(started);
        const out = await started.closed;
        throw new Error(`${e instanceof Error ? e.message : String(e)}; its stderr: ${out.stderr.trim() || '(empty)'}`);
      })
      .finally(() => stop(ticker));
    const cpuNs = await bestOfTwo(w, calls);
    const rss = peakRssBytes(tool.pid);
    const programIds = heldProgramIds(tool.pid);
    const { exitMs, printedMs, interrupts } = await interruptAndTime(tool);
    const out = await tool.closed;
    if (out.exit.code !== 0) throw new Error(`${q.tool} exited with ${out.exit.code ?? out.exit.signal}: ${out.stderr.trim()}`);
    return {
      cpuNs,
      tool: { ...counted, peakRssBytes: rss, exitMs, printedMs, interrupts, workloadCount: q.workloadCount(out.stdout), programIds },
    };
  } finally {
    if (tool && tool.child.exitCode === null && tool.child.signalCode === null) await stop(tool);
  }
}
