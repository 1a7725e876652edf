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
//
// What is left is this machine's resolution, and the bench measures it too: the hand-written
// program against a copy of itself (an A/A comparison), whose true difference is zero.
import { Engine } from '../src/engine/engine.js';
import { programRunStats, listPrograms, type RunStats } from '../src/kernel/objects.js';
import { enableRunTimeStats } from '../src/kernel/run-time-stats.js';
import type { KernelScope } from '../src/kernel/scope.js';
import { heldProgramIds } from './counted.js';
import { attachReference, REFERENCE_NAMES, type ReferenceProgram } from './reference-programs.js';
import type { ToolQuery } from './tools.js';
import { runLoop, type Workload } from './workload.js';

/** What is compared with the hand-written program: bpfql's program for a query, or another reference program. */
export type SideSubject =
  | { readonly kind: 'bpfql'; readonly query: ToolQuery }
  | { readonly kind: 'reference'; readonly program: ReferenceProgram; readonly what: string };

export interface SidePair {
  readonly subject: SideSubject;
  /** The hand-written program on bpfql's hook that does what the subject does, or all but its filter. */
  readonly reference: ReferenceProgram;
  /** What the subject may cost above it per event: 0, or what a filter the reference lacks may add. */
  readonly allowanceNs: number;
  /** What the difference shows, for the table. */
  readonly label: string;
}

export interface SideRound {
  /** Whether the hand-written program was attached (and so ran) before the subject. */
  readonly handFirst: boolean;
  /**
   * Nanoseconds per event over the same calls: the hand-written program's per run (it runs once
   * per event), the subject's programs' together over those runs.
   */
  readonly subjectNs: number;
  readonly handNs: number;
  /** Runs each counted over the workload: the same events, so nearly equal. */
  readonly subjectRuns: number;
  readonly handRuns: number;
}

export interface SideResult {
  readonly pair: SidePair;
  readonly rounds: SideRound[];
}

export const subjectName = (s: SideSubject): string => (s.kind === 'bpfql' ? s.query.what : s.what);

/** Each round's two runs (one in each order): the subject's ns per event minus the hand-written one's, averaged over the two. */
export function pairedDifferences(rounds: readonly SideRound[]): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < rounds.length; i += 2) out.push((rounds[i]!.subjectNs - rounds[i]!.handNs + rounds[i + 1]!.subjectNs - rounds[i + 1]!.handNs) / 2);
  return out;
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

/** Attaches the subject; resolves once it is attached, with what ends it. */
async function attachSubject(engine: Engine, s: SideSubject): Promise<() => Promise<void>> {
  if (s.kind === 'reference') {
    const scope = attachReference(s.program);
    return () => {
      scope.closeAll();
      return Promise.resolve();
    };
  }
  const stop = new AbortController();
  let attached!: () => void;
  const isAttached = new Promise<void>((resolve) => (attached = resolve));
  const outcome = engine.execute(s.query.text, { signal: stop.signal, onAttached: () => attached() });
  const end = async (): Promise<void> => {
    stop.abort();
    try {
      await outcome;
    } finally {
      engine.teardownKernel();
    }
  };
  try {
    await Promise.race([isAttached, outcome.then(() => Promise.reject(new Error(`'${s.query.text}' ended before it attached`)))]);
  } catch (e) {
    await end().catch(() => undefined);
    throw e;
  }
  return end;
}

async function oneRound(engine: Engine, w: Workload, pair: SidePair, calls: number, handFirst: boolean): Promise<SideRound> {
  // Programs detached a moment ago linger, named, until an RCU grace period has passed: only
  // programs that were not there before the round count.
  const before = new Set(listPrograms().map((p) => p.id));
  const fresh = (name: string): number[] => listPrograms().filter((p) => p.name === name && !before.has(p.id)).map((p) => p.id);
  let hand: KernelScope | undefined;
  let endSubject: (() => Promise<void>) | undefined;
  // Attached before both, so that neither is the first on the hook (see above).
  const first = attachReference('first-on-hook-btf');
  try {
    if (handFirst) hand = attachReference(pair.reference);
    endSubject = await attachSubject(engine, pair.subject);
    if (!handFirst) hand = attachReference(pair.reference);
    const handIds = fresh(REFERENCE_NAMES[pair.reference]);
    const firstIds = fresh(REFERENCE_NAMES['first-on-hook-btf']);
    const subjectIds = pair.subject.kind === 'reference'
      ? fresh(REFERENCE_NAMES[pair.subject.program])
      : heldProgramIds(process.pid).filter((id) => !before.has(id) && !handIds.includes(id) && !firstIds.includes(id));
    if (subjectIds.length === 0 || handIds.length !== 1) {
      throw new Error(`expected the subject's programs and one ${REFERENCE_NAMES[pair.reference]}, found ${subjectIds.length} and ${handIds.length}`);
    }
    const [s0, h0] = [sum(subjectIds), sum(handIds)];
    await runLoop(w, calls);
    const [s1, h1] = [sum(subjectIds), sum(handIds)];
    const events = Math.max(1, h1.runCount - h0.runCount);
    return {
      handFirst,
      subjectNs: (s1.runTimeNs - s0.runTimeNs) / events,
      handNs: (h1.runTimeNs - h0.runTimeNs) / events,
      subjectRuns: s1.runCount - s0.runCount,
      handRuns: events,
    };
  } finally {
    await endSubject?.();
    hand?.closeAll();
    first.closeAll();
  }
}

/** `rounds` pairs of runs per comparison, the two orders back to back. */
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
        line.push(`${subjectName(r.pair.subject)}: hand first ${a!.subjectNs.toFixed(1)} vs ${a!.handNs.toFixed(1)}, hand second ${b!.subjectNs.toFixed(1)} vs ${b!.handNs.toFixed(1)}`);
      }
      opts.log(`  round ${round + 1}/${opts.rounds}, subject vs hand-written ns per event: ${line.join('; ')}`);
    }
  } finally {
    stats();
  }
  return results;
}
