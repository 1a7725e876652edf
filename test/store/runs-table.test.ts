// bpfql_runs in a database file made by an earlier version (before lost_stacks): opening it adds
// the column, and a run is recorded into it with every count in its place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../src/store/session.js';
import { recordRun, RUNS_TABLE_SQL } from '../../src/store/runs-table.js';

const BEFORE_LOST_STACKS = `CREATE TABLE bpfql_runs (
  run_id BIGINT, query VARCHAR, result_table VARCHAR, mode VARCHAR, started_at TIMESTAMP, ended_at TIMESTAMP,
  kernel_rows BIGINT, lost_records BIGINT, failed_map_updates BIGINT, lost_pairs BIGINT, missed_events BIGINT)`;

test('an old bpfql_runs gains lost_stacks, and runs are recorded by column name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-runs-'));
  const file = join(dir, 'old.duckdb');
  try {
    const old = await Session.open(file, () => [BEFORE_LOST_STACKS, "INSERT INTO bpfql_runs VALUES (1, 'q', 't', 'stream', now()::TIMESTAMP, now()::TIMESTAMP, 5, 0, 0, 0, 0)"]);
    await old.run('SELECT 1');
    await old.close();
    const s = await Session.open(file, () => [RUNS_TABLE_SQL]);
    try {
      await recordRun(s, {
        query: 'SELECT kstack FROM exec', table: 'r2', mode: 'aggregate', startedAt: new Date(0), endedAt: new Date(1000), kernelRows: 3,
        losses: { lostRecords: 1, failedUpdates: 2, lostPairs: 3, lostStacks: 4, missedEvents: 5 },
      });
      const r = await s.run('SELECT run_id, kernel_rows, lost_records, failed_map_updates, lost_pairs, missed_events, lost_stacks FROM bpfql_runs ORDER BY run_id');
      assert.deepEqual(r.rows, [[1, 5, 0, 0, 0, 0, 0], [2, 3, 1, 2, 3, 5, 4]]);
    } finally {
      await s.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
