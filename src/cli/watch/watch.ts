// `bpfql watch RULES.sql`: every rule of the file runs at once in one process, and each alert is
// written the moment it is made, to stdout and any other outputs. Every rule is checked before any
// is attached; SIGHUP reads the file again (reload.ts) and changes only the rules that changed.
import { readFileSync } from 'node:fs';
import { Engine } from '../../engine/engine.js';
import { cgroupV2Id } from '../../kernel/cgroup.js';
import { ExitCode, reportError } from '../../engine/report-error.js';
import { afterMs } from '../../runtime/long-timer.js';
import { UsageError } from '../args.js';
import { Stdout } from '../stdout.js';
import type { WatchOptions } from './args.js';
import { parseWatchArgs, WATCH_USAGE } from './args.js';
import type { AlertOutputs } from './outputs.js';
import { openOutputs } from './outputs.js';
import { planReload } from './reload.js';
import type { Rule } from './rules.js';
import { BadRule, readEachRule, readRules } from './rules.js';
import type { RunningRule } from './running.js';
import { runRule } from './running.js';

const say = (t: string): void => void process.stderr.write(t);

function readScript(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    say(`error: cannot read ${path}: ${e instanceof Error ? e.message : String(e)}\n`);
    return undefined;
  }
}

/** The rules running, by name, and the one place that starts and stops them. */
class RuleSet {
  readonly running = new Map<string, RunningRule>();
  failed = false;
  private idle = (): void => undefined;
  /** Resolves when no rule runs any more. */
  readonly allEnded = new Promise<void>((resolve) => (this.idle = resolve));
  /** A reload is changing the set: its stopping rules must not end the whole watch. */
  private changing = false;

  constructor(private readonly engine: Engine, private readonly outputs: AlertOutputs, private readonly ended: Promise<void>) {}

  start(rules: readonly Rule[], attached: () => void): void {
    let waiting = rules.length;
    for (const rule of rules) {
      const run = runRule(rule, {
        engine: this.engine,
        writers: this.outputs.writers,
        ended: this.ended,
        onAttached: () => {
          if (--waiting === 0) attached();
        },
        say,
      });
      this.running.set(rule.name, run);
      void run.done.then((ok) => {
        if (!ok) this.failed = true;
        if (this.running.get(rule.name) === run) this.running.delete(rule.name);
        // Its kernel objects go now, not at exit: a reloaded rule must not stay attached.
        this.engine.teardownKernel();
        if (this.running.size === 0 && !this.changing) this.idle();
      });
    }
  }

  /** Reads `path` again and applies the difference. */
  async reload(path: string, verbose: boolean): Promise<void> {
    const script = readScript(path);
    if (script === undefined) return;
    this.changing = true;
    try {
      const plan = planReload(new Map([...this.running].map(([name, r]) => [name, r.rule.text])), await readEachRule(this.engine, script));
      for (const bad of plan.bad) say(`bpfql watch: rule ${bad.rule} cannot run; ${this.running.has(bad.rule) ? 'its running version goes on' : 'not started'}\n${reportError(bad.error, script, path).text}\n`);
      const stopping = [...plan.stop.map((name) => [name, 'removed'] as const), ...plan.restart.map((r) => [r.name, 'changed'] as const)];
      const stopped = stopping.map(([name, reason]) => {
        const run = this.running.get(name)!;
        this.running.delete(name);
        run.stop(reason);
        return run.done;
      });
      await Promise.all(stopped);
      const starting = [...plan.restart, ...plan.start];
      say(`${JSON.stringify({ reload: { kept: plan.keep, restarted: plan.restart.map((r) => r.name), started: plan.start.map((r) => r.name), stopped: plan.stop, failed: plan.bad.map((b) => b.rule) } })}\n`);
      this.start(starting, () => {
        if (verbose) say(`bpfql: reloaded, ${this.running.size} rules attached\n`);
      });
      if (starting.length === 0 && verbose) say(`bpfql: reloaded, ${this.running.size} rules attached\n`);
    } finally {
      this.changing = false;
      if (this.running.size === 0) this.idle();
    }
  }
}

async function watch(opts: WatchOptions & { readonly rulesFile: string }): Promise<number> {
  const script = readScript(opts.rulesFile);
  if (script === undefined) return ExitCode.badQuery;
  const stop = new AbortController();
  let interrupts = 0;
  const onStop = (): void => {
    if (++interrupts > 1) process.exit(130);
    stop.abort();
  };
  for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, onStop);
  const out = new Stdout(() => stop.abort());
  const aside = { write: say };
  const cgroupId = opts.cgroup === undefined ? undefined : cgroupV2Id(opts.cgroup);
  if (typeof cgroupId === 'string') {
    say(`error: --cgroup: ${cgroupId}\n`);
    return ExitCode.badQuery;
  }
  const engine = await Engine.open(cgroupId === undefined ? {} : { cgroupId });
  let outputs: AlertOutputs | undefined;
  let set: RuleSet | undefined;
  try {
    let rules: Rule[];
    try {
      rules = await readRules(engine, script);
    } catch (e) {
      const what = e instanceof BadRule ? `bpfql watch: rule ${e.rule} cannot run; nothing was attached\n` : '';
      const r = reportError(e instanceof BadRule ? e.error : e, script, opts.rulesFile);
      say(`${what}${r.text}\n`);
      return r.exitCode;
    }
    try {
      outputs = openOutputs(opts, out, aside);
    } catch (e) {
      say(`error: ${e instanceof Error ? e.message : String(e)}\n`);
      return ExitCode.runtime;
    }
    let allAttached = (): void => undefined;
    const attached = new Promise<void>((resolve) => (allAttached = resolve));
    const ended = new Promise<void>((resolve) => {
      stop.signal.addEventListener('abort', () => resolve(), { once: true });
      if (opts.durationMs !== undefined) void attached.then(() => afterMs(opts.durationMs!, resolve));
    });
    const ruleSet = new RuleSet(engine, outputs, ended);
    set = ruleSet;
    // Reloads run one after another, each on the file as it is when it starts.
    let reloading = Promise.resolve();
    const onReload = (): void => {
      reloading = reloading.then(() => ruleSet.reload(opts.rulesFile, opts.verbose));
    };
    process.on('SIGHUP', onReload);
    ruleSet.start(rules, () => {
      allAttached();
      if (opts.verbose) say(`bpfql: attached, ${rules.length} rules\n`);
    });
    await ruleSet.allEnded;
    process.off('SIGHUP', onReload);
    await reloading;
  } finally {
    await engine.close();
    for (const s of await outputs?.close() ?? []) say(`${JSON.stringify(s)}\n`);
  }
  const failed = await out.settle();
  if (failed !== undefined) {
    say(`error: ${failed}\n`);
    return ExitCode.runtime;
  }
  return set.failed ? ExitCode.runtime : ExitCode.ok;
}

export async function watchMain(argv: readonly string[]): Promise<number> {
  let opts: WatchOptions;
  try {
    opts = parseWatchArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    say(`error: ${e.message}\n${WATCH_USAGE}\n`);
    return ExitCode.badQuery;
  }
  if (opts.help || opts.rulesFile === undefined) {
    process.stdout.write(`${WATCH_USAGE}\n`);
    return ExitCode.ok;
  }
  return watch({ ...opts, rulesFile: opts.rulesFile });
}
