// Command-line flags of `bpfql run [options] -- <command> [args...]`.
import { parseArgs } from 'node:util';
import { maxKeysOf, UsageError } from '../args.js';
import type { ReportFormatName } from './report-formats.js';
import { REPORT_FILES, REPORT_KINDS, REPORT_NAMES, reportFormatOf } from './report-formats.js';

/** Where the queries come from: one `-e` text or one `-f` file, in the order given. */
export type QuerySource =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'file'; readonly path: string };

export interface ReportTarget {
  readonly path: string;
  readonly format: ReportFormatName;
}

export interface RunOptions {
  readonly sources: readonly QuerySource[];
  readonly asserts: readonly string[];
  readonly baseline?: { readonly path: string; readonly tolerancePct: number };
  readonly saveBaseline?: string;
  readonly reports: readonly ReportTarget[];
  readonly maxKeys?: number;
  /** The command and its arguments, exactly as given after `--`. */
  readonly command: readonly string[];
  readonly help: boolean;
}

export const DEFAULT_TOLERANCE_PCT = 10;

export const RUN_USAGE = `usage: bpfql run [options] -- COMMAND [ARGS...]

Runs COMMAND in a cgroup of its own, traces only it, its descendants and the cgroups (containers)
it makes below its own, ends the queries when it exits, then checks assertions and baselines on the results.

options:
  -e, --query QUERY         a query to run while the command runs (repeatable)
  -f, --file FILE.sql       queries from a file (repeatable)
  --assert SQL              DuckDB SQL over the results; the first column of the first row
                            must be true (repeatable)
  --save-baseline FILE.parquet   keep this run's numeric results as a baseline
  --baseline FILE.parquet   compare with a saved baseline; a value that grew by more than the
                            tolerance is a regression
  --tolerance PCT           allowed growth in percent (default ${DEFAULT_TOLERANCE_PCT})
  --report ${REPORT_FILES}    write ${REPORT_KINDS} (repeatable)
  --max-keys N              keys of in-kernel aggregation maps (default 65536) and pairs in flight of paired tables (default 16384)
  -h, --help                this text

A bare query's result is table "last"; with several bare queries they are q1, q2, ... in order.

exit codes: the command's own when every assertion holds; 3 an assertion failed or a value
regressed; 2 bad query or usage; 1 tracing failed`;

function reportTarget(path: string): ReportTarget {
  const format = reportFormatOf(path);
  if (format === undefined) throw new UsageError(`--report ${path}: name the file ${REPORT_NAMES}`);
  return { path, format };
}

function tolerance(text: string): number {
  const n = Number(text.endsWith('%') ? text.slice(0, -1) : text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`--tolerance needs a percentage of 0 or more, not '${text}'`);
  return n;
}

function parquetPath(flag: string, path: string): string {
  if (!path.toLowerCase().endsWith('.parquet')) throw new UsageError(`${flag} ${path}: a baseline is a .parquet file`);
  return path;
}

/** Parses the arguments after `run`. Options come before `--`; everything after it is the command. */
export function parseRunArgs(argv: readonly string[]): RunOptions {
  const dashes = argv.indexOf('--');
  const optionArgs = dashes < 0 ? argv : argv.slice(0, dashes);
  const command = dashes < 0 ? [] : argv.slice(dashes + 1);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...optionArgs],
      allowPositionals: true,
      tokens: true,
      options: {
        query: { type: 'string', short: 'e', multiple: true },
        file: { type: 'string', short: 'f', multiple: true },
        assert: { type: 'string', multiple: true },
        baseline: { type: 'string' },
        'save-baseline': { type: 'string' },
        tolerance: { type: 'string' },
        report: { type: 'string', multiple: true },
        'max-keys': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const v = parsed.values;
  if (v.help) return { sources: [], asserts: [], reports: [], command, help: true };
  if (parsed.positionals.length > 0) {
    throw new UsageError(`put the command after '--': bpfql run [options] -- ${parsed.positionals.join(' ')}`);
  }
  if (command.length === 0) throw new UsageError("give the command to run after '--'");
  // -e and -f interleave in the order given, so take them from the tokens rather than the values.
  const sources: QuerySource[] = [];
  for (const t of parsed.tokens) {
    if (t.kind !== 'option' || t.value === undefined) continue;
    if (t.name === 'query') sources.push({ kind: 'text', text: t.value });
    if (t.name === 'file') sources.push({ kind: 'file', path: t.value });
  }
  if (sources.length === 0) throw new UsageError('give at least one query with -e QUERY or -f FILE.sql');
  if (v.tolerance !== undefined && v.baseline === undefined) throw new UsageError('--tolerance goes with --baseline FILE.parquet');
  return {
    sources,
    asserts: v.assert ?? [],
    ...(v.baseline !== undefined
      ? { baseline: { path: parquetPath('--baseline', v.baseline), tolerancePct: v.tolerance !== undefined ? tolerance(v.tolerance) : DEFAULT_TOLERANCE_PCT } }
      : {}),
    ...(v['save-baseline'] !== undefined ? { saveBaseline: parquetPath('--save-baseline', v['save-baseline']) } : {}),
    reports: (v.report ?? []).map(reportTarget),
    ...(v['max-keys'] !== undefined ? { maxKeys: maxKeysOf(v['max-keys']) } : {}),
    command,
    help: false,
  };
}
