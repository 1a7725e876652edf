// Entry of `bpfql run`: flags, the run, its summary on stderr (stdout belongs to the command) and
// the report files. Returns bpfql's exit code.
import { replaceFileText } from '../../output/safe-file.js';
import { UsageError } from '../args.js';
import { ExitCode } from '../../engine/report-error.js';
import type { RunOptions } from './args.js';
import { parseRunArgs, RUN_USAGE } from './args.js';
import type { RunReport } from './report.js';
import { comparisonName, describeAssertion, describeComparison, regressions } from './report.js';
import { renderReport } from './report-formats.js';
import { runCommand } from './run-command.js';

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function summarize(r: RunReport): void {
  for (const a of r.assertions) log(`${a.passed ? 'PASS' : 'FAIL'} ${a.sql}: ${describeAssertion(a)}`);
  if (r.baseline) {
    const { comparisons, unmatched } = r.baseline.result;
    for (const c of regressions(r)) log(`REGRESSION ${comparisonName(c)}: ${describeComparison(c, r.baseline.tolerancePct)}`);
    log(`baseline ${r.baseline.path}: ${comparisons.length} values compared, ${regressions(r).length} regressed, ${unmatched.length} without a match`);
  }
  if (r.exitCode !== null || r.signal !== null) {
    const how = r.signal !== null ? `was killed by ${r.signal}` : `exited with ${r.exitCode}`;
    log(`bpfql run: the command ${how} after ${r.durationMs} ms; bpfql exits with ${r.exit}`);
  }
}

export async function runMain(argv: readonly string[]): Promise<number> {
  let opts: RunOptions;
  try {
    opts = parseRunArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    log(`error: ${e.message}\n${RUN_USAGE}`);
    return ExitCode.badQuery;
  }
  if (opts.help) {
    process.stdout.write(`${RUN_USAGE}\n`);
    return ExitCode.ok;
  }
  const report = await runCommand(opts, log);
  summarize(report);
  for (const target of opts.reports) {
    try {
      replaceFileText(target.path, renderReport(target.format, report));
    } catch (e) {
      log(`error: ${e instanceof Error ? e.message : String(e)}`);
      return ExitCode.runtime;
    }
  }
  return report.exit;
}
