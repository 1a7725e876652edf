// Which queries print their rows as they arrive: those whose every row comes from one event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement } from '../../src/query/parse.js';
import { planQuery } from '../../src/planner/planner.js';
import { isStreamable } from '../../src/planner/streamable.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

function streamable(sql: string): boolean {
  const s = parseStatement(sql);
  assert.equal(s.kind, 'query');
  if (s.kind !== 'query') return false;
  return isStreamable(s.query, planQuery(s.query, fixtureCatalog(), fixturePlannerEnv));
}

test('plain projections and filters stream, with or without LIMIT or FOR, in the kernel or in DuckDB', () => {
  for (const sql of [
    'SELECT comm, filename FROM exec',
    "SELECT pid, upper(comm) AS c FROM exec WHERE comm = 'sh' LIMIT 3",
    "SELECT * FROM exec WHERE filename LIKE '/tmp/%' FOR 5s",
    "SELECT comm FROM exec WHERE regexp_matches(filename, 'a+') LIMIT 2",
  ]) assert.equal(streamable(sql), true, sql);
});

test('ordering, grouping, aggregates, HAVING and EVERY need later rows: they do not stream', () => {
  for (const sql of [
    'SELECT comm FROM exec ORDER BY comm',
    'SELECT comm, count(*) FROM exec GROUP BY comm',
    'SELECT count(*) FROM exec',
    "SELECT comm, string_agg(filename, ',') FROM exec GROUP BY ALL",
    'SELECT comm FROM exec EVERY 1s',
  ]) assert.equal(streamable(sql), false, sql);
});
