import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PromptAction, PromptState } from '../../src/repl/prompt-state.js';
import { currentText, findBackward, initialPrompt, promptReducer } from '../../src/repl/prompt-state.js';

const HISTORY = ['SELECT 1;', 'SELECT comm FROM exec;', 'SELECT * FROM last;'];
const run = (s: PromptState, ...actions: PromptAction[]): PromptState => actions.reduce(promptReducer, s);
const type = (text: string): PromptAction => ({ kind: 'edit', action: { kind: 'insert', text } });

test('Up and Down walk the history and come back to what was being typed', () => {
  const s0 = run(initialPrompt(HISTORY), type('SEL'));
  const up1 = run(s0, { kind: 'up' });
  assert.equal(up1.editor.text, 'SELECT * FROM last;');
  const up3 = run(up1, { kind: 'up' }, { kind: 'up' }, { kind: 'up' });
  assert.equal(up3.editor.text, 'SELECT 1;');
  assert.equal(run(up3, { kind: 'down' }).editor.text, 'SELECT comm FROM exec;');
  const back = run(up3, { kind: 'down' }, { kind: 'down' }, { kind: 'down' });
  assert.deepEqual(back.editor, { text: 'SEL', cursor: 3 });
  assert.equal(back.browse, undefined);
  assert.deepEqual(run(initialPrompt([]), { kind: 'up' }).editor, { text: '', cursor: 0 });
});

test('in a multi-line entry Up and Down move between its lines before reaching the history', () => {
  const s = run(initialPrompt(HISTORY), type('SELECT comm\nFROM exec'));
  const up = run(s, { kind: 'up' });
  assert.deepEqual(up.editor, { text: 'SELECT comm\nFROM exec', cursor: 9 });
  assert.equal(run(up, { kind: 'up' }).editor.text, 'SELECT * FROM last;');
});

test('Ctrl-R finds the newest matching entry, again for older ones; typing narrows; Esc restores', () => {
  const s = run(initialPrompt(HISTORY), type('draft'), { kind: 'search' }, type('sel'));
  assert.equal(s.search?.match, 2);
  assert.equal(currentText(s), 'SELECT * FROM last;');
  const older = run(s, { kind: 'search' });
  assert.equal(currentText(older), 'SELECT comm FROM exec;');
  assert.equal(currentText(run(older, type('ect c'))), 'SELECT comm FROM exec;');
  assert.equal(run(older, type('zzz')).search?.match, undefined);
  assert.equal(currentText(run(older, { kind: 'search' }, { kind: 'search' })), 'SELECT 1;');
  assert.deepEqual(run(older, { kind: 'cancel' }), { editor: { text: 'draft', cursor: 5 }, history: HISTORY });
  assert.deepEqual(run(older, { kind: 'accept' }).editor, { text: 'SELECT comm FROM exec;', cursor: 22 });
  // Another key leaves the search with the match and then does its job.
  assert.deepEqual(run(older, { kind: 'edit', action: { kind: 'line-start' } }).editor, { text: 'SELECT comm FROM exec;', cursor: 0 });
  assert.equal(findBackward(HISTORY, 'FROM', 1), 1);
  assert.equal(findBackward(HISTORY, 'nothing', 2), undefined);
});

test('Tab: one candidate replaces the word, several extend to their common prefix or are listed', () => {
  const s = run(initialPrompt([]), type('SELECT * FROM tr'));
  const one = run(s, { kind: 'complete', completion: { start: 14, candidates: ['tracepoint.'] } });
  assert.deepEqual(one.editor, { text: 'SELECT * FROM tracepoint.', cursor: 25 });
  const many = run(one, { kind: 'complete', completion: { start: 14, candidates: ['tracepoint.sched.', 'tracepoint.signal.'] } });
  assert.deepEqual(many.editor, { text: 'SELECT * FROM tracepoint.s', cursor: 26 });
  const listed = run(many, { kind: 'complete', completion: { start: 14, candidates: ['tracepoint.sched.', 'tracepoint.signal.'] } });
  assert.deepEqual(listed.candidates, ['sched.', 'signal.']);
  assert.equal(listed.editor.text, 'SELECT * FROM tracepoint.s');
  assert.equal(run(listed, type('c')).candidates, undefined);
  assert.deepEqual(run(s, { kind: 'complete', completion: { start: 14, candidates: [] } }).editor, s.editor);
});

test('remember adds a new entry and empties the prompt; clear only empties it', () => {
  const s = run(initialPrompt(HISTORY), type('SELECT 2;'), { kind: 'remember', entry: 'SELECT 2;' });
  assert.deepEqual(s, { editor: { text: '', cursor: 0 }, history: [...HISTORY, 'SELECT 2;'] });
  assert.equal(run(s, { kind: 'remember', entry: 'SELECT 2;' }).history.length, 4);
  assert.deepEqual(run(initialPrompt(HISTORY), type('x'), { kind: 'clear' }), initialPrompt(HISTORY));
});
