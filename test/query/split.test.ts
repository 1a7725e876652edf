import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QueryError } from '../../src/diag/diagnostic.js';
import { parseStatement } from '../../src/query/parse.js';
import { splitStatements, statementAround } from '../../src/query/split.js';

test('splits on semicolons, trims whitespace, keeps offsets into the script', () => {
  const script = '  SELECT 1 FROM a;\n\nSHOW TABLES ;DESCRIBE exec';
  assert.deepEqual(splitStatements(script), [
    { text: 'SELECT 1 FROM a', start: 2 },
    { text: 'SHOW TABLES', start: 20 },
    { text: 'DESCRIBE exec', start: 33 },
  ]);
  for (const piece of splitStatements(script)) {
    assert.equal(script.slice(piece.start, piece.start + piece.text.length), piece.text);
  }
});

test('semicolons inside strings, quoted identifiers and comments do not split', () => {
  const script = "SELECT 'a;b', \"c;d\" FROM t -- e;f\n/* g;h */ WHERE x = 'it''s;';SELECT 2 FROM u";
  const pieces = splitStatements(script);
  assert.deepEqual(pieces.map((p) => p.text), [
    "SELECT 'a;b', \"c;d\" FROM t -- e;f\n/* g;h */ WHERE x = 'it''s;'",
    'SELECT 2 FROM u',
  ]);
  assert.equal(pieces[1]!.start, script.indexOf('SELECT 2'));
});

test('empty pieces and pieces of only comments are dropped', () => {
  assert.deepEqual(splitStatements(';; \n ; -- just a comment\n; /* and another */'), []);
  assert.deepEqual(splitStatements('SELECT 1 FROM t;  -- done\n'), [{ text: 'SELECT 1 FROM t', start: 0 }]);
  assert.deepEqual(splitStatements(''), []);
});

test('an unterminated string runs to the end, so the parser reports it', () => {
  const script = "SELECT 1 FROM t; SELECT 'x; SELECT 2 FROM u";
  const pieces = splitStatements(script);
  assert.deepEqual(pieces, [
    { text: 'SELECT 1 FROM t', start: 0 },
    { text: "SELECT 'x; SELECT 2 FROM u", start: 17 },
  ]);
  assert.throws(() => parseStatement(pieces[1]!.text), (e: unknown) =>
    e instanceof QueryError && e.diagnostics[0]!.code === 'unterminated');
});

test('an unterminated block comment swallows the rest', () => {
  assert.deepEqual(splitStatements('SELECT 1 FROM t /* ; SELECT 2'), [{ text: 'SELECT 1 FROM t /* ; SELECT 2', start: 0 }]);
});

test('a diagnostic in a piece maps back into the script by adding start', () => {
  const script = 'SHOW TABLES;\nSELECT a FROM t FOR 10x';
  const piece = splitStatements(script)[1]!;
  try {
    parseStatement(piece.text);
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(e instanceof QueryError);
    const d = e.diagnostics[0]!;
    assert.equal(script.slice(piece.start + d.span.start, piece.start + d.span.end), '10x');
  }
});

test('statementAround: the statement holding an offset, semicolons in strings and comments ignored', () => {
  const script = "SELECT ';' FROM a; SELECT 1 -- ;\n; SELECT 2";
  assert.deepEqual(statementAround(script, 3), { start: 0, end: 17 });
  assert.deepEqual(statementAround(script, 20), { start: 18, end: 33 });
  assert.deepEqual(statementAround(script, script.length), { start: 34, end: script.length });
  assert.deepEqual(statementAround('', 0), { start: 0, end: 0 });
});
