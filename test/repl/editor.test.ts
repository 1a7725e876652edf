import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EditAction, EditorState } from '../../src/repl/editor.js';
import { cursorPosition, edit, editorOf, EMPTY, onFirstLine, onLastLine } from '../../src/repl/editor.js';

const run = (s: EditorState, ...actions: EditAction[]): EditorState => actions.reduce(edit, s);
const at = (text: string, cursor: number): EditorState => ({ text, cursor });

test('typing inserts at the cursor; pasted CR and CRLF become LF', () => {
  assert.deepEqual(run(EMPTY, { kind: 'insert', text: 'SELCT' }, { kind: 'left' }, { kind: 'left' }, { kind: 'insert', text: 'E' }), at('SELECT', 4));
  assert.deepEqual(edit(EMPTY, { kind: 'insert', text: 'a\r\nb\rc' }), at('a\nb\nc', 5));
});

test('backspace and delete remove one character and stop at the ends', () => {
  assert.deepEqual(edit(at('abc', 1), { kind: 'backspace' }), at('bc', 0));
  assert.deepEqual(edit(at('abc', 0), { kind: 'backspace' }), at('abc', 0));
  assert.deepEqual(edit(at('abc', 1), { kind: 'delete' }), at('ac', 1));
  assert.deepEqual(edit(at('abc', 3), { kind: 'delete' }), at('abc', 3));
});

test('left and right stop at the ends; word moves skip punctuation then a word', () => {
  assert.deepEqual(edit(at('ab', 0), { kind: 'left' }), at('ab', 0));
  assert.deepEqual(edit(at('ab', 2), { kind: 'right' }), at('ab', 2));
  const text = 'SELECT count(*) FROM exec';
  assert.equal(edit(at(text, text.length), { kind: 'word-left' }).cursor, 21);
  assert.equal(edit(at(text, 21), { kind: 'word-left' }).cursor, 16);
  assert.equal(edit(at(text, 16), { kind: 'word-left' }).cursor, 7);
  assert.equal(edit(at(text, 0), { kind: 'word-right' }).cursor, 6);
  assert.equal(edit(at(text, 6), { kind: 'word-right' }).cursor, 12);
});

test('home and end work on the current line of a multi-line text', () => {
  const text = 'SELECT a\nFROM t';
  assert.equal(edit(at(text, 12), { kind: 'line-start' }).cursor, 9);
  assert.equal(edit(at(text, 10), { kind: 'line-end' }).cursor, 15);
  assert.equal(edit(at(text, 3), { kind: 'line-end' }).cursor, 8);
  assert.equal(edit(at(text, 3), { kind: 'line-start' }).cursor, 0);
});

test('up and down keep the column, clamped to a shorter line, and do nothing at the edges', () => {
  const text = 'SELECT a,\nb\nFROM t;';
  assert.equal(edit(at(text, 16), { kind: 'up' }).cursor, 11); // column 6 of "FROM t;" → end of "b"
  assert.equal(edit(at(text, 11), { kind: 'up' }).cursor, 1);
  assert.equal(edit(at(text, 7), { kind: 'down' }).cursor, 11);
  assert.deepEqual(edit(at(text, 3), { kind: 'up' }), at(text, 3));
  assert.deepEqual(edit(at(text, 14), { kind: 'down' }), at(text, 14));
  assert.deepEqual(cursorPosition(at(text, 14)), { line: 2, column: 2 });
  assert.equal(onFirstLine(at(text, 9)), true);
  assert.equal(onFirstLine(at(text, 10)), false);
  assert.equal(onLastLine(at(text, 11)), false);
  assert.equal(onLastLine(at(text, 12)), true);
});

test('kills: to the end of the line (joining lines at an end), to its start, the word before', () => {
  assert.deepEqual(edit(at('SELECT 1;', 6), { kind: 'kill-to-end' }), at('SELECT', 6));
  assert.deepEqual(edit(at('ab\ncd', 2), { kind: 'kill-to-end' }), at('abcd', 2));
  assert.deepEqual(edit(at('ab\ncd', 5), { kind: 'kill-to-start' }), at('ab\n', 3));
  assert.deepEqual(edit(at('SELECT comm, pid', 16), { kind: 'kill-word' }), at('SELECT comm, ', 13));
  assert.deepEqual(edit(at('SELECT comm, ', 13), { kind: 'kill-word' }), at('SELECT ', 7));
});

test('set replaces the text and puts the cursor at its end', () => {
  assert.deepEqual(edit(at('x', 0), { kind: 'set', text: 'SELECT 1;' }), editorOf('SELECT 1;'));
  assert.deepEqual(editorOf('ab'), at('ab', 2));
});
