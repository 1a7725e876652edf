// The grammar and token checks chevrotain can run, which start-up skips for speed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLexer } from '../../src/query/lexer.js';
import { BpfqlParser } from '../../src/query/statement-grammar.js';

test('the token definitions pass chevrotain\'s lexer validations', () => {
  const lexer = createLexer(true);
  assert.deepEqual(lexer.lexerDefinitionErrors, []);
});

test('the grammar passes chevrotain\'s self-analysis validations (no ambiguity, no left recursion)', () => {
  assert.doesNotThrow(() => new BpfqlParser(true));
});
