// The differential suite's share of `npm test`: 50 generated queries of a fixed seed, each run
// planned as usual and forced to stream raw rows, at the same time over one workload; the two
// results must agree (`npm run test:diff` runs 200 of a fresh seed). See test/diff/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DiffQuery } from '../diff/gen.js';
import { campaignSeeds, describeFailure, roundNames, runDiff } from '../diff/run-diff.js';
import { DiffRunner } from '../diff/runner.js';
import { childComm, EXEC_TIMES } from '../diff/workload-spec.js';
import { kernelSkip } from '../helpers/workload.js';
import { workloadSkip } from '../helpers/c-workload.js';

const SEED = 0xd1ff_2024;
const QUERIES = 50;
const PER_ROUND = 25;

const skip = kernelSkip() || workloadSkip();

test(`${QUERIES} generated queries give the same result planned and streamed`, { skip, timeout: 180_000 }, async () => {
  const s = await runDiff(campaignSeeds(SEED, QUERIES), PER_ROUND);
  assert.equal(s.results.length, QUERIES);
  assert.equal(s.failures.length, 0, `seed ${SEED}:\n${s.failures.map((f) => describeFailure(f)).join('\n\n')}`);
  // Both plans were exercised, and most queries had rows to compare.
  assert.ok((s.plannedModes.get('aggregate') ?? 0) >= QUERIES / 5, JSON.stringify([...s.plannedModes]));
  assert.ok((s.plannedModes.get('stream') ?? 0) >= QUERIES / 5, JSON.stringify([...s.plannedModes]));
  assert.ok(s.results.filter((r) => (r.rows ?? 0) > 0).length >= QUERIES / 2, 'too many empty results to compare');
});

test('// and % by constants of both signs, of negative and of unsigned values, in the kernel give what DuckDB gives on the same rows; / is DuckDB\'s DOUBLE', { skip, timeout: 120_000 }, async () => {
  // A round name of its own, beyond any campaign's.
  const names = roundNames(9999);
  const c = names.comm;
  const exact = (n: number): ('exact')[] => Array.from({ length: n }, () => 'exact' as const);
  const query = (seed: number, table: string, sql: string, columns: number): DiffQuery => ({ seed, table, scoped: false, embedded: false, sql, kinds: exact(columns) });
  // Failed opens return -2, -17 and -20 (see workload-spec.ts); reads of a bad descriptor -9; lseek's fd and offset are UBIGINT.
  const inKernel = [
    query(1, 'open', `SELECT ret // 7 AS q, ret % -7 AS r, ret // -3 AS s, count(*) AS n FROM open WHERE comm LIKE '${c}%' AND ret < 0 GROUP BY ret // 7, ret % -7, ret // -3`, 4),
    query(2, 'open', `SELECT dfd // 7 AS q, dfd % 7 AS r, ret // -7 AS s, count(*) AS n, sum(ret // 7) AS t FROM open WHERE comm LIKE '${c}%' GROUP BY dfd // 7, dfd % 7, ret // -7`, 5),
    query(3, 'read', `SELECT returned // -7 AS q, returned % 7 AS r, min(returned // 2) AS m, count(*) AS n FROM read WHERE comm LIKE '${c}%' AND returned < 0 GROUP BY returned // -7, returned % 7`, 4),
    query(4, 'tracepoint.syscalls.sys_enter_lseek', `SELECT "offset" // -4096 AS q, fd % -3 AS r, fd // -1 AS s, count(*) AS n FROM tracepoint.syscalls.sys_enter_lseek WHERE comm = '${c}' GROUP BY "offset" // -4096, fd % -3, fd // -1`, 4),
  ];
  // DuckDB computes `/` in both plans: a DOUBLE key and filter.
  const inDuckDB = query(5, 'open', `SELECT ret / 7 AS f, count(*) AS n FROM open WHERE comm LIKE '${c}%' AND ret / 2 < -1 GROUP BY ret / 7`, 2);
  const runner = DiffRunner.open();
  try {
    const results = await runner.round([...inKernel, inDuckDB], names);
    for (const r of results) {
      assert.equal(r.verdict.kind, 'agree', describeFailure(r));
      assert.ok((r.rows ?? 0) > 0, `no rows: ${r.query.sql}`);
    }
    assert.deepEqual(results.map((r) => r.plannedMode), ['aggregate', 'aggregate', 'aggregate', 'aggregate', 'stream']);
  } finally {
    await runner.close();
  }
});

test('a paired row has the comm of its exit: execve into a new name is kept by WHERE comm = that name planned as streamed; a WHERE folded to FALSE on a paired table loads', { skip, timeout: 120_000 }, async () => {
  const names = roundNames(9998);
  const child = childComm(names, 0);
  const exact = (n: number): ('exact')[] => Array.from({ length: n }, () => 'exact' as const);
  const query = (seed: number, table: string, sql: string, columns: number, scoped: boolean): DiffQuery => ({ seed, table, scoped, embedded: false, sql, kinds: exact(columns) });
  // The child's execve enters under the workload's comm and returns under the child's: the row is
  // the child's. (ret makes the query pair; on sys_enter alone the row would be the old name's.)
  const execs = `HAVING count(*) = ${EXEC_TIMES[0]}`;
  const queries = [
    query(1, 'syscalls', `SELECT comm, count(*) AS n FROM syscalls WHERE comm = '${child}' AND syscall = 'execve' AND ret = 0 GROUP BY comm ${execs}`, 2, true),
    query(2, 'syscalls', `SELECT comm, ret, latency_ns >= 0 AS t FROM syscalls WHERE comm = '${child}' AND id = 59`, 3, true),
    // requested is never NULL: the filter folds to FALSE, in the exit program and the entry program alike.
    query(3, 'read', `SELECT requested, count(*) AS n FROM read WHERE comm LIKE '${names.comm}%' AND requested IS NULL GROUP BY requested`, 2, false),
    query(4, 'read', `SELECT requested FROM read WHERE requested IS NULL AND comm = '${names.comm}'`, 1, false),
  ];
  const runner = DiffRunner.open();
  try {
    const results = await runner.round(queries, names);
    for (const r of results) assert.equal(r.verdict.kind, 'agree', describeFailure(r));
    assert.deepEqual(results.map((r) => r.rows), [1, EXEC_TIMES[0], 0, 0]);
    assert.deepEqual(results.map((r) => r.plannedMode), ['aggregate', 'stream', 'aggregate', 'stream']);
  } finally {
    await runner.close();
  }
});
