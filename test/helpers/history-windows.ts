// Windows of known rows for the --store tests: window k of run r has 20 + k % 13 rows, row j
// holding (r, k, j) and a list, so a read-back can tell a whole window from a part of one.
import type { MetricWindow } from '../../src/output/metrics/model.js';

/** 23:58 UTC: a run's windows cross midnight, so files are cut by date too. */
export const HISTORY_BASE_MS = Date.UTC(2026, 11, 7, 23, 58, 0);

export const HISTORY_COLUMNS = [
  { name: 'run', type: 'INTEGER' },
  { name: 'k', type: 'INTEGER' },
  { name: 'j', type: 'UBIGINT' },
  { name: 'comm', type: 'VARCHAR' },
  { name: 'sizes', type: 'STRUCT(lo BIGINT, count UBIGINT)[]' },
] as const;

export const rowsInWindow = (k: number): number => 20 + (k % 13);

export function historyWindow(run: number, k: number): MetricWindow {
  const endMs = HISTORY_BASE_MS + (run * 1000 + k + 1) * 10_000;
  const rows = Array.from({ length: rowsInWindow(k) }, (_, j) => [run, k, j, `c'${j}"\n`, [{ lo: j, count: k }, { lo: -1, count: 0 }]]);
  return { metric: 'sizes', startMs: endMs - 10_000, endMs, columns: HISTORY_COLUMNS, rows };
}
