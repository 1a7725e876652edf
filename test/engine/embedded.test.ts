import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kernelSubqueries, replaceSubqueries } from '../../src/engine/embedded.js';
import { fixtureCatalog } from '../helpers/fixture-catalog.js';

test('finds the kernel SELECTs inside a WITH and a join, skipping strings and comments', () => {
  const sql = "WITH e AS (SELECT comm, count(*) n FROM exec GROUP BY comm FOR 5s) -- (SELECT 1 FROM exec)\n" +
    "SELECT * FROM e JOIN read_parquet('b(ase).parquet') b USING (comm) JOIN (SELECT pid FROM open) o ON true";
  const subs = kernelSubqueries(sql, fixtureCatalog());
  assert.deepEqual(subs.map((s) => s.text), ['SELECT comm, count(*) n FROM exec GROUP BY comm FOR 5s', 'SELECT pid FROM open']);
  assert.equal(sql.slice(subs[0]!.start, subs[0]!.end), subs[0]!.text);
  assert.equal(
    replaceSubqueries(sql, subs, ['t1', 't2']),
    "WITH e AS (SELECT * FROM t1) -- (SELECT 1 FROM exec)\nSELECT * FROM e JOIN read_parquet('b(ase).parquet') b USING (comm) JOIN (SELECT * FROM t2) o ON true",
  );
});

test('a subquery over DuckDB tables only is left alone; the innermost kernel query is taken', () => {
  const catalog = fixtureCatalog();
  assert.deepEqual(kernelSubqueries('SELECT * FROM (SELECT * FROM t WHERE x IN (1, 2))', catalog), []);
  const nested = kernelSubqueries('SELECT * FROM (SELECT * FROM (SELECT comm FROM exec) x)', catalog);
  assert.deepEqual(nested.map((s) => s.text), ['SELECT comm FROM exec']);
});

test('a kernel subquery may start with a comment', () => {
  const subs = kernelSubqueries('SELECT * FROM (/* who runs */ SELECT comm FROM exec) x', fixtureCatalog());
  // The comment stays in the outer statement (DuckDB skips it there); the kernel part starts at SELECT.
  assert.deepEqual(subs.map((s) => s.text), ['SELECT comm FROM exec']);
});
