// The committed list of DuckDB's function names is the installed DuckDB's: when DuckDB is
// upgraded and names come or go, this fails until scripts/gen-duckdb-functions.ts is run again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { DUCKDB_FUNCTIONS, DUCKDB_FUNCTIONS_SQL } from '../../src/functions/duckdb-functions.js';

test('the list of DuckDB function and macro names matches the installed DuckDB', async () => {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    const names = (await connection.runAndReadAll(DUCKDB_FUNCTIONS_SQL)).getRows().map((r) => String(r[0]));
    connection.closeSync();
    const missing = names.filter((n) => !DUCKDB_FUNCTIONS.has(n));
    const gone = [...DUCKDB_FUNCTIONS].filter((n) => !names.includes(n));
    assert.deepEqual({ missing, gone }, { missing: [], gone: [] }, 'run: npx tsx scripts/gen-duckdb-functions.ts');
    for (const n of ['count', 'upper', 'regexp_matches', 'round', 'strftime']) assert.ok(DUCKDB_FUNCTIONS.has(n), n);
  } finally {
    instance.closeSync();
  }
});
