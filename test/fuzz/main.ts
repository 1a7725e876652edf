// `npm run fuzz`: a fuzz campaign over the parser, planner and code generator, then one over
// whole command lines (flags, option values and queries, run in-process against a fake kernel).
//   node dist/test/fuzz/main.js [--cases N] [--seed S]   run N cases of each (default 10 000)
//   node dist/test/fuzz/main.js --case-seed C           replay one case and print it
// Prints the outcome counts; on failures prints each with its replay seed and exits 1.
import { parseArgs } from 'node:util';
import { caseFromSeed } from './cases.js';
import { describeFailure, runFuzz } from './fuzz-run.js';
import { runCommandLines } from './cli-fuzz.js';
import { CaseRunner } from './run-cases.js';

const DEFAULT_CASES = 10_000;

function seedArg(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`--${name} needs an integer in [0, 2^32)`);
  return n;
}

function replay(caseSeed: number): number {
  const runner = new CaseRunner();
  const fuzz = caseFromSeed(caseSeed, runner.tables);
  const report = runner.run(fuzz, 0);
  process.stdout.write(`${fuzz.source} case ${caseSeed}, options ${JSON.stringify(fuzz.options, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}\n`);
  process.stdout.write(`query: ${JSON.stringify(fuzz.text)}\n`);
  const v = report.verdict;
  process.stdout.write(`${v.kind === 'failure' ? `FAILURE: ${v.reason}` : v.kind === 'diagnostic' ? `diagnostic ${v.code}` : 'ok'} (${report.ms.toFixed(1)} ms)\n`);
  return v.kind === 'failure' ? 1 : 0;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { cases: { type: 'string' }, seed: { type: 'string' }, 'case-seed': { type: 'string' } } });
  const caseSeed = seedArg(values['case-seed'], 'case-seed');
  if (caseSeed !== undefined) return replay(caseSeed);
  const cases = values.cases === undefined ? DEFAULT_CASES : Number(values.cases);
  if (!Number.isInteger(cases) || cases <= 0) throw new Error('--cases needs a positive integer');
  // A fresh seed each run explores new cases; the seed printed first replays the whole run.
  const seed = seedArg(values.seed, 'seed') ?? (Date.now() >>> 0);
  process.stdout.write(`fuzzing ${cases} cases with seed ${seed}\n`);
  const s = await runFuzz(seed, cases);
  const sorted = (m: ReadonlyMap<string, number>): string => [...m].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
  process.stdout.write(`sources:  ${sorted(s.sources)}\noutcomes: ${sorted(s.outcomes)}\n`);
  process.stdout.write(`${s.cases} cases in ${(s.elapsedMs / 1000).toFixed(1)} s, ${s.failures.length} failure(s)\n`);
  for (const f of s.failures) process.stdout.write(`\n${describeFailure(seed, f)}\n`);
  if (s.failures.length > 0) process.stdout.write(`\nreplay the run: node dist/test/fuzz/main.js --seed ${seed} --cases ${cases}\n`);

  process.stdout.write(`\nfuzzing ${cases} command lines with seed ${seed}\n`);
  const lines = await runCommandLines(seed, cases);
  const stacks = lines.failures.filter((f) => f.reason.startsWith('a stack trace')).length;
  process.stdout.write(`exit codes: ${[...lines.exits].sort((a, b) => a[0] - b[0]).map(([k, n]) => `${k}: ${n}`).join(', ')}\n`);
  process.stdout.write(`${lines.cases} command lines in ${(lines.elapsedMs / 1000).toFixed(1)} s, ${lines.failures.length} failure(s), ${stacks} stack trace(s)\n`);
  for (const f of lines.failures) process.stdout.write(`\nline ${f.index} of seed ${seed}: ${JSON.stringify(f.argv)}\n  ${f.reason.split('\n').join('\n  ')}\n`);
  return s.failures.length + lines.failures.length > 0 ? 1 : 0;
}

main().then((code) => process.exit(code), (e: unknown) => {
  process.stderr.write(`fuzz: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
