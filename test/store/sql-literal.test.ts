// Plain result values written back as SQL literals and cast to their column's type come out of
// DuckDB as the same plain values: the round trip --store relies on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from '../../src/store/session.js';
import { castLiteral, sqlLiteral } from '../../src/store/sql-literal.js';

const CASES: readonly (readonly [type: string, sql: string])[] = [
  ['UBIGINT', '18446744073709551615::UBIGINT'],
  ['BIGINT', '-9007199254740993::BIGINT'],
  ['INTEGER', '42'],
  ['DOUBLE', '0.1'],
  ['DOUBLE', '1e300'],
  ['DOUBLE', "'-inf'::DOUBLE"],
  ['BOOLEAN', 'true'],
  ['VARCHAR', `'it''s "quoted"' || chr(10) || 'é'`],
  ['TIMESTAMP_NS', "'2024-01-02 03:04:05.123456789'::TIMESTAMP_NS"],
  ['TIMESTAMP', "'2024-01-02 03:04:05'::TIMESTAMP"],
  ['DATE', "'2024-02-29'::DATE"],
  ['INTERVAL', "INTERVAL 90 MINUTE"],
  ['BLOB', "'\\xAA\\x00z'::BLOB"],
  ['UUID', "'b0f0c8a2-6a4f-4c8e-9b7e-1f0e2d3c4b5a'::UUID"],
  ['INTEGER[]', '[1, NULL, 3]'],
  ['VARCHAR[]', '[]::VARCHAR[]'],
  ['STRUCT(lo BIGINT, "hi there" UBIGINT)[]', `[{'lo': -1, 'hi there': 2}]`],
  ['MAP(VARCHAR, INTEGER)', "MAP {'a': 1, 'b': 2}"],
  ['MAP(INTEGER, VARCHAR[])', "MAP {1: ['x'], 2: []}"],
];

test('values of every column type survive sqlLiteral and the cast back to their type', async () => {
  const s = await Session.open();
  try {
    for (const [type, sql] of CASES) {
      const original = (await s.run(`SELECT CAST(${sql} AS ${type}) AS v`)).rows[0]![0];
      const again = (await s.run(`SELECT ${castLiteral(original, type)} AS v`)).rows[0]![0];
      assert.deepEqual(again, original, `${type}: ${sql} → ${sqlLiteral(original)}`);
    }
    assert.equal(castLiteral(null, 'INTEGER'), 'NULL');
    assert.throws(() => castLiteral([{ key: 1, value: 'x' }], 'STRUCT(m MAP(INTEGER, VARCHAR))'), /only a MAP column itself is/);
  } finally {
    await s.close();
  }
});

test('numbers keep NaN, infinities and the sign of zero', () => {
  assert.equal(sqlLiteral(NaN), "'nan'::DOUBLE");
  assert.equal(sqlLiteral(Infinity), "'inf'::DOUBLE");
  assert.equal(sqlLiteral(-0), "'-0.0'::DOUBLE");
  assert.equal(sqlLiteral(1e21), '1e+21');
  assert.equal(sqlLiteral(2n ** 70n), '1180591620717411303424');
});
