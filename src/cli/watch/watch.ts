// `bpfql watch RULES.sql`: every rule of the file runs at once in one process, and each row of
// any rule is written the moment it arrives, as an alert: the rule's name, the time, the row.
// Every rule is checked before any is attached. Each rule has a live writer of its own on the
// shared stdout, so an NDJSON alert is one self-describing line whatever the rule selects.
import { readFileSync } from 'node:fs';
import type { Outcome } from '../../engine/engine.js';
import { Engine } from '../../engine/engine.js';
import type { RowSink } from '../../engine/live-rows.js';
import { ExitCode, reportError } from '../../engine/report-error.js';
import { textFormat } from '../../output/formats.js';
import type { QueryColumn, Row } from '../../output/result.js';
import type { ResultWriter } from '../../output/writer.js';
import { describeCompleteness } from '../../runtime/completeness.js';
import { afterMs } from '../../runtime/long-timer.js';
import { UsageError } from '../args.js';
import { Stdout } from '../stdout.js';
import type { WatchOptions } from './args.js';
import { parseWatchArgs, WATCH_USAGE } from './args.js';
import type { Rule } from './rules.js';
import { BadRule, readRules } from './rules.js';

/** The time an alert is written, as DuckDB writes a timestamp (UTC), for rules that select no ts. */
function nowText(): string {
  return new Date().toISOString().replace('T', ' ').replace('Z', '');
}

/** A rule's rows as alerts: `rule` first, then `ts` (the row's own, or the time seen), then the rest. */
function alertSink(rule: Rule, w: ResultWriter): RowSink & { alerts: number } {
  /** Where the row's own ts is, or -1. */
  let tsAt = -1;
  const sink = {
    alerts: 0,
    begin: (columns: readonly QueryColumn[]): void => {
      tsAt = columns.findIndex((c) => c.name === 'ts');
      const ts = columns[tsAt] ?? { name: 'ts', type: 'TIMESTAMP' };
      w.begin([{ name: 'rule', type: 'VARCHAR' }, ts, ...columns.filter((_, i) => i !== tsAt)]);
    },
    rows: (batch: readonly Row[]): void => {
      sink.alerts += batch.length;
      w.rows(batch.map((row) => [rule.name, tsAt >= 0 ? row[tsAt] : nowText(), ...row.filter((_, i) => i !== tsAt)]));
    },
  };
  return sink;
}

async function watch(opts: WatchOptions & { readonly rulesFile: string }): Promise<number> {
  let script: string;
  try {
    script = readFileSync(opts.rulesFile, 'utf8');
  } catch (e) {
    process.stderr.write(`error: cannot read ${opts.rulesFile}: ${e instanceof Error ? e.message : String(e)}\n`);
    return ExitCode.badQuery;
  }
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    if (++interrupts > 1) process.exit(130);
    controller.abort();
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, onSignal);
  const out = new Stdout(() => controller.abort());
  const aside = { write: (t: string): void => void process.stderr.write(t) };
  const engine = await Engine.open();
  let exitCode: number = ExitCode.ok;
  try {
    let rules: Rule[];
    try {
      rules = await readRules(engine, script);
    } catch (e) {
      const what = e instanceof BadRule ? `bpfql watch: rule ${e.rule} cannot run; nothing was attached\n` : '';
      const r = reportError(e instanceof BadRule ? e.error : e, script, opts.rulesFile);
      process.stderr.write(`${what}${r.text}\n`);
      return r.exitCode;
    }
    let attachedCount = 0;
    let allAttached = (): void => undefined;
    const attached = new Promise<void>((resolve) => (allAttached = resolve));
    const ended = new Promise<void>((resolve) => {
      controller.signal.addEventListener('abort', () => resolve(), { once: true });
      if (opts.durationMs !== undefined) void attached.then(() => afterMs(opts.durationMs!, resolve));
    });
    const runs = rules.map((rule) => {
      const w = textFormat(opts.format).writer({ out, aside, live: true });
      const sink = alertSink(rule, w);
      const done = engine.execute(rule.query, {
        signal: controller.signal,
        until: ended,
        onRows: sink,
        // A watch runs for days: its alerts are written, not kept.
        keepStreamed: false,
        onAttached: () => {
          if (++attachedCount < rules.length) return;
          allAttached();
          if (opts.verbose) process.stderr.write(`bpfql: attached, ${rules.length} rules\n`);
        },
      });
      return { rule, w, sink, done };
    });
    const outcomes = await Promise.allSettled(runs.map((r) => r.done));
    outcomes.forEach((o, i) => {
      const { rule, w, sink } = runs[i]!;
      if (o.status === 'rejected') {
        process.stderr.write(`rule ${rule.name}: ${reportError(o.reason, rule.query, rule.name).text}\n`);
        exitCode = ExitCode.runtime;
        return;
      }
      const kernel = (o.value as Extract<Outcome, { kind: 'rows' }>).kernel;
      w.end();
      if (kernel) process.stderr.write(`${JSON.stringify({ rule: rule.name, alerts: sink.alerts, complete: describeCompleteness(kernel.completeness), completeness: { ...kernel.completeness } })}\n`);
    });
  } finally {
    await engine.close();
  }
  const failed = await out.settle();
  if (failed !== undefined) {
    process.stderr.write(`error: ${failed}\n`);
    return ExitCode.runtime;
  }
  return exitCode;
}

export async function watchMain(argv: readonly string[]): Promise<number> {
  let opts: WatchOptions;
  try {
    opts = parseWatchArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`error: ${e.message}\n${WATCH_USAGE}\n`);
    return ExitCode.badQuery;
  }
  if (opts.help || opts.rulesFile === undefined) {
    process.stdout.write(`${WATCH_USAGE}\n`);
    return ExitCode.ok;
  }
  return watch({ ...opts, rulesFile: opts.rulesFile });
}
