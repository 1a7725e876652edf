// Text from the kernel shown to a person: no control character reaches the terminal raw, and the
// escapes read back to one string. Machine formats keep the exact text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayText, screenText } from '../../src/output/display-text.js';
import { formatResult } from '../../src/output/result-text.js';
import type { QueryResult } from '../../src/output/result.js';

const ESC = '\x1b';
/** A process that names itself to recolour the terminal and set its title. */
const hostile = `${ESC}[31mred${ESC}]0;owned\x07`;

test('displayText escapes ESC, BEL, DEL and C1 controls as \\xHH, line breaks by name', () => {
  assert.equal(displayText(hostile), '\\x1b[31mred\\x1b]0;owned\\x07');
  assert.equal(displayText('a\nb\rc\td'), 'a\\nb\\rc\\td');
  assert.equal(displayText('\x00\x7f\x9b'), '\\x00\\x7f\\x9b');
});

test('displayText escapes backslash, so an escape and the text of one differ', () => {
  assert.equal(displayText('a\\nb'), 'a\\\\nb');
  assert.notEqual(displayText('a\\nb'), displayText('a\nb'));
  assert.notEqual(displayText('\\x1b'), displayText(ESC));
});

test('displayText escapes bidirectional overrides and line separators, keeps printable Unicode', () => {
  assert.equal(displayText('abc\u202edcba\u2028x'), 'abc\\u{202e}dcba\\u{2028}x');
  assert.equal(displayText('naïve 日本 🙂 kworker/0:1'), 'naïve 日本 🙂 kworker/0:1');
});

test('screenText keeps line breaks and backslashes, escapes every other control', () => {
  assert.equal(screenText(`{"c":"\\u001b"}\n${ESC}[2J\x9b\t`), `{"c":"\\u001b"}\n\\x1b[2J\\x9b\\t`);
});

const r: QueryResult = {
  columns: [{ name: 'comm', type: 'VARCHAR' }, { name: `x${ESC}[1m`, type: 'VARCHAR[]' }],
  rows: [[hostile, [`in list ${ESC}[0m\x9b`, 'back\\slash']], ['C:\\temp\n', null]],
};

test('table output shows kernel text escaped: no ESC, BEL or C1 byte in it, backslashes doubled', () => {
  const text = formatResult(r, 'table');
  assert.doesNotMatch(text, /[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
  assert.deepEqual(text.split('\n'), [
    'comm                        | x\\x1b[1m',
    '----------------------------+----------------------------------------',
    '\\x1b[31mred\\x1b]0;owned\\x07 | ["in list \\u001b[0m\\x9b","back\\\\slash"]',
    'C:\\\\temp\\n                  | NULL',
    '(2 rows)',
  ]);
});

test('JSON and CSV keep the exact text', () => {
  assert.equal(formatResult(r, 'ndjson').split('\n')[0], JSON.stringify({ comm: hostile, [`x${ESC}[1m`]: [`in list ${ESC}[0m\x9b`, 'back\\slash'] }));
  assert.equal(formatResult({ columns: [r.columns[0]!], rows: [[hostile]] }, 'csv'), `comm\n${hostile}`);
});
