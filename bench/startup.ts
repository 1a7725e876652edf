// Measurement 2, inside one process (the REPL's case), and where the CLI's startup goes:
// - query text to attached: Engine.execute() called → its onAttached callback;
// - the same path in stages (parse, plan and compile, maps, load and attach; the engine makes its
//   DuckDB tables after attach, so they are not on the path);
// - in fresh node processes: the CLI's path phase by phase (boot, imports, first query), and
//   the import of each heavy module on its own.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../src/engine/engine.js';
import { loadAndAttach } from '../src/runtime/load.js';
import { BpfMap } from '../src/kernel/map.js';
import { parseStatement } from '../src/query/parse.js';
import { collect } from './procs.js';
import { roundOrder } from './stats.js';

/** BPF_F_NO_PREALLOC: hash map elements allocated on insert instead of all at map creation. */
const BPF_F_NO_PREALLOC = 1;

export interface InProcessStartup {
  /** The first query of the process: nothing cached yet. */
  readonly coldMs: number;
  /** Every later query. */
  readonly warmMs: number[];
  /** Stopping a running query (the REPL's Ctrl-C) → execute() resolved with the result. */
  readonly resultAfterStopMs: number[];
  /** Engine.teardownKernel() after each query: detaching and closing its programs and maps. */
  readonly teardownMs: number[];
}

/**
 * execute() → onAttached, `reps` times; each query is stopped as soon as it is attached, and
 * the time to its result and to its teardown are kept too.
 */
export async function measureTextToAttached(engine: Engine, query: string, reps: number): Promise<InProcessStartup> {
  const times: number[] = [];
  const resultAfterStopMs: number[] = [];
  const teardownMs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const stop = new AbortController();
    let attachedAt: number | undefined;
    const start = performance.now();
    await engine.execute(query, {
      signal: stop.signal,
      onAttached: () => {
        attachedAt = performance.now();
        stop.abort();
      },
    });
    const resultAt = performance.now();
    engine.teardownKernel();
    if (attachedAt === undefined) throw new Error(`'${query}' finished without attaching`);
    times.push(attachedAt - start);
    resultAfterStopMs.push(resultAt - attachedAt);
    teardownMs.push(performance.now() - resultAt);
  }
  return { coldMs: times[0]!, warmMs: times.slice(1), resultAfterStopMs, teardownMs };
}

/** Milliseconds per stage of the path from query text to attached, one entry per repetition. */
export type Stages = Record<string, number[]>;

export const STAGE_NAMES = {
  parse: 'parse',
  prepare: 'plan + compile',
  maps: 'create maps (as planned)',
  mapsNoPrealloc: 'create maps with BPF_F_NO_PREALLOC (what-if)',
  attach: 'create maps + load + attach (all of it)',
} as const;

/**
 * The stages execute() goes through before attach, timed one by one with the same functions.
 * Map creation is also timed alone, as planned and without preallocation, because it dominates.
 */
export function measureStages(engine: Engine, query: string, reps: number): Stages {
  const stages: Stages = Object.fromEntries(Object.values(STAGE_NAMES).map((n) => [n, [] as number[]]));
  const lap = (name: string, since: number): number => {
    const now = performance.now();
    stages[name]!.push(now - since);
    return now;
  };
  for (let i = 0; i < reps; i++) {
    let t = performance.now();
    const stmt = parseStatement(query);
    if (stmt.kind !== 'query') throw new Error(`'${query}' is not a plain kernel query`);
    t = lap(STAGE_NAMES.parse, t);
    const { plan, program } = engine.prepare(stmt.query);
    lap(STAGE_NAMES.prepare, t);
    for (const [name, flags] of [[STAGE_NAMES.maps, 0], [STAGE_NAMES.mapsNoPrealloc, BPF_F_NO_PREALLOC]] as const) {
      const maps: BpfMap[] = [];
      t = performance.now();
      for (const spec of program.maps) {
        const hash = spec.type === 'hash' || spec.type === 'percpu_hash';
        maps.push(BpfMap.create({ ...spec, name: `bench_${spec.name}`, flags: (spec.flags ?? 0) | (hash ? flags : 0) }));
      }
      lap(name, t);
      for (const m of maps) m.close();
    }
    t = performance.now();
    const { scope } = loadAndAttach(plan.kernel, program);
    lap(STAGE_NAMES.attach, t);
    scope.closeAll();
  }
  return stages;
}

/** The CLI's path to attached in a fresh process, phase by phase (see startup-probe.ts). */
export interface FreshStartup {
  readonly bootMs: number;
  readonly importMs: number;
  readonly openMs: number;
  readonly firstQueryMs: number;
  readonly totalMs: number;
}

export async function measureFreshStartup(root: string, query: string, rounds: number): Promise<FreshStartup[]> {
  const probe = join(root, 'dist', 'bench', 'startup-probe.js');
  const out: FreshStartup[] = [];
  for (let i = 0; i < rounds; i++) {
    const { stdout } = await collect(spawn(process.execPath, [probe, query], { stdio: ['ignore', 'pipe', 'pipe'] }));
    out.push(JSON.parse(stdout) as FreshStartup);
  }
  return out;
}

export interface ImportTarget {
  readonly label: string;
  /** A bare specifier or an absolute path; undefined: node's boot alone. */
  readonly specifier: string | undefined;
}

export function importTargets(root: string): ImportTarget[] {
  const bundled = join(root, 'node_modules', 'chevrotain', 'lib', 'chevrotain.mjs');
  return [
    { label: 'node boot (to the first line of a script)', specifier: undefined },
    { label: 'import koffi', specifier: 'koffi' },
    { label: 'import chevrotain (package entry, lodash-es)', specifier: 'chevrotain' },
    ...(existsSync(bundled) ? [{ label: 'import chevrotain (its bundled lib/chevrotain.mjs)', specifier: bundled }] : []),
    { label: 'import @duckdb/node-api', specifier: '@duckdb/node-api' },
    { label: 'import apache-arrow', specifier: 'apache-arrow' },
    { label: 'import the engine (all the CLI loads)', specifier: join(root, 'dist', 'src', 'engine', 'engine.js') },
  ];
}

export interface ImportTiming {
  readonly target: ImportTarget;
  readonly bootMs: number[];
  readonly importMs: number[];
}

/** Each target imported in a fresh node process, `rounds` times, targets rotated each round. */
export async function measureImports(root: string, rounds: number): Promise<ImportTiming[]> {
  const probe = join(root, 'dist', 'bench', 'import-probe.js');
  const targets = importTargets(root);
  const out = new Map(targets.map((t) => [t, { target: t, bootMs: [] as number[], importMs: [] as number[] }]));
  for (let round = 0; round < rounds; round++) {
    for (const target of roundOrder(targets, round)) {
      const args = target.specifier === undefined ? [probe] : [probe, target.specifier];
      const { stdout } = await collect(spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
      const r = JSON.parse(stdout) as { bootMs: number; importMs: number };
      out.get(target)!.bootMs.push(r.bootMs);
      out.get(target)!.importMs.push(r.importMs);
    }
  }
  return [...out.values()];
}
