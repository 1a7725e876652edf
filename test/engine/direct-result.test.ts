// The result built without DuckDB (engine/direct-result.ts) against DuckDB's: the same plans'
// kernel rows, with every integer width's extremes, NULLs and hostile text, loaded into a session
// and read back through the plan's residual SQL, must give deep-equal results. And the plans that
// need DuckDB (ORDER BY, HAVING, LIMIT, decoded and computed columns) get no direct projection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ColumnBatch, ColumnData, ValueType } from '../../src/catalog/types.js';
import { directProjection, directResult } from '../../src/engine/direct-result.js';
import type { Plan } from '../../src/planner/plan.js';
import { planQuery } from '../../src/planner/planner.js';
import { parseStatement } from '../../src/query/parse.js';
import { residualOver } from '../../src/store/materialize.js';
import { Session } from '../../src/store/session.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

function plan(sql: string): Plan {
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error(`'${sql}' is no query`);
  return planQuery(s.query, fixtureCatalog(), fixturePlannerEnv);
}

const ROWS = 7;
const TEXTS = ['bash', '', 'ünïcödé 🐝', "it's \"quoted\"", 'a\tb\nc', null, 'x'.repeat(15)];

/** Seven values of the type: its extremes, values either side of 2^53, zero and NULL. */
function column(t: ValueType): ColumnData {
  if (t.kind === 'string') return { kind: 'string', values: TEXTS };
  if (t.kind === 'bool') return { kind: 'bool', values: [true, false, null, true, false, true, false] };
  if (t.kind === 'float') return { kind: 'number', values: [0, -1.5, null, 2 ** 53 + 2, Number.MAX_VALUE, 1e-300, 0.1] };
  if (t.kind === 'buckets') {
    const top = (1n << 64n) - 1n;
    return {
      kind: 'buckets',
      values: [
        [{ lo: 0n, hi: 0n, count: 1n }],
        [],
        null,
        [{ lo: -(1n << 63n), hi: -(1n << 62n), count: top }, { lo: 1n << 53n, hi: (1n << 63n) - 1n, count: (1n << 53n) + 1n }],
        [{ lo: 2n, hi: 3n, count: 7n }, { lo: 4n, hi: 7n, count: 1n }, { lo: 1024n, hi: 2047n, count: 2n }],
        [{ lo: 1n, hi: 1n, count: 0n }],
        [{ lo: 10n, hi: 19n, count: 5n }],
      ],
    };
  }
  if (t.kind !== 'int') throw new Error(`no values for ${t.kind}`);
  const lo = t.signed ? -(1n << BigInt(t.bits - 1)) : 0n;
  const hi = t.signed ? (1n << BigInt(t.bits - 1)) - 1n : (1n << BigInt(t.bits)) - 1n;
  const big = [lo, hi, 0n, null, (1n << 53n) - 1n, 1n << 53n, t.signed ? -((1n << 53n) + 1n) : (1n << 53n) + 1n]
    .map((v) => (v === null ? null : v < lo ? lo : v > hi ? hi : v));
  if (t.bits === 64) return { kind: 'int64', values: big };
  return { kind: 'number', values: big.map((v) => (v === null ? null : Number(v))) };
}

const PLAIN = [
  'SELECT comm, count(*) FROM exec GROUP BY comm',
  'SELECT pid AS p, comm AS who, count(*) AS n, max(pid), min(tid), sum(pid) FROM exec GROUP BY pid, comm',
  'SELECT id, count(*), sum(id), max(id) FROM tracepoint.raw_syscalls.sys_enter GROUP BY id',
  'SELECT count(*), max(ret) FROM tracepoint.raw_syscalls.sys_exit',
  'SELECT cpu, pid > 100 AS big, count(*) FROM exec GROUP BY cpu, pid > 100',
  'SELECT comm, hist(pid) AS pids, lhist(pid, 0, 100, 10), p99(pid), avg(pid) FROM exec GROUP BY comm',
  // Each window of a standing query handed on (bpfql serve) is built the same way.
  'SELECT comm, count(*) AS total, max(pid) AS worst FROM exec GROUP BY comm EVERY 10s',
  'SELECT comm, hist(pid) AS pids, p99(pid) AS p99, sum(pid) AS __serve_0, count(pid) AS __serve_1 FROM exec GROUP BY comm EVERY 10s',
];

for (const sql of PLAIN) {
  test(`direct and DuckDB results are equal: ${sql}`, async () => {
    const p = plan(sql);
    const projection = directProjection(p);
    assert.ok(projection !== undefined, `${sql} has a direct projection`);
    const batch: ColumnBatch = { columns: p.kernelColumns, data: p.kernelColumns.map((c) => column(c.type)), rowCount: ROWS };
    const s = await Session.open();
    try {
      await s.createTable('k', p.kernelColumns);
      await s.appendColumns('k', batch);
      const viaDuckdb = await s.run(residualOver(p.residualSql, '"k"'));
      assert.deepEqual(directResult(batch, p.kernelColumns, projection), viaDuckdb);
      assert.deepEqual(directResult(undefined, p.kernelColumns, projection), { columns: viaDuckdb.columns, rows: [] });
    } finally {
      await s.close();
    }
  });
}

test('plans whose DuckDB part does more than rename have no direct projection', () => {
  for (const sql of [
    'SELECT comm, count(*) FROM exec GROUP BY comm ORDER BY 2 DESC',
    'SELECT comm, count(*) FROM exec GROUP BY comm HAVING count(*) > 1',
    'SELECT comm, count(*) FROM exec GROUP BY comm LIMIT 3',
    'SELECT comm, count(*) + 1 FROM exec GROUP BY comm',
    'SELECT syscall, count(*) FROM syscalls GROUP BY syscall',
    'SELECT comm, pid FROM exec',
  ]) {
    assert.equal(directProjection(plan(sql)), undefined, sql);
  }
});
