// printExpr's output goes to DuckDB as residual SQL, so it must mean there what it meant to
// bpfql, including where the two grammars rank operators differently.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseExpression } from '../../src/query/parse.js';
import { printExpr } from '../../src/query/print.js';

test('printed expressions evaluate in DuckDB to bpfql\'s meaning', async () => {
  // [bpfql text, its value in bpfql]; the first four read differently in DuckDB unprinted.
  const cases: [string, unknown][] = [
    ['4 | 1 & 2', 4n],
    ['1 | 2 << 2', 9n],
    ['~1 + 2', 0n],
    ['5 ^ 3', 6n],
    ['12 & 10 | 1', 9n],
    ['- -3', 3n],
    ['7 - (2 - 1)', 6n],
    ["'ab' || 'c' LIKE 'abc'", true],
    ['NOT 1 = 2 AND 3 BETWEEN 1 + 1 AND 4', true],
    ['CASE WHEN 2 > 1 THEN 1.5 ELSE 2.0 END', 1.5],
    // `/` divides as a float, `//` truncates toward zero, `%` keeps the dividend's sign.
    ['7 / 2', 3.5],
    ['-7 // 2', -3n],
    ['7 // -2 * 2', -6n],
    ['1 + -7 % 2', 0n],
    ['(10 - 3) // 2', 3n],
  ];
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    for (const [text, expected] of cases) {
      const sql = printExpr(parseExpression(text));
      const rows = (await connection.runAndReadAll(`SELECT ${sql}`)).getRows();
      const value = rows[0]?.[0];
      // DuckDB returns DECIMAL values as objects; compare numbers as numbers.
      const actual = typeof expected === 'number' ? Number(String(value)) : typeof expected === 'bigint' ? BigInt(String(value)) : value;
      assert.deepEqual(actual, expected, `${text} printed as ${sql}`);
    }
    // The cases are meaningful only if DuckDB reads the raw text differently.
    const raw = (await connection.runAndReadAll('SELECT 4 | 1 & 2, 1 | 2 << 2, ~1 + 2, 5 ^ 3')).getRows()[0]!;
    assert.deepEqual(raw.map((v) => Number(String(v))), [0, 12, -4, 125]);
  } finally {
    connection.closeSync();
    db.closeSync();
  }
});
