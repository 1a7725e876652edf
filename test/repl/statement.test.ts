import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputKind } from '../../src/repl/statement.js';

test('SQL is complete once its last statement ends with a semicolon outside strings and comments', () => {
  assert.equal(inputKind('SELECT 1;'), 'complete');
  assert.equal(inputKind('SELECT 1;  \n'), 'complete');
  assert.equal(inputKind('SELECT 1; -- done'), 'complete');
  assert.equal(inputKind('SELECT 1; SELECT 2;'), 'complete');
  assert.equal(inputKind('SELECT comm\nFROM exec'), 'incomplete');
  assert.equal(inputKind('SELECT 1; SELECT 2'), 'incomplete');
  assert.equal(inputKind("SELECT ';"), 'incomplete');
  assert.equal(inputKind("SELECT ';';"), 'complete');
  assert.equal(inputKind('SELECT 1 -- ;'), 'incomplete');
  assert.equal(inputKind('SELECT 1 /* ; */'), 'incomplete');
});

test('blank input is empty, a comment alone waits for more, a dot line is a meta command', () => {
  assert.equal(inputKind('   \n '), 'empty');
  assert.equal(inputKind('-- just a note'), 'incomplete');
  assert.equal(inputKind('/* unfinished'), 'incomplete');
  assert.equal(inputKind('.tables'), 'meta');
  assert.equal(inputKind('  .schema exec'), 'meta');
});
