import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BaselineValue } from '../../../src/cli/run/baseline.js';
import {
  baselineSql, compareBaseline, compareValue, currentValues, isKeyType, isMetricType, loadBaseline, saveBaseline, tableShapes,
} from '../../../src/cli/run/baseline.js';
import { Session } from '../../../src/store/session.js';

const v = (table: string, key: string, metric: string, value: number): BaselineValue => ({ table, key, metric, value });

test('a value that grew by more than the tolerance regresses; exactly the tolerance does not', () => {
  assert.deepEqual(compareValue('t', '{}', 'n', 100, 110, 10), { table: 't', key: '{}', metric: 'n', baseline: 100, current: 110, changePct: 10, regressed: false });
  assert.equal(compareValue('t', '{}', 'n', 100, 111, 10).regressed, true);
  assert.equal(compareValue('t', '{}', 'n', 100, 50, 0).regressed, false);
  assert.equal(compareValue('t', '{}', 'n', 100, 100, 0).regressed, false);
  assert.equal(compareValue('t', '{}', 'n', 100, 101, 0).regressed, true);
});

test('growth from zero has no percentage and always regresses; zero to zero is unchanged', () => {
  assert.deepEqual(compareValue('t', '{}', 'n', 0, 1, 1000), { table: 't', key: '{}', metric: 'n', baseline: 0, current: 1, changePct: null, regressed: true });
  assert.deepEqual(compareValue('t', '{}', 'n', 0, 0, 0), { table: 't', key: '{}', metric: 'n', baseline: 0, current: 0, changePct: 0, regressed: false });
});

test('a negative baseline: growth is measured against its size', () => {
  assert.deepEqual(compareValue('t', '{}', 'n', -100, -50, 10), { table: 't', key: '{}', metric: 'n', baseline: -100, current: -50, changePct: 50, regressed: true });
});

test('rows match by table, key and metric; doubled values regress; the rest is listed as unmatched', () => {
  const baseline = [
    v('opens', '{"comm":"make"}', 'n', 100),
    v('opens', '{"comm":"cc"}', 'n', 40),
    v('opens', '{"comm":"ld"}', 'n', 5),
    v('lat', '{}', 'p99', 8),
    v('dup', '{}', 'n', 1),
    v('dup', '{}', 'n', 2),
  ];
  const current = [
    v('opens', '{"comm":"make"}', 'n', 200),
    v('opens', '{"comm":"cc"}', 'n', 40),
    v('opens', '{"comm":"curl"}', 'n', 1),
    v('lat', '{}', 'p99', 8.25),
    v('dup', '{}', 'n', 1),
  ];
  assert.deepEqual(compareBaseline(baseline, current, 5), {
    comparisons: [
      { table: 'lat', key: '{}', metric: 'p99', baseline: 8, current: 8.25, changePct: 3.125, regressed: false },
      { table: 'opens', key: '{"comm":"cc"}', metric: 'n', baseline: 40, current: 40, changePct: 0, regressed: false },
      { table: 'opens', key: '{"comm":"make"}', metric: 'n', baseline: 100, current: 200, changePct: 100, regressed: true },
    ],
    unmatched: [
      { table: 'dup', key: '{}', metric: 'n', reason: 'duplicate' },
      { table: 'opens', key: '{"comm":"curl"}', metric: 'n', reason: 'new' },
      { table: 'opens', key: '{"comm":"ld"}', metric: 'n', reason: 'missing' },
    ],
  });
});

test('an unchanged run has no regression', () => {
  const values = [v('opens', '{}', 'n', 50), v('opens', '{}', 'bytes', 4096)];
  const r = compareBaseline(values, values, 0);
  assert.equal(r.comparisons.length, 2);
  assert.equal(r.comparisons.some((c) => c.regressed), false);
  assert.deepEqual(r.unmatched, []);
});

test('numeric columns are metrics, VARCHAR and BOOLEAN columns are keys, the rest neither', () => {
  for (const t of ['TINYINT', 'UBIGINT', 'HUGEINT', 'UHUGEINT', 'DOUBLE', 'FLOAT', 'DECIMAL(18,3)', 'DECIMAL']) assert.equal(isMetricType(t), true, t);
  for (const t of ['VARCHAR', 'BOOLEAN', 'TIMESTAMP_NS', 'STRUCT(lo BIGINT, hi BIGINT, count UBIGINT)[]', 'BIGINT[]']) assert.equal(isMetricType(t), false, t);
  assert.deepEqual(['VARCHAR', 'BOOLEAN', 'TIMESTAMP_NS', 'BIGINT', 'VARCHAR[]'].map(isKeyType), [true, true, false, false, false]);
});

test('the SQL that turns result tables into baseline rows', () => {
  assert.equal(baselineSql([
    { name: 'opens', columns: [{ name: 'comm', type: 'VARCHAR' }, { name: 'n', type: 'BIGINT' }, { name: 'ts', type: 'TIMESTAMP_NS' }, { name: 'avg "x"', type: 'DOUBLE' }] },
    { name: "it's", columns: [{ name: 'n', type: 'UBIGINT' }] },
    { name: 'names', columns: [{ name: 'comm', type: 'VARCHAR' }] },
  ]), [
    `SELECT 'opens' AS "table", CAST(to_json({'comm': comm}) AS VARCHAR) AS key, 'n' AS metric, CAST(n AS DOUBLE) AS value FROM opens`,
    'UNION ALL',
    `SELECT 'opens' AS "table", CAST(to_json({'comm': comm}) AS VARCHAR) AS key, 'avg "x"' AS metric, CAST("avg ""x""" AS DOUBLE) AS value FROM opens`,
    'UNION ALL',
    `SELECT 'it''s' AS "table", '{}' AS key, 'n' AS metric, CAST(n AS DOUBLE) AS value FROM "it's"`,
  ].join('\n'));
  assert.equal(baselineSql([]), `SELECT NULL::VARCHAR AS "table", NULL::VARCHAR AS key, NULL::VARCHAR AS metric, NULL::DOUBLE AS value WHERE false`);
});

test('DuckDB: save a baseline to Parquet, read it back, compare a later run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-baseline-'));
  const session = await Session.open();
  try {
    await session.run(`CREATE TABLE opens AS SELECT * FROM (VALUES ('make', true, 100::UBIGINT, 1.5::DOUBLE), ('cc', false, 40::UBIGINT, NULL::DOUBLE)) t(comm, ok, n, avg_ms)`);
    await session.run(`CREATE TABLE total AS SELECT 7::BIGINT AS n`);
    const shapes = await tableShapes(session, ['opens', 'total']);
    assert.deepEqual(shapes, [
      { name: 'opens', columns: [{ name: 'comm', type: 'VARCHAR' }, { name: 'ok', type: 'BOOLEAN' }, { name: 'n', type: 'UBIGINT' }, { name: 'avg_ms', type: 'DOUBLE' }] },
      { name: 'total', columns: [{ name: 'n', type: 'BIGINT' }] },
    ]);
    const path = join(dir, 'base.parquet');
    await saveBaseline(session, shapes, path, { 'bpfql.command': '["make"]' });
    const saved = await loadBaseline(session, path);
    // NULL values are left out: there is nothing to compare.
    assert.deepEqual(saved.sort((a, b) => `${a.table}${a.key}${a.metric}`.localeCompare(`${b.table}${b.key}${b.metric}`)), [
      v('opens', '{"comm":"cc","ok":false}', 'n', 40),
      v('opens', '{"comm":"make","ok":true}', 'avg_ms', 1.5),
      v('opens', '{"comm":"make","ok":true}', 'n', 100),
      v('total', '{}', 'n', 7),
    ]);
    const meta = await session.run(`SELECT decode(value) FROM parquet_kv_metadata('${path}') WHERE decode(key) = 'bpfql.command'`);
    assert.deepEqual(meta.rows, [['["make"]']]);

    await session.run(`UPDATE opens SET n = n * 2 WHERE comm = 'make'`);
    const r = compareBaseline(saved, await currentValues(session, shapes), 10);
    assert.deepEqual(r.comparisons.filter((c) => c.regressed).map((c) => [c.key, c.metric, c.baseline, c.current]), [['{"comm":"make","ok":true}', 'n', 100, 200]]);
    assert.equal(r.comparisons.length, 4);
  } finally {
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file that is not a baseline is refused with its name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-baseline-'));
  const session = await Session.open();
  try {
    const path = join(dir, 'other.parquet');
    await session.run(`COPY (SELECT 1 AS x) TO '${path}' (FORMAT parquet)`);
    await assert.rejects(loadBaseline(session, path), (e: unknown) => e instanceof Error && e.message.startsWith(`cannot read the baseline ${path}: `));
    await assert.rejects(loadBaseline(session, join(dir, 'missing.parquet')), /cannot read the baseline .*missing\.parquet/);
  } finally {
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
