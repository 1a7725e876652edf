// Whole command lines for the fuzzer: flags in any order, option values good and bad, and query
// texts from the README examples and the grammar, mutated. Case `index` of a seed is a pure
// function of the two (and of the scratch directory its paths point into).
import { join } from 'node:path';
import { FORMATS, TEXT_FORMATS } from '../../src/output/formats.js';
import { generateStatement } from './gen-query.js';
import { mutate } from './mutate.js';
import { caseSeed, Rng } from './rng.js';
import type { TableShape } from './tables.js';

export interface CommandLineCase {
  readonly seed: number;
  readonly argv: readonly string[];
}

/** `-o` paths that can be written: one per format that has an extension. */
const GOOD_OUTPUTS = FORMATS.flatMap((f) => f.extensions.slice(0, 1)).map((e) => `out.${e}`);

/** Paths the options may name, in a scratch directory the runner prepares (see prepareScratch). */
export function scratchPaths(dir: string): { outputs: string[]; dbs: string[]; files: string[] } {
  return {
    outputs: [...GOOD_OUTPUTS, 'out.txt', 'noext', 'missing/x.csv', 'a-dir.csv', 'script.sql/x.csv'].map((p) => join(dir, p)),
    dbs: [join(dir, 'results.duckdb'), dir, join(dir, 'corrupt.duckdb'), join(dir, 'missing', 'x.duckdb')],
    files: [join(dir, 'script.sql'), join(dir, 'missing.sql'), join(dir, 'a-dir.csv')],
  };
}

function valueOf(rng: Rng, good: readonly string[], bad: readonly string[]): string {
  return rng.chance(0.7) ? rng.pick(good) : rng.pick(bad);
}

const JUNK = ['--', '-', '--bogus', '-x', '--format=', '--max-keys=', '-ov', '-vf', '--help=1', '--strict=no', '', ' ', '-e', '--query', 'run'];

/** The query of a case: a README example or a generated statement, often mutated. */
function queryText(rng: Rng, examples: readonly string[], tables: readonly TableShape[]): string {
  const base = rng.chance(0.6) ? rng.pick(examples) : generateStatement(rng, tables);
  return rng.chance(0.7) ? mutate(rng, base, tables) : base;
}

export function commandLine(seed: number, examples: readonly string[], tables: readonly TableShape[], dir: string): CommandLineCase {
  const rng = new Rng(seed);
  const paths = scratchPaths(dir);
  const argv: string[] = [];
  const flag = (p: number, ...words: string[]): void => {
    if (rng.chance(p)) argv.push(...words);
  };
  flag(0.3, '--format', valueOf(rng, TEXT_FORMATS.map((f) => f.name), ['xml', '', 'JSON', 'tabl', '--strict']));
  flag(0.2, '-o', valueOf(rng, paths.outputs.slice(0, GOOD_OUTPUTS.length), paths.outputs.slice(GOOD_OUTPUTS.length)));
  flag(0.15, '--max-keys', valueOf(rng, ['1', '16', '1024', '65536'], ['0', '-1', '1e3', 'abc', '99999999999999999999', '']));
  flag(0.03, '--db', valueOf(rng, paths.dbs.slice(0, 1), paths.dbs.slice(1)));
  flag(0.1, '--strict');
  flag(0.1, '-v');
  flag(0.01, rng.pick(['--help', '-h', '--version']));
  const useFile = rng.chance(0.05);
  if (useFile) argv.push('-f', rng.pick(paths.files));
  const junk = rng.chance(0.1) ? [rng.pick(JUNK)] : [];
  const positional = useFile && rng.chance(0.8) ? [] : [queryText(rng, examples, tables)];
  // Flags and the query in any order, as people type them; a flag keeps its value right after it.
  const grouped: string[][] = [];
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    const takesValue = ['--format', '-o', '--max-keys', '--db', '-f'].includes(w) && i + 1 < argv.length;
    grouped.push(takesValue ? [w, argv[++i]!] : [w]);
  }
  const items = [...grouped, junk, positional].filter((g) => g.length > 0).map((g) => ({ g, k: rng.next() })).sort((a, b) => a.k - b.k);
  return { seed, argv: items.flatMap((x) => x.g) };
}

export function commandLineCase(runSeed: number, index: number, examples: readonly string[], tables: readonly TableShape[], dir: string): CommandLineCase {
  return commandLine(caseSeed(runSeed, index), examples, tables, dir);
}
