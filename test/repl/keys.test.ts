import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Key } from 'ink';
import type { KeyCommand } from '../../src/repl/keys.js';
import { expandPaste, keyCommand } from '../../src/repl/keys.js';

function key(set: Partial<Key> = {}): Key {
  return {
    upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
    return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
    super: false, hyper: false, capsLock: false, numLock: false, ...set,
  };
}

const edit = (kind: string): KeyCommand => ({ kind: 'prompt', action: { kind: 'edit', action: { kind } as never } });
const insert = (text: string): KeyCommand => ({ kind: 'prompt', action: { kind: 'edit', action: { kind: 'insert', text } } });

test('printable input is inserted; Enter, Alt-Enter and Tab', () => {
  assert.deepEqual(keyCommand('s', key()), insert('s'));
  assert.deepEqual(keyCommand('SELECT 1', key()), insert('SELECT 1'));
  assert.deepEqual(keyCommand('', key({ return: true })), { kind: 'enter' });
  assert.deepEqual(keyCommand('', key({ return: true, meta: true })), insert('\n'));
  assert.deepEqual(keyCommand('', key({ tab: true })), { kind: 'tab' });
  assert.deepEqual(keyCommand('', key({ tab: true, shift: true })), { kind: 'none' });
});

test('readline bindings: arrows, Home/End, Ctrl and Alt keys', () => {
  assert.deepEqual(keyCommand('', key({ upArrow: true })), { kind: 'prompt', action: { kind: 'up' } });
  assert.deepEqual(keyCommand('p', key({ ctrl: true })), { kind: 'prompt', action: { kind: 'up' } });
  assert.deepEqual(keyCommand('', key({ downArrow: true })), { kind: 'prompt', action: { kind: 'down' } });
  assert.deepEqual(keyCommand('', key({ leftArrow: true })), edit('left'));
  assert.deepEqual(keyCommand('', key({ leftArrow: true, ctrl: true })), edit('word-left'));
  assert.deepEqual(keyCommand('', key({ rightArrow: true, meta: true })), edit('word-right'));
  assert.deepEqual(keyCommand('b', key({ meta: true })), edit('word-left'));
  assert.deepEqual(keyCommand('f', key({ meta: true })), edit('word-right'));
  assert.deepEqual(keyCommand('', key({ home: true })), edit('line-start'));
  assert.deepEqual(keyCommand('a', key({ ctrl: true })), edit('line-start'));
  assert.deepEqual(keyCommand('e', key({ ctrl: true })), edit('line-end'));
  assert.deepEqual(keyCommand('k', key({ ctrl: true })), edit('kill-to-end'));
  assert.deepEqual(keyCommand('u', key({ ctrl: true })), edit('kill-to-start'));
  assert.deepEqual(keyCommand('w', key({ ctrl: true })), edit('kill-word'));
  assert.deepEqual(keyCommand('r', key({ ctrl: true })), { kind: 'prompt', action: { kind: 'search' } });
  assert.deepEqual(keyCommand('g', key({ ctrl: true })), { kind: 'prompt', action: { kind: 'cancel' } });
  assert.deepEqual(keyCommand('', key({ escape: true, meta: true })), { kind: 'prompt', action: { kind: 'cancel' } });
  assert.deepEqual(keyCommand('z', key({ ctrl: true })), { kind: 'none' });
});

test('Backspace (reported by Ink as delete) erases backwards, Alt-Backspace a word; Ctrl-C and Ctrl-D', () => {
  assert.deepEqual(keyCommand('', key({ delete: true })), edit('backspace'));
  assert.deepEqual(keyCommand('', key({ backspace: true })), edit('backspace'));
  assert.deepEqual(keyCommand('', key({ delete: true, meta: true })), edit('kill-word'));
  assert.deepEqual(keyCommand('c', key({ ctrl: true })), { kind: 'interrupt' });
  assert.deepEqual(keyCommand('d', key({ ctrl: true })), { kind: 'eof' });
  assert.deepEqual(keyCommand('\x1f', key()), { kind: 'none' });
});

test('text arriving with carriage returns is typed line by line with Enter between', () => {
  assert.deepEqual(expandPaste(insert('SELECT 1;\rSELECT 2;\r\n')), [insert('SELECT 1;'), { kind: 'enter' }, insert('SELECT 2;'), { kind: 'enter' }]);
  assert.deepEqual(expandPaste(insert('\r')), [{ kind: 'enter' }]);
  assert.deepEqual(expandPaste(insert('a\nb')), [insert('a\nb')]);
  assert.deepEqual(expandPaste({ kind: 'tab' }), [{ kind: 'tab' }]);
});
