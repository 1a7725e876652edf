import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QueryError, type Diagnostic } from '../../src/diag/diagnostic.js';
import { formatDiagnostic } from '../../src/diag/messages.js';
import { parseExpression, parseStatement } from '../../src/query/parse.js';

function errorOf(text: string, parse: (text: string) => unknown = parseStatement): Diagnostic {
  try {
    parse(text);
  } catch (e) {
    assert.ok(e instanceof QueryError, String(e));
    assert.equal(e.diagnostics.length, 1);
    return e.diagnostics[0]!;
  }
  assert.fail(`no error for ${text}`);
}

function rendered(text: string): string {
  return formatDiagnostic(errorOf(text), text);
}

test('a misspelt keyword: spans the word, lists statement starts, suggests the keyword', () => {
  const text = 'SELEC comm FROM exec';
  assert.deepEqual(errorOf(text), {
    code: 'parse-error',
    params: {
      expected: ['SELECT', 'EXPLAIN', 'CREATE', 'INSERT', 'SHOW', 'DESCRIBE'],
      found: "'SELEC'",
      hint: 'SELECT',
    },
    span: { start: 0, end: 5 },
  });
  assert.equal(rendered(text), [
    "query:1:1: error[parse-error]: expected SELECT, EXPLAIN, CREATE, INSERT, SHOW or DESCRIBE but found 'SELEC'; did you mean SELECT?",
    '1 | SELEC comm FROM exec',
    '    ^^^^^',
  ].join('\n'));
});

test('missing table: the error is at the end of input', () => {
  assert.deepEqual(errorOf('SELECT comm FROM'), {
    code: 'parse-error',
    params: { expected: ['identifier'], found: 'end of input' },
    span: { start: 16, end: 16 },
  });
  assert.equal(rendered('SELECT comm FROM  \n'), [
    'query:1:17: error[parse-error]: expected identifier but found end of input',
    '1 | SELECT comm FROM  ',
    '                    ^',
  ].join('\n'));
});

test('an unclosed call points at the token where ) was due', () => {
  assert.equal(rendered('SELECT count(* FROM exec'), [
    "query:1:16: error[parse-error]: expected ')' but found 'FROM'",
    '1 | SELECT count(* FROM exec',
    '                   ^^^^',
  ].join('\n'));
});

test('a keyword misspelt after the table, on a later line', () => {
  const text = 'SELECT a\nFROM exec\nORDR BY a';
  assert.deepEqual(errorOf(text), {
    code: 'parse-error',
    params: {
      expected: ['WHERE', 'GROUP BY', 'HAVING', 'ORDER BY', 'LIMIT', 'EVERY', 'FOR', "';'", 'end of input'],
      found: "'ORDR'",
      hint: 'ORDER BY',
    },
    span: { start: 19, end: 23 },
  });
  assert.equal(formatDiagnostic(errorOf(text), text).split('\n')[0], "query:3:1: error[parse-error]: expected WHERE, GROUP BY, HAVING, ORDER BY, LIMIT, EVERY, FOR, ';' or end of input but found 'ORDR'; did you mean ORDER BY?");
});

test('expected lists fold expression starts and operators', () => {
  assert.deepEqual(errorOf('SELECT a FROM exec WHERE a = 1 +').params, { expected: ['expression'], found: 'end of input' });
  assert.deepEqual(errorOf('SELECT a FROM exec WHERE a b').params, {
    expected: ['operator', 'GROUP BY', 'HAVING', 'ORDER BY', 'LIMIT', 'EVERY', 'FOR', "';'", 'end of input'],
    found: "'b'",
  });
  assert.deepEqual(errorOf('SELECT a b c').params, { expected: ["','", 'FROM'], found: "'c'" });
  // After BETWEEN's low bound only its AND can end the operand.
  assert.deepEqual(errorOf('SELECT a FROM t WHERE a BETWEEN 1 FROM').params, { expected: ['operator', 'AND'], found: "'FROM'" });
  assert.deepEqual(errorOf('SELECT count(DISTINCT) FROM t').params, { expected: ['expression'], found: "')'" });
});

test('a reserved word where a name is due suggests quoting it', () => {
  assert.deepEqual(errorOf('SELECT x AS limit FROM t'), {
    code: 'parse-error',
    params: { expected: ['identifier'], found: "'limit'", hint: '"limit"' },
    span: { start: 12, end: 17 },
  });
});

test('a reserved keyword in the wrong place gets no spelling hint', () => {
  // END is one letter from AND, but it is a word the user meant.
  assert.deepEqual(errorOf('SELECT CASE WHEN a END FROM t').params, { expected: ['operator', 'THEN'], found: "'END'" });
});

test('empty input and trailing text after a statement', () => {
  assert.deepEqual(errorOf('  -- nothing\n'), {
    code: 'parse-error',
    params: { expected: ['SELECT', 'EXPLAIN', 'CREATE', 'INSERT', 'SHOW', 'DESCRIBE'], found: 'end of input' },
    span: { start: 0, end: 0 },
  });
  assert.deepEqual(errorOf('SELECT 1 FROM t; SELECT'), {
    code: 'parse-error',
    params: { expected: ['end of input'], found: "'SELECT'" },
    span: { start: 17, end: 23 },
  });
  assert.deepEqual(errorOf('SELECT a FROM t FOR 1s FOR 2s').params, { expected: ['EVERY', "';'", 'end of input'], found: "'FOR'" });
});

test('comparisons do not chain', () => {
  assert.deepEqual(errorOf('a < b < c', parseExpression), {
    code: 'parse-error',
    params: { expected: ['operator', 'end of input'], found: "'<'" },
    span: { start: 6, end: 7 },
  });
});

test('bad durations: a bare number, a spaced unit, an unknown unit, a fraction, zero', () => {
  const cases: [string, string, number][] = [
    ['SELECT a FROM t FOR 10 s', '10 s', 20],
    ['SELECT a FROM t FOR 10x', '10x', 20],
    ['SELECT a FROM t FOR 10', '10', 20],
    ['SELECT a FROM t EVERY 1.5s', '1.5s', 22],
    ['SELECT a FROM t FOR 1.5', '1.5', 20],
    ['SELECT a FROM t FOR 0s', '0s', 20],
  ];
  for (const [text, bad, start] of cases) {
    assert.deepEqual(errorOf(text), { code: 'bad-duration', params: { text: bad }, span: { start, end: start + bad.length } }, text);
  }
  assert.equal(rendered('SELECT a FROM t FOR 10 s'), [
    "query:1:21: error[bad-duration]: bad duration '10 s': use a number followed by ms, s, m or h",
    '1 | SELECT a FROM t FOR 10 s',
    '                        ^^^^',
  ].join('\n'));
  // A quoted duration is not a duration at all.
  assert.deepEqual(errorOf("SELECT a FROM t FOR '10s'").params, { expected: ['duration'], found: "string '10s'" });
});

test('bad limits: negative, fractional, zero, too large', () => {
  const cases: [string, string, number][] = [
    ['SELECT a FROM t LIMIT -1', '-1', 22],
    ['SELECT a FROM t LIMIT - 1', '- 1', 22],
    ['SELECT a FROM t LIMIT 1.5', '1.5', 22],
    ['SELECT a FROM t LIMIT 0', '0', 22],
    ['SELECT a FROM t LIMIT 9007199254740993', '9007199254740993', 22],
  ];
  for (const [text, bad, start] of cases) {
    assert.deepEqual(errorOf(text), { code: 'bad-limit', params: { text: bad }, span: { start, end: start + bad.length } }, text);
  }
  assert.equal(rendered('SELECT a FROM t LIMIT -1').split('\n')[0], "query:1:23: error[bad-limit]: LIMIT needs a positive whole number, not '-1'");
  assert.deepEqual(errorOf('SELECT a FROM t LIMIT x').params, { expected: ['integer'], found: "'x'" });
});

test('the first problem wins: a bad duration before a later syntax error', () => {
  assert.equal(errorOf('SELECT a FROM t FOR 10x garbage +').code, 'bad-duration');
  assert.equal(errorOf('SELECT a FROM t WHERE + LIMIT -1').code, 'parse-error');
});

test('lexical problems come through parseStatement unchanged', () => {
  assert.deepEqual(errorOf("SELECT 'abc FROM t"), { code: 'unterminated', params: { what: 'string' }, span: { start: 7, end: 18 } });
  assert.deepEqual(errorOf('SELECT a FROM t WHERE a @ b'), { code: 'lex-error', params: { text: '@' }, span: { start: 24, end: 25 } });
});

test('full-SQL constructs outside the dialect are reported as unsupported', () => {
  const cases: [string, string, string][] = [
    ['SELECT DISTINCT comm FROM exec', 'SELECT DISTINCT', 'DISTINCT'],
    ['SELECT a FROM exec JOIN open ON a = b', 'JOIN', 'JOIN'],
    ['SELECT a FROM exec LEFT JOIN open', 'JOIN', 'LEFT'],
    ['SELECT a FROM exec, open', 'JOIN', ','],
    ['SELECT a FROM exec AS e', 'a table alias', 'AS'],
    ['SELECT a FROM exec UNION SELECT b FROM open', 'UNION', 'UNION'],
    ['SELECT a FROM exec LIMIT 5 OFFSET 2', 'OFFSET', 'OFFSET'],
    ['SELECT a FROM exec WHERE pid IN (SELECT pid FROM open)', 'a subquery', 'SELECT'],
    ['SELECT rank() OVER (ORDER BY a) FROM exec', 'a window function (OVER)', 'OVER'],
    ['WITH x AS (SELECT 1) SELECT * FROM x', 'WITH', 'WITH'],
  ];
  for (const [text, feature, at] of cases) {
    const d = errorOf(text);
    assert.equal(d.code, 'unsupported', text);
    assert.deepEqual(d.params, { feature }, text);
    assert.equal(text.slice(d.span.start, d.span.end), at, text);
  }
  assert.equal(rendered('SELECT DISTINCT comm FROM exec').split('\n')[0], 'query:1:8: error[unsupported]: SELECT DISTINCT is not supported');
});

test('parseExpression rejects trailing input and empty input', () => {
  assert.deepEqual(errorOf('a + 1 )', parseExpression), {
    code: 'parse-error',
    params: { expected: ['operator', 'end of input'], found: "')'" },
    span: { start: 6, end: 7 },
  });
  assert.deepEqual(errorOf('', parseExpression).params, { expected: ['expression'], found: 'end of input' });
});

test('the parser is reusable after a diagnostic thrown mid-parse', () => {
  assert.equal(errorOf('SELECT a FROM t LIMIT -1').code, 'bad-limit');
  assert.equal(parseStatement('SELECT a FROM t LIMIT 1').kind, 'query');
  assert.equal(errorOf('SELECT a FROM t FOR 1x').code, 'bad-duration');
  assert.equal(parseStatement('SHOW TABLES').kind, 'show-tables');
});
