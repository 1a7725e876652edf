// The longest duration the dialect takes, and the diagnostic for a longer one (with its range).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QueryError, type Diagnostic } from '../../src/diag/diagnostic.js';
import { formatDiagnostic } from '../../src/diag/messages.js';
import { parseStatement } from '../../src/query/parse.js';
import { MAX_DURATION_MS, MAX_DURATION_TEXT } from '../../src/query/duration.js';
import { trailingFor } from '../../src/engine/trailing-for.js';

function errorOf(run: () => unknown): Diagnostic {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof QueryError, String(e));
    assert.equal(e.diagnostics.length, 1);
    return e.diagnostics[0]!;
  }
  assert.fail('no error');
}

function forOf(text: string): number | undefined {
  const s = parseStatement(text);
  assert.equal(s.kind, 'query');
  return s.kind === 'query' ? s.query.for?.ms : undefined;
}

test('FOR 597h and the longest duration, 8760h (in any unit), are taken as written', () => {
  assert.equal(MAX_DURATION_MS, 8760 * 3_600_000);
  assert.equal(forOf('SELECT a FROM t FOR 597h'), 597 * 3_600_000);
  for (const d of [MAX_DURATION_TEXT, '525600m', '31536000s', '31536000000ms']) assert.equal(forOf(`SELECT a FROM t FOR ${d}`), MAX_DURATION_MS, d);
});

test('a duration over the longest is duration-too-long, spanning it, in FOR and in EVERY', () => {
  for (const [text, bad, start] of [
    ['SELECT a FROM t FOR 8761h', '8761h', 20],
    ['SELECT a FROM t EVERY 31536000001ms', '31536000001ms', 22],
    ['SELECT a FROM t FOR 99999999999999999999h', '99999999999999999999h', 20],
  ] as const) {
    assert.deepEqual(errorOf(() => parseStatement(text)), { code: 'duration-too-long', params: { text: bad, max: '8760h' }, span: { start, end: start + bad.length } }, text);
  }
  assert.equal(formatDiagnostic(errorOf(() => parseStatement('SELECT a FROM t FOR 8761h')), 'SELECT a FROM t FOR 8761h'), [
    "query:1:21: error[duration-too-long]: duration '8761h' is too long: the longest is 8760h",
    '1 | SELECT a FROM t FOR 8761h',
    '                        ^^^^^',
  ].join('\n'));
});

test('a FOR after a statement with kernel subqueries: the same limit, the diagnostic at the duration', () => {
  const sql = 'SELECT count(*) FROM (SELECT pid FROM exec) FOR 9000h';
  const after = sql.indexOf(')') + 1;
  assert.deepEqual(errorOf(() => trailingFor(sql, after)), { code: 'duration-too-long', params: { text: '9000h', max: '8760h' }, span: { start: 48, end: 53 } });
  assert.deepEqual(errorOf(() => trailingFor(sql.replace('9000h', '0s'), after)), { code: 'bad-duration', params: { text: '0s' }, span: { start: 48, end: 50 } });
  assert.equal(trailingFor(sql.replace('9000h', '597h'), after)?.duration.ms, 597 * 3_600_000);
});

test('a trailing FOR is code: one in a comment is none, a comment after one is no matter', () => {
  const sql = 'SELECT count(*) FROM (SELECT pid FROM exec)';
  const after = sql.indexOf(')') + 1;
  assert.equal(trailingFor(`${sql} -- FOR 5s`, after), undefined);
  assert.equal(trailingFor(`${sql} WHERE 'x FOR 5s'`, after), undefined);
  assert.deepEqual(trailingFor(`${sql} FOR 5S; -- five seconds`, after), { start: sql.length, duration: { ms: 5000, text: '5S', span: { start: sql.length, end: sql.length + 24 } } });
  // Only the dialect's units make a duration: `5x` is DuckDB's to refuse.
  assert.equal(trailingFor(`${sql} FOR 5x`, after), undefined);
});
