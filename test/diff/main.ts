// `npm run test:diff`: the differential suite (needs root). Each generated query runs planned as
// usual and forced to stream raw rows, at the same time over one workload; the results must agree.
// With --hooks, each runs planned as usual on the cheapest hooks and on the classic tracepoints.
//   node dist/test/diff/main.js [--queries N] [--seed S] [--per-round K] [--hooks]   N queries (default 200)
//   node dist/test/diff/main.js --case-seed C [--hooks]                              replay one query
// Prints the seed first, then the queries per table and feature (and how many had rows to
// compare); on failures prints each with its replay seed and exits 1.
import { parseArgs } from 'node:util';
import { statementOf } from './gen.js';
import { campaignSeeds, coverage, describeFailure, runDiff } from './run-diff.js';
import { COMPARISONS } from './runner.js';

const DEFAULT_QUERIES = 200;
const DEFAULT_PER_ROUND = 10;

function intArg(text: string | undefined, name: string, max = 0xffffffff): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`--${name} needs an integer in [0, ${max}]`);
  return n;
}

async function main(): Promise<number> {
  if (process.getuid?.() !== 0) throw new Error('the differential suite loads BPF programs and needs root');
  const { values } = parseArgs({ options: { queries: { type: 'string' }, seed: { type: 'string' }, 'per-round': { type: 'string' }, 'case-seed': { type: 'string' }, hooks: { type: 'boolean' } } });
  const comparison = values.hooks === true ? 'hooks' : 'plans';
  const flag = values.hooks === true ? ' --hooks' : '';
  const caseSeed = intArg(values['case-seed'], 'case-seed');
  const queries = intArg(values.queries, 'queries', 1_000_000) ?? DEFAULT_QUERIES;
  const perRound = intArg(values['per-round'], 'per-round', 100) ?? DEFAULT_PER_ROUND;
  if (queries === 0 || perRound === 0) throw new Error('--queries and --per-round need a positive integer');
  // A fresh seed each run explores new queries; the seed printed first replays the whole run.
  const seed = intArg(values.seed, 'seed') ?? (Date.now() >>> 0);
  const s = caseSeed === undefined
    ? (process.stdout.write(`differential (${COMPARISONS[comparison].join(' against ')}): ${queries} queries with seed ${seed}, ${perRound} per round\n`),
      await runDiff(campaignSeeds(seed, queries), perRound, (done) => process.stdout.write(`  ${done}/${queries}${done === queries ? '\n' : '\r'}`), comparison))
    : await runDiff([caseSeed], 1, undefined, comparison);
  const modes = [...s.plannedModes].map(([m, n]) => `${m} ${n}`).join(', ');
  process.stdout.write(`${s.results.length} queries in ${(s.elapsedMs / 1000).toFixed(1)} s (${COMPARISONS[comparison][0]} side: ${modes}; ${s.rerun} rerun in the workload's cgroup after lost events; ${s.mapFull} not compared: more groups than the map holds; ${s.stacksLost} not compared: stacks lost), ${s.failures.length} failure(s)\n`);
  if (caseSeed !== undefined) process.stdout.write(`${statementOf(s.results[0]!.query)}\n`);
  else process.stdout.write(`${coverage(s.results).map((l) => `  ${l}`).join('\n')}\n`);
  for (const f of s.failures) process.stdout.write(`\n${describeFailure(f, flag)}\n`);
  if (s.failures.length > 0 && caseSeed === undefined) process.stdout.write(`\nreplay the run: node dist/test/diff/main.js --seed ${seed} --queries ${queries} --per-round ${perRound}${flag}\n`);
  return s.failures.length > 0 ? 1 : 0;
}

main().then((code) => process.exit(code), (e: unknown) => {
  process.stderr.write(`test:diff: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(2);
});
