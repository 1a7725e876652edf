// Part 1b: bpfql's program and the hand-written one attached to the same hook at the same time,
// each timed by the kernel itself (bpf_prog_info.run_time_ns over run_cnt, counted while this
// process holds BPF_ENABLE_STATS). Both run on the same events in the same moments, so whatever
// the machine does around them falls on both alike: part 1's end-to-end figures move by tens of
// nanoseconds from round to round here, too much to tell programs a few nanoseconds apart.
//
// Programs on one hook run in the order they were attached, and the first to run on an event pays
// ~30 ns more here (measured: it meets the caches cold). So a third program, a count by comm of its
// own, is attached before both and runs first; the two alternate behind it, and each round runs
// both orders back to back. bpfql's program is the one its engine compiles and attaches for the
// query, in this process, so that a round takes a second, not the several a CLI start would add.
import { Engine } from '../src/engine/engine.js';
import { programRunStats, listPrograms, type RunStats } from '../src/kernel/objects.js';
import { enableRunTimeStats } from '../src/kernel/run-time-stats.js';
import type { KernelScope } from '../src/kernel/scope.js';
import { heldProgramIds } from './counted.js';
import { attachReference, REFERENCE_NAMES, type ReferenceProgram } from './reference-programs.js';
import type { ToolQuery } from './tools.js';
import { runLoop, type Workload } from './workload.js';

/** Each round's two runs (one in each order): bpfql's ns per event minus the hand-written one's, averaged over the two. */
export function pairedDifferences(rounds: readonly SideRound[]): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < rounds.length; i += 2) out.push((rounds[i]!.bpfqlNs - rounds[i]!.handNs + rounds[i + 1]!.bpfqlNs - rounds[i + 1]!.handNs) / 2);
  return out;
}

export interface SidePair {
  readonly query: ToolQuery;
  /** The hand-written program on bpfql's hook that does what the query does. */
  readonly reference: ReferenceProgram;
}

export interface SideRound {
  /** Whether the hand-written program was attached (and so ran) first. */
  readonly handFirst: boolean;
  /**
   * Nanoseconds per event over the same calls: the hand-written program's per run (it runs once
   * per event), bpfql's programs' together over those runs.
   */
  readonly bpfqlNs: number;
  readonly handNs: number;
  /** Runs each counted over the workload: the same events, so nearly equal. */
  readonly bpfqlRuns: number;
  readonly handRuns: number;
}

export interface SideResult {
  readonly pair: SidePair;
  readonly rounds: SideRound[];
}

function sum(ids: readonly number[]): RunStats {
  let runTimeNs = 0;
  let runCount = 0;
  for (const id of ids) {
    const s = programRunStats(id);
    if (s === undefined) throw new Error(`program ${id} went away during the run`);
    runTimeNs += s.runTimeNs;
    runCount += s.runCount;
  }
  return { runTimeNs, runCount };
}

async function oneRound(engine: Engine, w: Workload, pair: SidePair, calls: number, handFirst: boolean): Promise<SideRound> {
  let scope: KernelScope | undefined;
  const stop = new AbortController();
  let attached!: () => void;
  const isAttached = new Promise<void>((resolve) => (attached = resolve));
  // A program detached a moment ago lingers under its name until an RCU grace period has passed.
  const named = (): number[] => listPrograms().filter((p) => p.name === REFERENCE_NAMES[pair.reference]).map((p) => p.id);
  const lingering = new Set(named());
  // Attached before both, so that neither is the first on the hook (see above).
  const first = attachReference('first-on-hook-btf');
  try {
    if (handFirst) scope = attachReference(pair.reference);
    const outcome = engine.execute(pair.query.text, { signal: stop.signal, onAttached: () => attached() });
    await Promise.race([isAttached, outcome.then(() => { throw new Error(`'${pair.query.text}' ended before it attached`); })]);
    if (!handFirst) scope = attachReference(pair.reference);
    const hand = named().filter((id) => !lingering.has(id));
    const others = new Set(listPrograms().filter((p) => p.name === REFERENCE_NAMES['first-on-hook-btf']).map((p) => p.id));
    const mine = heldProgramIds(process.pid).filter((id) => !hand.includes(id) && !others.has(id));
    if (mine.length === 0 || hand.length !== 1) throw new Error(`expected bpfql's programs and one ${REFERENCE_NAMES[pair.reference]}, found ${mine.length} and ${hand.length}`);
    const [m0, h0] = [sum(mine), sum(hand)];
    await runLoop(w, calls);
    const [m1, h1] = [sum(mine), sum(hand)];
    const events = Math.max(1, h1.runCount - h0.runCount);
    stop.abort();
    await outcome;
    return {
      handFirst,
      bpfqlNs: (m1.runTimeNs - m0.runTimeNs) / events,
      handNs: (h1.runTimeNs - h0.runTimeNs) / events,
      bpfqlRuns: m1.runCount - m0.runCount,
      handRuns: events,
    };
  } finally {
    stop.abort();
    engine.teardownKernel();
    scope?.closeAll();
    first.closeAll();
  }
}

/** `rounds` pairs of runs per query, the two orders back to back. */
export async function measureSideBySide(
  engine: Engine,
  w: Workload,
  pairs: readonly SidePair[],
  opts: { readonly calls: number; readonly rounds: number; readonly log: (line: string) => void },
): Promise<SideResult[]> {
  const results = pairs.map((pair): SideResult => ({ pair, rounds: [] }));
  const stats = enableRunTimeStats();
  try {
    for (let round = 0; round < opts.rounds; round++) {
      const line: string[] = [];
      for (const r of results) {
        for (const handFirst of [true, false]) r.rounds.push(await oneRound(engine, w, r.pair, opts.calls, handFirst));
        const [a, b] = r.rounds.slice(-2);
        line.push(`${r.pair.query.what}: hand first ${a!.bpfqlNs.toFixed(1)} vs ${a!.handNs.toFixed(1)}, bpfql first ${b!.bpfqlNs.toFixed(1)} vs ${b!.handNs.toFixed(1)}`);
      }
      opts.log(`  round ${round + 1}/${opts.rounds}, bpfql vs hand-written ns per event: ${line.join('; ')}`);
    }
  } finally {
    stats();
  }
  return results;
}
