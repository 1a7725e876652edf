// bpfql's command line: runs statements, prints or exports results, maps failures to exit codes.
// Loaded by main.ts once it has made sure the process may load it.
import { readFileSync } from 'node:fs';
import type { Outcome } from '../engine/engine.js';
import { Engine, shiftDiagnostics } from '../engine/engine.js';
import type { Completeness } from '../runtime/completeness.js';
import { describeCompleteness, isComplete } from '../runtime/completeness.js';
import { splitStatements } from '../query/split.js';
import { exportExtensionsText, exportFormatOf, textFormat } from '../output/formats.js';
import { checkTarget, OutputFileError } from '../output/safe-file.js';
import type { CompletenessNote, ResultWriter, TextSink } from '../output/writer.js';
import { writeResult } from '../output/writer.js';
import type { QueryResult } from '../store/session.js';
import type { CliOptions } from './args.js';
import { parseCli, USAGE, UsageError } from './args.js';
import { ExitCode, reportError } from '../engine/report-error.js';
import { outputPathProblem } from './output-path.js';
import { Stdout } from './stdout.js';
import { LiveExport } from './live-export.js';
import { VERSION } from '../engine/version.js';
import { assertNever } from '../diag/assert-never.js';

function readScript(opts: CliOptions): string | undefined {
  if (opts.query !== undefined) return opts.query;
  if (opts.file !== undefined) return readFileSync(opts.file === '-' ? 0 : opts.file, 'utf8');
  if (!process.stdin.isTTY) return readFileSync(0, 'utf8');
  return undefined;
}

function tableWidth(): { maxWidth?: number } {
  return process.stdout.isTTY ? { maxWidth: process.stdout.columns } : {};
}

const stderr: TextSink = { write: (text) => process.stderr.write(text) };

/**
 * A writer of the chosen format on stdout; what must not go there goes to stderr. `live`: for
 * rows written as they arrive (the table lays itself out from the first batch).
 */
function writer(opts: CliOptions, out: Stdout, live = false): ResultWriter {
  return textFormat(opts.format).writer({ out, aside: stderr, ...tableWidth(), live });
}

function completenessNote(c: Completeness): CompletenessNote {
  return { text: describeCompleteness(c), counts: { ...c } };
}

/** `live`: the writer the statement's rows were streamed to, if they were. */
function printOutcome(o: Outcome, opts: CliOptions, out: Stdout, live: ResultWriter): void {
  if (o.kind === 'text') {
    out.write(`${o.text}\n`);
    return;
  }
  // The format says where the completeness goes: under a table, on stderr beside machine formats.
  const w = writer(opts, out);
  const completeness = o.kernel && completenessNote(o.kernel.completeness);
  switch (o.kind) {
    case 'done':
      out.write(`${o.message}\n`);
      w.end(completeness);
      break;
    case 'rows':
      // Rows shown as they arrived, and windows shown as they closed, are not shown again.
      if (o.streamed) live.end(completeness);
      else if (textFormat(opts.format).liveWindows && o.kernel?.plan.everyMs !== undefined) w.end(completeness);
      else writeResult(w, o.result, completeness);
      break;
    default:
      return assertNever(o);
  }
}

/** Why bpfql won't write `paths` (a symlink, a directory), or undefined. */
function unsafeTarget(...paths: readonly string[]): string | undefined {
  try {
    for (const p of paths) checkTarget(p);
    return undefined;
  } catch (e) {
    if (e instanceof OutputFileError) return e.message;
    throw e;
  }
}

async function run(opts: CliOptions): Promise<number> {
  // A link planted at the DuckDB file or at its write-ahead log would redirect root's writes.
  const badDb = opts.db === undefined ? undefined : unsafeTarget(opts.db, `${opts.db}.wal`);
  if (badDb !== undefined) {
    process.stderr.write(`error: ${badDb}\n`);
    return ExitCode.runtime;
  }
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
    process.stderr.write(`error: cannot tell the format of '${opts.output}': use ${exportExtensionsText()}\n`);
    return ExitCode.badQuery;
  }
  // A target that will be refused is said before the query runs, not after.
  const badOutput = opts.output === undefined ? undefined : unsafeTarget(opts.output) ?? outputPathProblem(opts.output);
  if (badOutput !== undefined) {
    process.stderr.write(`error: ${badOutput}\n`);
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
  // A dropped ssh session: the result is still exported (and printed, if the output still works).
  process.on('SIGHUP', onSignal);
  // Output that stopped working ends the running query, and the script, like a signal.
  const out = new Stdout(() => controller.abort());

  const engine = await Engine.open({ ...(opts.db ? { db: opts.db } : {}), ...(opts.maxKeys ? { maxEntries: opts.maxKeys } : {}) });
  let exitCode: number = ExitCode.ok;
  let incomplete = false;
  try {
    const statements = splitStatements(script);
    let last: { outcome: Outcome; text: string; file?: LiveExport } | undefined;
    // -o to a format that streams: a streamed query's rows go into the file as they arrive too.
    const fileFormat = opts.output === undefined ? undefined : exportFormatOf(opts.output);
    for (const stmt of statements) {
      let outcome: Outcome;
      // A query whose rows each come from one event prints them as they arrive.
      const live = writer(opts, out, true);
      const file = opts.output !== undefined && fileFormat?.kind === 'text' && fileFormat.streams ? new LiveExport(opts.output, fileFormat, () => controller.abort()) : undefined;
      try {
        // Some formats (the table) show each EVERY window as it closes; others print the whole result once.
        const windows = textFormat(opts.format).liveWindows ? { onWindow: (rows: QueryResult) => writeResult(writer(opts, out), rows) } : {};
        const attached = opts.verbose ? { onAttached: () => process.stderr.write(`bpfql: attached, ${Math.round(performance.now())} ms after start\n`) } : {};
        // One query printed and done: nothing reads `last` after it, so DuckDB need not load for it.
        const direct = statements.length === 1 && opts.output === undefined ? { direct: true } : {};
        outcome = await engine.execute(stmt.text, { signal: controller.signal, onRows: file ? file.tee(live) : live, ...windows, ...attached, ...direct });
      } catch (e) {
        const r = reportError(shiftDiagnostics(e, stmt.start), script);
        process.stderr.write(`${r.text}\n`);
        exitCode = r.exitCode;
        break;
      }
      printOutcome(outcome, opts, out, live);
      // The query's programs, links and maps go once its result is out, before the next statement:
      // kept, they would go on firing, and a tracepoint takes at most 64 programs (E2BIG).
      engine.teardownKernel();
      if (outcome.kind !== 'text' && outcome.kernel && !isComplete(outcome.kernel.completeness)) incomplete = true;
      last = { outcome, text: stmt.text, ...(file?.begun ? { file } : {}) };
      if (controller.signal.aborted) break;
    }
    if (last?.file !== undefined) {
      const failure = last.file.failure;
      if (failure !== undefined) throw failure;
      process.stderr.write(`wrote ${last.file.rows} rows to ${opts.output}\n`);
    } else if (opts.output !== undefined && last && last.outcome.kind === 'rows') {
      const sql = last.outcome.table ? `SELECT * FROM ${last.outcome.table}` : last.text;
      // Loaded only here, after the run: a query without -o never waits for them.
      const [{ exportQuery }, { provenance }] = await Promise.all([import('../output/export.js'), import('./provenance.js')]);
      await exportQuery(engine.session, sql, opts.output, { metadata: provenance(last.text, last.outcome.kernel) });
      process.stderr.write(`wrote ${last.outcome.result.rows.length} rows to ${opts.output}\n`);
    }
  } catch (e) {
    const r = reportError(e, script);
    process.stderr.write(`${r.text}\n`);
    exitCode = r.exitCode;
  } finally {
    await engine.close();
  }
  const outputFailed = await out.settle();
  if (outputFailed !== undefined) {
    process.stderr.write(`error: ${outputFailed}\n`);
    if (exitCode === ExitCode.ok) exitCode = ExitCode.runtime;
  }
  if (exitCode === ExitCode.ok && incomplete && opts.strict) {
    process.stderr.write('error: --strict: the result is incomplete\n');
    return ExitCode.runtime;
  }
  return exitCode;
}

export async function main(): Promise<void> {
  try {
    process.exit(await command());
  } catch (e) {
    process.stderr.write(`${reportError(e, '').text}\n`);
    process.exit(ExitCode.runtime);
  }
}

async function command(): Promise<number> {
  // The subcommands are loaded only when asked for: a plain query must not wait for their modules.
  if (process.argv[2] === 'run') return (await import('./run/cli.js')).runMain(process.argv.slice(3));
  if (process.argv[2] === 'watch') return (await import('./watch/watch.js')).watchMain(process.argv.slice(3));
  if (process.argv[2] === 'serve') return (await import('./serve/serve.js')).serveMain(process.argv.slice(3));
  let opts: CliOptions;
  try {
    opts = parseCli(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`error: ${e.message}\n${USAGE}\n`);
    return ExitCode.badQuery;
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return ExitCode.ok;
  }
  if (opts.version) {
    process.stdout.write(`bpfql ${VERSION}\n`);
    return ExitCode.ok;
  }
  return run(opts);
}
