import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QueryError } from '../../src/diag/diagnostic.js';
import { messageOf } from '../../src/diag/messages.js';
import { parseStatement } from '../../src/query/parse.js';
import { planQuery } from '../../src/planner/planner.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

function typeError(sql: string): { text: string; message: string } | undefined {
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error('not a query');
  try {
    planQuery(s.query, fixtureCatalog(), fixturePlannerEnv);
    return undefined;
  } catch (e) {
    if (!(e instanceof QueryError)) throw e;
    const d = e.diagnostics[0]!;
    assert.equal(d.code, 'type-mismatch');
    return { text: sql.slice(d.span.start, d.span.end), message: messageOf(d) };
  }
}

test('text compared with a number is an error at the number', () => {
  assert.deepEqual(typeError('SELECT comm FROM exec WHERE comm > 5'), { text: '5', message: "'>' expects text on both sides but got a number" });
  assert.deepEqual(typeError('SELECT comm FROM exec WHERE pid IN (1, comm)')?.text, 'comm');
  assert.deepEqual(typeError("SELECT comm FROM exec WHERE pid BETWEEN 1 AND filename")?.text, 'filename');
});

test('arithmetic, NOT, LIKE and numeric aggregates check their operands', () => {
  assert.deepEqual(typeError('SELECT comm + 1 FROM exec'), { text: 'comm', message: "'+' expects numbers but got text" });
  assert.deepEqual(typeError('SELECT comm FROM exec WHERE NOT filename')?.text, 'filename');
  assert.deepEqual(typeError("SELECT comm FROM exec WHERE pid LIKE '1%'")?.text, 'pid');
  assert.deepEqual(typeError('SELECT sum(comm) FROM exec'), { text: 'comm', message: "'sum()' expects a number but got text" });
  assert.deepEqual(typeError('SELECT comm, count(*) AS n FROM exec GROUP BY comm HAVING n > comm')?.text, 'comm');
});

test('what DuckDB accepts passes: text literals cast to the other side, timestamps with text, min of text', () => {
  assert.equal(typeError("SELECT comm FROM exec WHERE pid = '5' AND ts > '2026-01-01'"), undefined);
  assert.equal(typeError('SELECT min(comm), max(filename), count(DISTINCT comm) FROM exec'), undefined);
  assert.equal(typeError('SELECT upper(comm) || filename FROM exec WHERE length(comm) > 3'), undefined);
  assert.equal(typeError('SELECT pid AS comm FROM exec ORDER BY comm + 1'), undefined);
});

test('min and max of text are text: comparing them with a number in HAVING or ORDER BY is an error there, before anything runs', () => {
  assert.deepEqual(typeError('SELECT max(comm) AS m FROM exec HAVING m > 0'), { text: '0', message: "'>' expects text on both sides but got a number" });
  assert.deepEqual(typeError('SELECT pid, min(filename) FROM exec GROUP BY pid HAVING min(filename) = 3')?.text, '3');
  assert.deepEqual(typeError('SELECT pid, max(comm) AS m FROM exec GROUP BY pid ORDER BY m * 2')?.text, 'm');
  assert.equal(typeError("SELECT pid, max(comm) AS m FROM exec GROUP BY pid HAVING m > 'a' ORDER BY max(pid) + 1"), undefined);
});

test('hist() and lhist() of a DOUBLE (a / b) are errors at the argument; // keeps an integer', () => {
  assert.deepEqual(typeError('SELECT hist(latency_ns / 1000) FROM open'), { text: 'latency_ns / 1000', message: "'hist()' expects an integer (`//` divides integers) but got a DOUBLE" });
  assert.deepEqual(typeError('SELECT lhist(pid * 2.5, 0, 100, 10) FROM exec')?.text, 'pid * 2.5');
  assert.equal(typeError('SELECT hist(latency_ns // 1000), lhist(pid % 7, 0, 7, 1), p99(pid / 2), sum(pid / 2) FROM open'), undefined);
  // `//` is arithmetic: its operands are numbers.
  assert.deepEqual(typeError('SELECT comm // 2 FROM exec'), { text: 'comm', message: "'//' expects numbers but got text" });
});

test('an alias named like a column it aggregates: inside its expression the name is the column', () => {
  // Expanding `pid` in ORDER BY to sum(pid) once, not again inside it (this used to recurse
  // until the stack ran out: a stack trace instead of a plan).
  assert.equal(typeError('SELECT comm, sum(pid) AS pid FROM exec GROUP BY comm ORDER BY pid'), undefined);
  assert.equal(typeError('SELECT comm, sum(pid) AS pid FROM exec GROUP BY comm HAVING pid > 3'), undefined);
  assert.deepEqual(typeError("SELECT comm, sum(pid) AS pid FROM exec GROUP BY comm HAVING pid > 'x' || comm")?.text, "'x' || comm");
});
