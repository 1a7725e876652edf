// One rule running: its own engine execution, stopped by its own controller (a reload stops one
// rule and leaves the others attached), its alerts written through a RuleAlerts.
import type { Outcome } from '../../engine/engine.js';
import type { Engine } from '../../engine/engine.js';
import { reportError } from '../../engine/report-error.js';
import { describeCompleteness } from '../../runtime/completeness.js';
import type { AlertWriters, RuleAlerts } from './alerts.js';
import { ruleAlerts } from './alerts.js';
import type { Rule } from './rules.js';

export interface RunningRule {
  readonly rule: Rule;
  readonly alerts: RuleAlerts;
  /** Stops the rule (its last alerts are still written); `reason` goes in its summary. */
  stop(reason: string): void;
  /** Resolves once the rule has ended and its summary is written: false when it failed. */
  readonly done: Promise<boolean>;
}

export interface RunOptions {
  readonly engine: Engine;
  readonly writers: AlertWriters;
  /** Ends every rule (Ctrl-C, --duration). */
  readonly ended: Promise<void>;
  readonly onAttached: () => void;
  /** Where the rule's summary and failure go (stderr). */
  readonly say: (text: string) => void;
}

/** Runs so far: each run's result table is its own, even a restarted rule's. */
let runs = 0;

export function runRule(rule: Rule, o: RunOptions): RunningRule {
  const controller = new AbortController();
  // Each run has its own result table (a counting rule's EVERY reads its windows back from it).
  const table = `bpfql_watch_${++runs}`;
  let stopped: string | undefined;
  const alerts = ruleAlerts(rule, o.writers);
  const execution = o.engine.execute(rule.query, {
    signal: controller.signal,
    until: o.ended,
    onRows: alerts,
    // A watch runs for days: a streamed rule's alerts are written, not kept.
    keepStreamed: false,
    // Alerts are prompt from the first event on: DuckDB is ready before the rule is attached.
    readyBeforeAttach: true,
    // A counting rule: each closed window's rows are its alerts.
    onWindow: (r) => {
      alerts.begin(r.columns);
      alerts.rows(r.rows);
    },
    onAttached: o.onAttached,
    latestWindowIn: table,
  });
  const ran = execution.then(
    (outcome: Outcome) => {
      alerts.finish();
      const kernel = outcome.kind === 'text' ? undefined : outcome.kernel;
      o.say(`${JSON.stringify({
        rule: rule.name,
        alerts: alerts.alerts,
        suppressed: alerts.suppressed,
        ...(stopped !== undefined ? { stopped } : {}),
        ...(kernel ? { complete: describeCompleteness(kernel.completeness), completeness: { ...kernel.completeness } } : {}),
      })}\n`);
      return true;
    },
    (e: unknown) => {
      alerts.finish();
      o.say(`rule ${rule.name}: ${reportError(e, rule.query, rule.name).text}\n`);
      return false;
    },
  );
  const done = ran.then(async (ok) => {
    await o.engine.execute(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    return ok;
  });
  return {
    rule,
    alerts,
    stop: (reason) => {
      stopped = reason;
      controller.abort();
    },
    done,
  };
}
