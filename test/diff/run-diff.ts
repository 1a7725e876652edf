// A differential campaign: the queries of some case seeds in rounds of `perRound`, each round with its
// own workload comm. A query that lost events on a side (a ring buffer overrun by the machine's
// other processes) is run again once in a later round, scoped to the workload's cgroup; every
// other disagreement is a failure.
import { caseSeed } from '../fuzz/rng.js';
import { generateQuery, namesStack, statementOf } from './gen.js';
import { DiffRunner, type CaseResult, type Comparison } from './runner.js';
import { diffContainer, type WorkloadNames } from './workload-spec.js';

export interface DiffSummary {
  readonly results: readonly CaseResult[];
  readonly failures: readonly CaseResult[];
  /** How the first side ran, by plan mode. */
  readonly plannedModes: ReadonlyMap<string, number>;
  /** Queries run again, scoped to the workload's cgroup, after losing events. */
  readonly rerun: number;
  /** Queries not compared because their groups outnumbered the first side's map (the README's limit). */
  readonly mapFull: number;
  /** Queries not compared because a side's stack map turned stacks away (see Verdict). */
  readonly stacksLost: number;
  readonly elapsedMs: number;
}

/** The round's comm: unique to this process and round, 12 characters at most (children add 2). */
export function roundNames(round: number): WorkloadNames {
  return { comm: `dq${String(process.pid % 100000).padStart(5, '0')}r${String(round).padStart(4, '0')}`, container: diffContainer(process.pid) };
}

/** The case seeds of `count` queries of a run seeded with `seed`. */
export function campaignSeeds(seed: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => caseSeed(seed, i));
}

export async function runDiff(seeds: readonly number[], perRound: number, onRound?: (done: number, results: readonly CaseResult[]) => void, comparison: Comparison = 'plans'): Promise<DiffSummary> {
  const began = performance.now();
  const runner = DiffRunner.open(comparison);
  const final: CaseResult[] = [];
  let rerun = 0;
  try {
    let pending = seeds.map((seed) => ({ seed, retried: false }));
    let round = 0;
    while (pending.length > 0) {
      const batch = pending.slice(0, perRound);
      pending = pending.slice(perRound);
      const names = roundNames(round++);
      const queries = batch.map((c) => {
        const q = generateQuery(c.seed, names);
        return c.retried ? { ...q, scoped: true } : q;
      });
      const results = await runner.round(queries, names);
      results.forEach((r, i) => {
        if (r.verdict.kind === 'incomplete' && !batch[i]!.retried) {
          rerun++;
          pending.push({ seed: batch[i]!.seed, retried: true });
        } else {
          final.push(r);
        }
      });
      onRound?.(final.length, results);
    }
  } finally {
    await runner.close();
  }
  const plannedModes = new Map<string, number>();
  for (const r of final) plannedModes.set(r.plannedMode ?? 'none', (plannedModes.get(r.plannedMode ?? 'none') ?? 0) + 1);
  const failures = final.filter((r) => r.verdict.kind !== 'agree' && r.verdict.kind !== 'map-full' && r.verdict.kind !== 'stacks-lost');
  const mapFull = final.filter((r) => r.verdict.kind === 'map-full').length;
  const stacksLost = final.filter((r) => r.verdict.kind === 'stacks-lost').length;
  return { results: final, failures, plannedModes, rerun, mapFull, stacksLost, elapsedMs: performance.now() - began };
}

/** A failure as the runner prints it: how to replay it, the query and what differed. */
export function describeFailure(r: CaseResult, flags = ''): string {
  const detail = r.verdict.kind === 'agree' ? '' : r.verdict.detail;
  const scope = r.query.scoped ? ', scoped to the workload\'s cgroup' : '';
  return `[${r.verdict.kind}] case seed ${r.query.seed}${scope} (replay: node dist/test/diff/main.js --case-seed ${r.query.seed}${flags})\n  ${statementOf(r.query)}\n${detail}`;
}

/** What a campaign covered, one line per table and per feature: queries, and those with rows to compare. */
export function coverage(results: readonly CaseResult[]): string[] {
  const count = (label: string, rs: readonly CaseResult[]): string => `${label}: ${rs.length} (${rs.filter((r) => (r.rows ?? 0) > 0).length} with rows)`;
  const tables = [...new Set(results.map((r) => r.query.table))].sort();
  const windowed = results.filter((r) => r.query.every);
  return [
    ...tables.map((t) => count(t, results.filter((r) => r.query.table === t))),
    count('EVERY', windowed),
    `EVERY with several windows on both sides: ${windowed.filter((r) => r.windows && r.windows[0] > 1 && r.windows[1] > 1).length}`,
    count('address constants (127.0.0.1, ::1)', results.filter((r) => /'(127\.0\.0\.1|::1)'/.test(r.query.sql))),
    count('stack columns (kstack, ustack)', results.filter((r) => namesStack(r.query.sql))),
    count('negative constants', results.filter((r) => /[^a-z0-9_)] ?-\d/.test(r.query.sql))),
    count('cgroup columns (cgroup, container_id, container_name)', results.filter((r) => /\b("?)(cgroup|container_id|container_name)\1\b/i.test(r.query.sql))),
    count('a cgroup filter the kernel takes (= or LIKE)', results.filter((r) => /\b(cgroup|container_id|container_name)"? (= |LIKE )/i.test(r.query.sql))),
  ];
}
