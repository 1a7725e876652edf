// CREATE RULE's options: SEVERITY and LIMIT n [PER key, …] EVERY d, before AS, in any order,
// each at most once; every bad option a diagnostic with its code and span.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QueryError } from '../../src/diag/diagnostic.js';
import { parseRule } from '../../src/query/parse.js';

function failure(text: string): { code: string; at: string } {
  try {
    parseRule(text);
  } catch (e) {
    assert.ok(e instanceof QueryError, String(e));
    const d = e.diagnostics[0]!;
    return { code: d.code, at: text.slice(d.span.start, d.span.end) };
  }
  assert.fail(`parsed: ${text}`);
}

test('a rule without options has none', () => {
  const r = parseRule('CREATE RULE a AS SELECT pid FROM exec');
  assert.equal(r.name, 'a');
  assert.equal(r.severity, undefined);
  assert.equal(r.rateLimit, undefined);
});

test('SEVERITY and LIMIT … PER … EVERY, in either order, with their spans', () => {
  const text = 'CREATE RULE busy SEVERITY High LIMIT 10 PER comm, pid EVERY 1m AS SELECT comm, pid FROM exec LIMIT 5';
  const r = parseRule(text);
  assert.equal(r.severity?.level, 'high');
  assert.equal(text.slice(r.severity.span.start, r.severity.span.end), 'High');
  assert.equal(r.rateLimit?.count, 10);
  assert.deepEqual(r.rateLimit?.per.map((k) => k.name), ['comm', 'pid']);
  assert.equal(text.slice(r.rateLimit.per[1]!.span.start, r.rateLimit.per[1]!.span.end), 'pid');
  assert.equal(r.rateLimit?.every.ms, 60_000);
  assert.equal(text.slice(r.rateLimit.span.start, r.rateLimit.span.end), 'LIMIT 10 PER comm, pid EVERY 1m');
  // The query's own LIMIT stays the query's.
  assert.equal(r.query.limit?.value, 5);
  const swapped = parseRule('CREATE RULE b LIMIT 1 EVERY 10s SEVERITY critical AS SELECT pid FROM exec');
  assert.equal(swapped.severity?.level, 'critical');
  assert.deepEqual(swapped.rateLimit?.per, []);
});

test('bad options: each a diagnostic with its code and span', () => {
  assert.deepEqual(failure('CREATE RULE a SEVERITY urgent AS SELECT pid FROM exec'), { code: 'bad-severity', at: 'urgent' });
  assert.deepEqual(failure('CREATE RULE a SEVERITY low SEVERITY high AS SELECT pid FROM exec'), { code: 'duplicate-rule-option', at: 'SEVERITY high' });
  assert.deepEqual(failure('CREATE RULE a LIMIT 1 EVERY 1s LIMIT 2 EVERY 1s AS SELECT pid FROM exec'), { code: 'duplicate-rule-option', at: 'LIMIT 2 EVERY 1s' });
  assert.deepEqual(failure('CREATE RULE a LIMIT 0 EVERY 1s AS SELECT pid FROM exec'), { code: 'bad-limit', at: '0' });
  assert.deepEqual(failure('CREATE RULE a LIMIT -3 EVERY 1s AS SELECT pid FROM exec'), { code: 'bad-limit', at: '-3' });
  assert.deepEqual(failure('CREATE RULE a LIMIT 5 PER comm EVERY 10 AS SELECT pid FROM exec'), { code: 'bad-duration', at: '10' });
  assert.deepEqual(failure('CREATE RULE a LIMIT 5 PER comm EVERY 3d AS SELECT pid FROM exec'), { code: 'bad-duration', at: '3d' });
  assert.equal(failure('CREATE RULE a LIMIT 5 PER comm AS SELECT pid FROM exec').code, 'parse-error');
  assert.equal(failure('CREATE RULE a LIMIT 5 PER EVERY 1s AS SELECT pid FROM exec').code, 'parse-error');
});

test('SEVERITY and PER stay usable as column names', () => {
  const r = parseRule('CREATE RULE a AS SELECT severity, per FROM t');
  assert.equal(r.query.items.length, 2);
});
