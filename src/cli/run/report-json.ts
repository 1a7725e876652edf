// The JSON report of `bpfql run`: one object, keys in a fixed order, values exact (integers beyond
// 2^53 stay exact literals). Fields are documented in the README.
import { isComplete } from '../../runtime/completeness.js';
import { jsonText } from '../../output/json-text.js';
import type { RunReport } from './report.js';
import { checksPassed, regressions } from './report.js';

export function renderJsonReport(r: RunReport): string {
  const doc = {
    command: r.command,
    exitCode: r.exitCode,
    signal: r.signal,
    durationMs: r.durationMs,
    passed: checksPassed(r),
    exit: r.exit,
    error: r.error ?? null,
    queries: r.queries.map((q) => ({
      table: q.table,
      statement: q.statement,
      kernelRows: q.kernelRows,
      complete: isComplete(q.completeness),
      lostRecords: q.completeness.lostRecords,
      failedUpdates: q.completeness.failedUpdates,
      lostPairs: q.completeness.lostPairs,
      lostStacks: q.completeness.lostStacks,
      missedEvents: q.completeness.missedEvents,
    })),
    containers: r.containers,
    assertions: r.assertions.map((a) => ({ sql: a.sql, passed: a.passed, values: a.values, ...(a.error !== undefined ? { error: a.error } : {}) })),
    baseline: r.baseline === undefined
      ? null
      : {
          file: r.baseline.path,
          tolerancePct: r.baseline.tolerancePct,
          regressions: regressions(r).length,
          comparisons: r.baseline.result.comparisons,
          unmatched: r.baseline.result.unmatched,
        },
  };
  return `${jsonText(doc)}\n`;
}
