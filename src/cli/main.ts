#!/usr/bin/env node
// bpfql's command line: runs statements, prints or exports results, maps failures to exit codes.
import { readFileSync } from 'node:fs';
import type { Outcome } from '../engine/engine.js';
import { Engine, shiftDiagnostics } from '../engine/engine.js';
import { describeCompleteness, isComplete } from '../engine/completeness.js';
import { splitStatements } from '../query/split.js';
import { exportFormatOf, exportQuery } from '../sink/export.js';
import { formatResult } from '../sink/format.js';
import type { QueryResult } from '../sink/session.js';
import type { CliOptions } from './args.js';
import { parseCli, USAGE, UsageError } from './args.js';
import { ExitCode, reportError } from './errors.js';
import { outputPathProblem } from './output-path.js';
import { provenance } from './provenance.js';
import { runMain } from './run/cli.js';
import { VERSION } from './version.js';

function readScript(opts: CliOptions): string | undefined {
  if (opts.query !== undefined) return opts.query;
  if (opts.file !== undefined) return readFileSync(opts.file === '-' ? 0 : opts.file, 'utf8');
  if (!process.stdin.isTTY) return readFileSync(0, 'utf8');
  return undefined;
}

function tableWidth(): { maxWidth?: number } {
  return process.stdout.isTTY ? { maxWidth: process.stdout.columns } : {};
}

function printOutcome(o: Outcome, opts: CliOptions): void {
  switch (o.kind) {
    case 'text': process.stdout.write(`${o.text}\n`); break;
    case 'done': process.stdout.write(`${o.message}\n`); break;
    case 'rows':
      if (!(opts.format === 'table' && o.kernel?.plan.everyMs !== undefined)) process.stdout.write(`${formatResult(o.result, opts.format, tableWidth())}\n`);
      break;
  }
  if (o.kind !== 'text' && o.kernel) {
    // Table output keeps the completeness under the table; machine formats keep stdout parseable
    // and give it on stderr as JSON.
    if (opts.format === 'table') process.stdout.write(`${describeCompleteness(o.kernel.completeness)}\n`);
    else process.stderr.write(`${JSON.stringify({ completeness: o.kernel.completeness })}\n`);
  }
}

async function run(opts: CliOptions): Promise<number> {
  const script = readScript(opts);
  if (script === undefined) {
    // Ink draws only a final frame when the environment says CI (CI=true), which would leave a
    // terminal user without a prompt; the REPL only starts at a terminal, so it is interactive.
    delete process.env['CI'];
    delete process.env['CONTINUOUS_INTEGRATION'];
    // Loaded only here: the REPL's UI libraries would slow every scripted run.
    const { startRepl } = await import('../repl/start.js');
    return startRepl({ ...(opts.db ? { db: opts.db } : {}), ...(opts.maxKeys ? { maxEntries: opts.maxKeys } : {}) });
  }
  if (opts.output !== undefined && exportFormatOf(opts.output) === undefined) {
    process.stderr.write(`error: cannot tell the format of '${opts.output}': use .parquet, .csv, .json or .ndjson\n`);
    return ExitCode.badQuery;
  }
  const unwritable = opts.output === undefined ? undefined : outputPathProblem(opts.output);
  if (unwritable !== undefined) {
    process.stderr.write(`error: ${unwritable}\n`);
    return ExitCode.runtime;
  }
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    // The first signal ends the running query and keeps its result; a second one gives up.
    if (++interrupts > 1) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const engine = await Engine.open({ ...(opts.db ? { db: opts.db } : {}), ...(opts.maxKeys ? { maxEntries: opts.maxKeys } : {}) });
  let exitCode: number = ExitCode.ok;
  let incomplete = false;
  try {
    const statements = splitStatements(script);
    let last: { outcome: Outcome; text: string } | undefined;
    for (const stmt of statements) {
      let outcome: Outcome;
      try {
        // Table output shows each EVERY window as it closes; other formats print the whole result once.
        const live = opts.format === 'table' ? { onWindow: (rows: QueryResult) => process.stdout.write(`${formatResult(rows, 'table', tableWidth())}\n`) } : {};
        const attached = opts.verbose ? { onAttached: () => process.stderr.write(`bpfql: attached, ${Math.round(performance.now())} ms after start\n`) } : {};
        outcome = await engine.execute(stmt.text, { signal: controller.signal, ...live, ...attached });
      } catch (e) {
        const r = reportError(shiftDiagnostics(e, stmt.start), script);
        process.stderr.write(`${r.text}\n`);
        exitCode = r.exitCode;
        break;
      }
      printOutcome(outcome, opts);
      if (outcome.kind !== 'text' && outcome.kernel && !isComplete(outcome.kernel.completeness)) incomplete = true;
      last = { outcome, text: stmt.text };
      if (controller.signal.aborted) break;
    }
    if (opts.output !== undefined && last && last.outcome.kind === 'rows') {
      const sql = last.outcome.table ? `SELECT * FROM ${last.outcome.table}` : last.text;
      await exportQuery(engine.session, sql, opts.output, { metadata: provenance(last.text, last.outcome.kernel) });
      process.stderr.write(`wrote ${last.outcome.result.rows.length} rows to ${opts.output}\n`);
    }
  } catch (e) {
    const r = reportError(e, script);
    process.stderr.write(`${r.text}\n`);
    exitCode = r.exitCode;
  } finally {
    await engine.session.close();
  }
  if (exitCode === ExitCode.ok && incomplete && opts.strict) {
    process.stderr.write('error: --strict: the result is incomplete\n');
    return ExitCode.runtime;
  }
  return exitCode;
}

async function main(): Promise<void> {
  if (process.argv[2] === 'run') process.exit(await runMain(process.argv.slice(3)));
  let opts: CliOptions;
  try {
    opts = parseCli(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`error: ${e.message}\n${USAGE}\n`);
    process.exit(ExitCode.badQuery);
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(ExitCode.ok);
  }
  if (opts.version) {
    process.stdout.write(`bpfql ${VERSION}\n`);
    process.exit(ExitCode.ok);
  }
  // Exiting closes every program, map and link at once; no need to wait for each to detach.
  process.exit(await run(opts));
}

main().catch((e: unknown) => {
  process.stderr.write(`${reportError(e, '').text}\n`);
  process.exit(ExitCode.runtime);
});
