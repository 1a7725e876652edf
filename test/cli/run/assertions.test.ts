import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runAssertions, verdictOf } from '../../../src/cli/run/assertions.js';
import { Session } from '../../../src/store/session.js';

test('the first column of the first row decides; the whole row is kept', () => {
  const columns = [{ name: 'ok', type: 'BOOLEAN' }, { name: 'n', type: 'BIGINT' }];
  assert.deepEqual(verdictOf('q', { columns, rows: [[true, 5], [false, 6]] }), { sql: 'q', passed: true, values: { ok: true, n: 5 } });
  assert.deepEqual(verdictOf('q', { columns, rows: [[false, 5]] }), { sql: 'q', passed: false, values: { ok: false, n: 5 } });
  assert.deepEqual(verdictOf('q', { columns, rows: [[null, null]] }), { sql: 'q', passed: false, values: { ok: null, n: null } });
});

test('no row, or a verdict that is not a boolean, fails and says why', () => {
  assert.deepEqual(verdictOf('q', { columns: [{ name: 'ok', type: 'BOOLEAN' }], rows: [] }), { sql: 'q', passed: false, values: {}, error: 'the query returned no row' });
  assert.deepEqual(verdictOf('q', { columns: [{ name: 'n', type: 'INTEGER' }], rows: [[1]] }), {
    sql: 'q', passed: false, values: { n: 1 }, error: 'the first column is INTEGER, not a boolean verdict',
  });
});

test('DuckDB: assertions over a result table, an SQL error fails its assertion and the rest still run', async () => {
  const session = await Session.open();
  try {
    await session.run('CREATE TABLE opens AS SELECT 2100::UBIGINT AS n');
    const results = await runAssertions(session, [
      'SELECT n <= 2000 FROM opens',
      'SELECT n <= 2000 AS ok, n FROM nosuch',
      "SELECT count(*) = 0 FROM opens WHERE n = 1",
    ]);
    assert.deepEqual(results[0], { sql: 'SELECT n <= 2000 FROM opens', passed: false, values: { '(n <= 2000)': false } });
    assert.equal(results[1]!.passed, false);
    assert.match(results[1]!.error!, /Table with name nosuch does not exist/);
    assert.deepEqual(results[2], { sql: 'SELECT count(*) = 0 FROM opens WHERE n = 1', passed: true, values: { '(count_star() = 0)': true } });
  } finally {
    await session.close();
  }
});
