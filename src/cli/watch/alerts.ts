// A rule's rows as alert lines: `rule`, `severity`, `kind` ("alert"), `ts` (the row's own, or the
// time it was seen), then the row. Under a LIMIT … PER key EVERY d, rows past the limit are held
// back and each window that held some is written as one line of kind "suppressed" with the key's
// columns, the count and the window. Every line goes to each of the rule's outputs.
import type { RowSink } from '../../engine/live-rows.js';
import type { QueryColumn, Row } from '../../output/result.js';
import type { ResultWriter } from '../../output/writer.js';
import type { Suppressed } from './rate-limit.js';
import { RateLimiter } from './rate-limit.js';
import type { Rule } from './rules.js';

export type AlertKind = 'alert' | 'suppressed';

/** Where a rule's lines go: a writer per output, for one kind of line (each kind has its own columns). */
export type AlertWriters = (rule: Rule, kind: AlertKind) => readonly ResultWriter[];

/** A time as DuckDB writes a timestamp (UTC). */
export function timestampText(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

const HEAD: readonly QueryColumn[] = [
  { name: 'rule', type: 'VARCHAR' },
  { name: 'severity', type: 'VARCHAR' },
  { name: 'kind', type: 'VARCHAR' },
];

export interface RuleAlerts extends RowSink {
  /** Alerts written. */
  readonly alerts: number;
  /** Alerts held back by the rule's limit. */
  readonly suppressed: number;
  /** The rule stops: notices of its open windows are written and its writers ended. */
  finish(): void;
}

export function ruleAlerts(rule: Rule, writers: AlertWriters): RuleAlerts {
  let alertOut: readonly ResultWriter[] = [];
  let noticeOut: readonly ResultWriter[] | undefined;
  let columns: readonly QueryColumn[] | undefined;
  /** Where the row's own ts is, or -1. */
  let tsAt = -1;
  let limiter: RateLimiter | undefined;
  let alerts = 0;

  const notice = (s: Suppressed): void => {
    if (noticeOut === undefined) {
      noticeOut = writers(rule, 'suppressed');
      const keyColumns = rule.rateLimit!.per.map((k) => columns!.find((c) => c.name.toLowerCase() === k.name.toLowerCase())!);
      for (const w of noticeOut) {
        w.begin([...HEAD, { name: 'ts', type: 'TIMESTAMP' }, ...keyColumns, { name: 'suppressed', type: 'BIGINT' },
          { name: 'window_start', type: 'TIMESTAMP' }, { name: 'window_end', type: 'TIMESTAMP' }]);
      }
    }
    const row = [rule.name, rule.severity, 'suppressed', timestampText(s.endMs), ...s.key, s.count, timestampText(s.startMs), timestampText(s.endMs)];
    for (const w of noticeOut) w.rows([row]);
  };

  return {
    get alerts() {
      return alerts;
    },
    get suppressed() {
      return limiter?.suppressed ?? 0;
    },
    begin: (cols) => {
      if (columns !== undefined) return;
      columns = cols;
      tsAt = cols.findIndex((c) => c.name === 'ts');
      const ts = cols[tsAt] ?? { name: 'ts', type: 'TIMESTAMP' };
      alertOut = writers(rule, 'alert');
      for (const w of alertOut) w.begin([...HEAD, ts, ...cols.filter((_, i) => i !== tsAt)]);
      if (rule.rateLimit !== undefined) {
        const keyAt = rule.rateLimit.per.map((k) => cols.findIndex((c) => c.name.toLowerCase() === k.name.toLowerCase()));
        limiter = new RateLimiter(rule.rateLimit, keyAt, notice);
      }
    },
    rows: (batch: readonly Row[]) => {
      const passed = limiter === undefined ? batch : batch.filter((row) => limiter!.admit(row));
      if (passed.length === 0) return;
      alerts += passed.length;
      const seen = timestampText(Date.now());
      const lines = passed.map((row) => [rule.name, rule.severity, 'alert', tsAt >= 0 ? row[tsAt] : seen, ...row.filter((_, i) => i !== tsAt)]);
      for (const w of alertOut) w.rows(lines);
    },
    finish: () => {
      limiter?.closeAll();
      for (const w of [...alertOut, ...(noticeOut ?? [])]) w.end();
    },
  };
}
