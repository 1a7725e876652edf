import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeTokens, scanSql } from '../../src/query/scan.js';

test('the scanner covers the text without gaps and knows quotes, quoted names and comments', () => {
  const sql = `SELECT 'it''s -- no', "a ""b"" --" /* c ( */ , x(1) -- tail (\nFROM t; 10s`;
  const tokens = scanSql(sql);
  assert.equal(tokens.map((t) => t.text).join(''), sql);
  tokens.forEach((t, i) => assert.equal(t.start, i === 0 ? 0 : tokens[i - 1]!.end));
  assert.deepEqual(codeTokens(sql).map((t) => `${t.kind}:${t.text}`), [
    'word:SELECT', "string:'it''s -- no'", 'symbol:,', 'quoted:"a ""b"" --"', 'symbol:,', 'word:x', 'symbol:(', 'number:1', 'symbol:)',
    'word:FROM', 'word:t', 'symbol:;', 'number:10s',
  ]);
});

test('an unterminated string or comment runs to the end of the text', () => {
  assert.deepEqual(codeTokens("SELECT 'abc; x").map((t) => t.kind), ['word', 'string']);
  assert.deepEqual(scanSql('SELECT /* x; y').map((t) => t.kind), ['word', 'space', 'comment']);
});
