import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QueryError } from '../../src/diag/diagnostic.js';
import { tokenize } from '../../src/query/lexer.js';

/** `TokenName:image@offset` for each token, to compare in one assertion. */
function lex(text: string): string[] {
  return tokenize(text).tokens.map((t) => `${t.tokenType.name}:${t.image}@${t.startOffset}`);
}

function lexError(text: string): unknown {
  try {
    tokenize(text);
  } catch (e) {
    assert.ok(e instanceof QueryError);
    return e.diagnostics;
  }
  assert.fail(`no error for ${text}`);
}

test('keywords are case-insensitive and words that merely start with one are identifiers', () => {
  assert.deepEqual(lex('select SeLeCt SELECT selected describe desc insert in'), [
    'SELECT:select@0', 'SELECT:SeLeCt@7', 'SELECT:SELECT@14', 'Identifier:selected@21',
    'DESCRIBE:describe@30', 'DESC:desc@39', 'INSERT:insert@44', 'IN:in@51',
  ]);
});

test('common column and function names are plain identifiers', () => {
  const words = 'count min max sum avg ts cpu comm exit open read write hist filename';
  assert.deepEqual(
    tokenize(words).tokens.map((t) => t.tokenType.name),
    words.split(' ').map(() => 'Identifier'),
  );
});

test('quoted identifiers keep their quotes in the image, with "" inside', () => {
  assert.deepEqual(lex('"Weird ""name""" x'), ['QuotedIdentifier:"Weird ""name"""@0', 'Identifier:x@17']);
});

test('numbers: integers, hex, floats, and numbers glued to a unit are durations', () => {
  assert.deepEqual(lex('42 0x1F 0XfF 1.5 .5 2. 1e3 1E-2 500ms 10s 2m 1h 10x 1.5s'), [
    'Integer:42@0', 'Integer:0x1F@3', 'Integer:0XfF@8', 'Float:1.5@13', 'Float:.5@17', 'Float:2.@20',
    'Float:1e3@23', 'Float:1E-2@27', 'Duration:500ms@32', 'Duration:10s@38', 'Duration:2m@42',
    'Duration:1h@45', 'Duration:10x@48', 'Duration:1.5s@52',
  ]);
});

test('a number followed by a space and a word is two tokens', () => {
  assert.deepEqual(lex('10 s'), ['Integer:10@0', 'Identifier:s@3']);
});

test('strings with doubled quotes are one token', () => {
  assert.deepEqual(lex("'it''s' ''"), ["StringLiteral:'it''s'@0", "StringLiteral:''@8"]);
});

test('comments and whitespace are dropped, offsets stay those of the text', () => {
  assert.deepEqual(lex('a -- line comment ; b\n/* block\n ; */ c--d'), [
    'Identifier:a@0', 'Identifier:c@37',
  ]);
});

test('operators: longest match first', () => {
  assert.deepEqual(
    tokenize('|| | ^ & << >> <= >= <> != == < > = + - * // / % ~ :: , . ( ) ;').tokens.map((t) => t.image),
    ['||', '|', '^', '&', '<<', '>>', '<=', '>=', '<>', '!=', '==', '<', '>', '=', '+', '-', '*', '//', '/', '%', '~', '::', ',', '.', '(', ')', ';'],
  );
});

test('// is integer division, one token; / / is two divisions', () => {
  assert.deepEqual(lex('a//b / /c'), ['Identifier:a@0', 'DoubleSlash://@1', 'Identifier:b@3', 'Slash:/@5', 'Slash:/@7', 'Identifier:c@8']);
});

test('a character that starts no token is a lex-error spanning that character', () => {
  assert.deepEqual(lexError('a @ b'), [{ code: 'lex-error', params: { text: '@' }, span: { start: 2, end: 3 } }]);
  assert.deepEqual(lexError('x ? y'), [{ code: 'lex-error', params: { text: '?' }, span: { start: 2, end: 3 } }]);
});

test('unterminated strings, quoted identifiers and comments run to the end of input', () => {
  assert.deepEqual(lexError("a = 'abc"), [{ code: 'unterminated', params: { what: 'string' }, span: { start: 4, end: 8 } }]);
  assert.deepEqual(lexError('"abc'), [{ code: 'unterminated', params: { what: 'quoted identifier' }, span: { start: 0, end: 4 } }]);
  assert.deepEqual(lexError('a /* b'), [{ code: 'unterminated', params: { what: 'comment' }, span: { start: 2, end: 6 } }]);
});

test('the first problem wins: a bad character before an unterminated string', () => {
  assert.deepEqual(lexError("@ 'abc"), [{ code: 'lex-error', params: { text: '@' }, span: { start: 0, end: 1 } }]);
});
