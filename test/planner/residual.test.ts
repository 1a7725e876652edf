// The residual pass: the DuckDB SQL over the kernel's output table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { residual } from '../../src/planner/residual.js';
import { splitOf } from './passes.js';

test('after kernel aggregation, DuckDB renames keys and aggregates and applies HAVING and ORDER BY', () => {
  assert.equal(residual(splitOf('SELECT comm AS c, count(*) AS n FROM exec GROUP BY c HAVING count(*) > 1 ORDER BY 2 DESC')),
    'SELECT k0 AS c, a0 AS n FROM __bpfql_kernel WHERE a0 > 1 ORDER BY n DESC');
});

test('over streamed rows DuckDB runs the query with the kept filters', () => {
  assert.equal(residual(splitOf("SELECT comm, count(*) FROM exec WHERE pid > 1 AND filename LIKE '%bin%' GROUP BY comm")),
    `SELECT comm AS comm, count(*) AS "count(*)" FROM __bpfql_kernel WHERE filename LIKE '%bin%' GROUP BY comm`);
});
