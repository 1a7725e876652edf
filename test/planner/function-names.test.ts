// Unknown function names found from the list of DuckDB's names, without DuckDB: at the name, with
// the nearest known names; every DuckDB and bpfql function passes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QueryError } from '../../src/diag/diagnostic.js';
import { checkFunctionNames } from '../../src/planner/function-names.js';
import { parseStatement } from '../../src/query/parse.js';

function check(sql: string): { code: string; at: string; params: unknown } | undefined {
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error(sql);
  try {
    checkFunctionNames(s.query);
    return undefined;
  } catch (e) {
    if (!(e instanceof QueryError)) throw e;
    const d = e.diagnostics[0]!;
    return { code: d.code, at: sql.slice(d.span.start, d.span.end), params: d.params };
  }
}

test('a name neither DuckDB nor bpfql has is unknown-function at the name, with the nearest names (only aggregates, when some are nearest)', () => {
  assert.deepEqual(check('SELECT comm, cont(*) FROM exec GROUP BY comm'), { code: 'unknown-function', at: 'cont', params: { name: 'cont', suggestions: ['count'] } });
  assert.deepEqual(check("SELECT pid FROM exec WHERE uper(comm) = 'X'"), { code: 'unknown-function', at: 'uper', params: { name: 'uper', suggestions: ['upper', 'user'] } });
  assert.deepEqual(check('SELECT comm FROM exec ORDER BY lenght(filename)'), { code: 'unknown-function', at: 'lenght', params: { name: 'lenght', suggestions: ['length'] } });
  assert.deepEqual(check('SELECT round(avg(zzzzzzzzz(pid)), 1) FROM exec'), { code: 'unknown-function', at: 'zzzzzzzzz', params: { name: 'zzzzzzzzz', suggestions: [] } });
});

test('DuckDB\'s functions, bpfql\'s aggregates and decoder macros pass, in any case', () => {
  for (const sql of [
    "SELECT upper(comm), regexp_matches(filename, 'x'), strftime(ts, '%H'), count(*) FROM exec GROUP BY ALL",
    'SELECT hist(pid), lhist(pid, 0, 100, 10), p99(pid), stddev(pid), COUNT(*) FROM exec',
    'SELECT bpfql_ipv4(pid) FROM exec',
  ]) assert.equal(check(sql), undefined, sql);
});
