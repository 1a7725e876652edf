// One meaning for division wherever it runs, DuckDB's: `/` divides as a floating-point number (so
// it runs in DuckDB: a DOUBLE is no kernel value), `//` divides integers truncating toward zero and
// `%` leaves the dividend's sign. The kernel computes `//` and `%` by non-zero constants only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disassemble } from '../../src/bpf/index.js';
import { compileKernelPlan } from '../../src/bpf-templates/compile.js';
import { explainPlan } from '../../src/engine/explain.js';
import { duckdbType } from '../../src/catalog/types.js';
import { KERNEL_TABLE, type Plan } from '../../src/planner/plan.js';
import { planQuery } from '../../src/planner/planner.js';
import { printKExpr } from '../../src/planner/print-kexpr.js';
import { parseStatement } from '../../src/query/parse.js';
import { Session } from '../../src/store/session.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

function plan(sql: string): Plan {
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error('not a query');
  return planQuery(s.query, fixtureCatalog(), fixturePlannerEnv);
}

function code(p: Plan): string {
  return disassemble(compileKernelPlan(p.kernel, p.table).assembled);
}

const PIDS = [-2501n, -1999n, -1000n, -999n, -1n, 0n, 1n, 999n, 1000n, 1001n, 2501n, 4194304n];

test('pid / 1000 is a DOUBLE computed by DuckDB; pid // 1000 and pid % 1000 truncate as DuckDB does, for negative pids too', async () => {
  const p = plan('SELECT pid / 1000 AS f, pid // 1000 AS q, pid % 1000 AS r FROM exec');
  assert.equal(p.residualSql, `SELECT pid / 1000 AS f, pid // 1000 AS q, pid % 1000 AS r FROM ${KERNEL_TABLE}`);
  const s = await Session.open();
  try {
    // The kernel's rows as they land in DuckDB, with pids of both signs.
    await s.run(`CREATE TABLE ${KERNEL_TABLE} (${p.kernelColumns.map((c) => `${c.name} ${duckdbType(c.type)}`).join(', ')})`);
    await s.run(`INSERT INTO ${KERNEL_TABLE} VALUES ${PIDS.map((v) => `(${v})`).join(', ')}`);
    const types = await s.run(`SELECT DISTINCT typeof(f), typeof(q), typeof(r) FROM (${p.residualSql})`);
    assert.deepEqual(types.rows, [['DOUBLE', 'BIGINT', 'BIGINT']]);
    const rows = (await s.run(`SELECT f, q, r FROM (${p.residualSql})`)).rows;
    // BigInt division truncates toward zero and its remainder takes the dividend's sign.
    assert.deepEqual(rows.map((r) => r.map(Number)), PIDS.map((v) => [Number(v) / 1000, Number(v / 1000n), Number(v % 1000n)]));
  } finally {
    await s.close();
  }
});

test('/ never runs in the kernel: a GROUP BY or WHERE on pid / 2 is decided by DuckDB', () => {
  const grouped = plan('SELECT pid / 1000 AS bucket, count(*) AS n FROM exec GROUP BY pid / 1000');
  assert.equal(grouped.kernel.mode.kind, 'stream');
  assert.equal(grouped.residualSql, `SELECT pid / 1000 AS bucket, count(*) AS n FROM ${KERNEL_TABLE} GROUP BY pid / 1000`);
  const filtered = plan('SELECT count(*) AS n FROM exec WHERE pid / 2 > 10 AND uid = 0');
  assert.equal(printKExpr(filtered.kernel.filter!), '(uid = 0)');
  assert.deepEqual(filtered.residualFilters, ['pid / 2 > 10']);
  // Constants too: 7 / 2 is 3.5.
  assert.deepEqual(plan('SELECT count(*) AS n FROM exec WHERE pid > 7 / 2').residualFilters, ['pid > 7 / 2']);
});

test('// and % by a constant run in the kernel, signed for a signed value (sdiv, smod)', () => {
  const p = plan('SELECT pid // -7 AS q, pid % -7 AS r, count(*) AS n FROM exec GROUP BY pid // -7, pid % -7');
  assert.equal(p.kernel.mode.kind, 'aggregate');
  if (p.kernel.mode.kind !== 'aggregate') return;
  assert.deepEqual(p.kernel.mode.keys.map((k) => printKExpr(k.expr)), ['(pid // -7)', '(pid % -7)']);
  const text = code(p);
  assert.ok(explainPlan(p, compileKernelPlan(p.kernel, p.table)).includes('  k0 s64 @0 = (pid // -7)\n'));
  assert.match(text, / s\/= -7\n/);
  assert.match(text, / s%= -7\n/);
});

test('an unsigned value by a negative constant divides by the magnitude, then takes the sign, as DuckDB does', () => {
  const p = plan('SELECT cgroup_id // -7 AS q, cgroup_id % -7 AS r, cgroup_id // 7 AS p, count(*) AS n FROM exec GROUP BY cgroup_id // -7, cgroup_id % -7, cgroup_id // 7');
  assert.equal(p.kernel.mode.kind, 'aggregate');
  if (p.kernel.mode.kind !== 'aggregate') return;
  assert.deepEqual(p.kernel.mode.keys.map((k) => [printKExpr(k.expr), k.type.kind === 'int' && k.type.signed]), [
    ['-((cgroup_id // 7))', true], ['(cgroup_id % 7)', false], ['(cgroup_id // 7)', false],
  ]);
  const text = code(p);
  assert.doesNotMatch(text, / s\/= | s%= /);
  assert.match(text, / \/= 7\n.*\n?.*r1 = -r1/);
  assert.match(text, / %= 7\n/);
});

test('// and % of a signed value by 2^63 or more, or by a value that may be zero, run in DuckDB', () => {
  for (const e of ['pid // 9223372036854775808', 'pid % 18446744073709551615', 'pid // uid', 'pid % (uid - uid)', 'pid // 0']) {
    const p = plan(`SELECT count(*) AS n FROM exec WHERE ${e} = 0`);
    assert.deepEqual(p.residualFilters, [`${e} = 0`], e);
  }
});

test('constant // and % fold in the planner to what DuckDB computes, negative operands included', async () => {
  const pairs: [bigint, bigint][] = [];
  for (const a of [-9223372036854775807n, -1000n, -7n, -6n, -1n, 0n, 1n, 6n, 7n, 1000n, 9223372036854775807n]) {
    for (const b of [-9223372036854775807n, -1000n, -7n, -2n, -1n, 1n, 2n, 7n, 1000n]) pairs.push([a, b]);
  }
  const s = await Session.open();
  try {
    for (const op of ['//', '%']) {
      const text = (v: bigint): string => (v < 0n ? `(${v})` : `${v}`);
      const duckdb = (await s.run(`SELECT ${pairs.map(([a, b]) => `${text(a)} ${op} ${text(b)}`).join(', ')}`)).rows[0]!;
      pairs.forEach(([a, b], i) => {
        const folded = printKExpr(plan(`SELECT count(*) AS n FROM exec WHERE pid = ${text(a)} ${op} ${text(b)}`).kernel.filter!);
        assert.equal(folded, `(pid = ${BigInt(String(duckdb[i]))})`, `${a} ${op} ${b}`);
      });
    }
  } finally {
    await s.close();
  }
});
