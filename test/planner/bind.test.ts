// The bind pass: shorthands written out, names bound, GROUP BY aliases resolved, aggregates listed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QueryError } from '../../src/diag/diagnostic.js';
import type { BoundQuery } from '../../src/planner/bind.js';
import { printExpr } from '../../src/query/print.js';
import { bound } from './passes.js';

/** The grouping as text: 'rows', or the keys and aggregates as SQL. */
function grouping(b: BoundQuery): string | { keys: string[]; aggregates: string[] } {
  const g = b.grouping;
  switch (g.kind) {
    case 'rows': return 'rows';
    case 'grouped': return { keys: g.keys.map(printExpr), aggregates: g.aggregates.map(printExpr) };
  }
}

test('bind gives the aliases, the group keys with aliases resolved, and each aggregate once', () => {
  const b = bound('SELECT comm AS c, pid // 1000 AS bucket, count(*) AS n FROM exec GROUP BY c, bucket HAVING count(*) > 1 ORDER BY 3 DESC, max(pid)');
  assert.equal(b.table.name, 'exec');
  assert.deepEqual(b.aliases, ['c', 'bucket', 'n']);
  assert.deepEqual(grouping(b), { keys: ['comm', 'pid // 1000'], aggregates: ['count(*)', 'max(pid)'] });
  // ORDER BY 3 sorts by the item's name; GROUP BY keeps naming the alias, as DuckDB reads it.
  assert.deepEqual(b.query.orderBy.map((o) => [printExpr(o.expr), o.descending]), [['n', true], ['max(pid)', false]]);
  assert.deepEqual(b.query.groupBy.map(printExpr), ['c', 'bucket']);
});

test('bind writes out GROUP BY ALL, * EXCLUDE and qualifiers before anything else reads the query', () => {
  const all = bound('SELECT exec.comm, pid // 10 AS b, count(*) FROM exec GROUP BY ALL');
  assert.deepEqual(grouping(all), { keys: ['comm', 'pid // 10'], aggregates: ['count(*)'] });
  assert.equal(all.query.groupByAll, undefined);
  const star = bound('SELECT * EXCLUDE (ts, filename) FROM exec');
  assert.equal(grouping(star), 'rows');
  assert.deepEqual(star.query.items.map((i) => (i.kind === 'expr' ? printExpr(i.expr) : '*')), ['cpu', 'pid', 'tid', 'ppid', 'uid', 'gid', 'comm', 'cgroup_id', 'argv']);
});

test('bind refuses a column that is neither a key nor aggregated, at the column', () => {
  assert.throws(() => bound('SELECT comm, pid, count(*) FROM exec GROUP BY comm'), (e: unknown) => {
    assert.ok(e instanceof QueryError);
    assert.deepEqual(e.diagnostics.map((d) => [d.code, d.params, d.span]), [['not-grouped', { name: 'pid' }, { start: 13, end: 16 }]]);
    return true;
  });
});

test('an aggregate only in HAVING makes the query grouped', () => {
  assert.deepEqual(grouping(bound('SELECT 1 AS one FROM exec HAVING count(*) > 1')), { keys: [], aggregates: ['count(*)'] });
  assert.equal(grouping(bound('SELECT pid FROM exec ORDER BY pid')), 'rows');
});
