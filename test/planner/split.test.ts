// The split pass: what the kernel runs, what DuckDB keeps, and why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printKExpr } from '../../src/planner/print-kexpr.js';
import type { SplitQuery } from '../../src/planner/split.js';
import { printExpr } from '../../src/query/print.js';
import { splitOf } from './passes.js';

function kept(s: SplitQuery): [string, string][] {
  return s.kept.map((k) => [printExpr(k.expr), k.reason]);
}

/** Where the query aggregates: the kernel's keys and aggregates, or DuckDB's reason. */
function aggregation(s: SplitQuery): unknown {
  const w = s.work;
  switch (w.kind) {
    case 'aggregate': return { keys: w.keys.map((k) => [k.name, printExpr(k.of), printKExpr(k.expr), k.width]), aggregates: w.aggregates.map((a) => [a.name, a.fn, a.arg ? printKExpr(a.arg) : '', a.params.kind]) };
    case 'stream': return { columns: w.columns.map((c) => c.name), reason: w.reason };
  }
}

test('split keeps a predicate the kernel refuses for DuckDB, with the reason, and pushes the rest', () => {
  const s = splitOf("SELECT comm FROM exec WHERE pid > 1 AND filename LIKE '%bin%'");
  assert.equal(printKExpr(s.filter!), '(pid > 1)');
  assert.deepEqual(kept(s), [["filename LIKE '%bin%'", "only LIKE patterns of the form 'prefix%' run in the kernel"]]);
  // Rows for DuckDB carry what it reads: the SELECT list and the kept filter's column.
  assert.deepEqual(aggregation(s), { columns: ['comm', 'filename'], reason: undefined });
});

test('kernelFilter: false keeps every conjunct, saying so; cgroupId filters in the kernel anyway', () => {
  const s = splitOf('SELECT comm FROM exec WHERE pid > 1', { kernelFilter: false, cgroupId: 7n });
  assert.deepEqual(kept(s), [['pid > 1', 'filtering in the kernel is off']]);
  assert.equal(printKExpr(s.filter!), '(cgroup_id = 7)');
});

test('a grouped query aggregates in the kernel: keys and aggregates named in order', () => {
  const s = splitOf('SELECT comm, pid // 1000 AS b, count(*), count(pid), sum(pid) FROM exec GROUP BY comm, b');
  assert.deepEqual(kept(s), []);
  assert.deepEqual(aggregation(s), {
    keys: [['k0', 'comm', 'comm', 16], ['k1', 'pid // 1000', '(pid // 1000)', 8]],
    // pid always has a value, so count(pid) is the event count, as count(*) is.
    aggregates: [['a0', 'count', '', 'none'], ['a1', 'count', '', 'none'], ['a2', 'sum', 'pid', 'none']],
  });
});

test('split says why DuckDB aggregates a grouped query', () => {
  const why = (sql: string, opts = {}): unknown => aggregation(splitOf(sql, opts));
  assert.deepEqual(why("SELECT comm, count(*) FROM exec WHERE filename LIKE '%bin%' GROUP BY comm"),
    { columns: ['comm', 'filename'], reason: 'DuckDB filters rows the kernel cannot, so it groups them too' });
  assert.deepEqual(why('SELECT comm, count(*) FROM exec GROUP BY comm', { kernelAggregation: false }), { columns: ['comm'], reason: 'aggregation in the kernel is off' });
  assert.deepEqual(why('SELECT count(DISTINCT pid), median(pid) FROM exec'), { columns: ['pid'], reason: 'count(DISTINCT …) runs in DuckDB' });
  assert.deepEqual(why('SELECT median(pid) FROM exec'), { columns: ['pid'], reason: 'median() runs in DuckDB' });
  assert.deepEqual(why('SELECT ts, count(*) FROM exec GROUP BY ts'), { columns: ['ts'], reason: "GROUP BY ts: 'ts' becomes a wall-clock time only after the run" });
  // 30720 bytes of buckets per quantile argument: two arguments are more than a per-CPU value holds.
  assert.deepEqual(why('SELECT p50(pid), p50(uid) FROM exec'), { columns: ['pid', 'uid'], reason: "the aggregates' states take 61448 bytes, more than the 32768 of a per-CPU map value" });
});
