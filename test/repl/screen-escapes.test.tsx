// What the REPL puts on the terminal never holds a control character from the kernel raw: a
// process named "\x1b[2J…" is shown escaped in tables, in CSV and JSON on screen, and in errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import type { Outcome } from '../../src/engine/engine.js';
import type { Backend } from '../../src/repl/backend.js';
import { ResultTable } from '../../src/repl/components/ResultTable.js';
import { TranscriptView } from '../../src/repl/components/TranscriptView.js';
import type { TranscriptItem } from '../../src/repl/runner.js';
import { Runner } from '../../src/repl/runner.js';
import type { QueryResult } from '../../src/output/result.js';

const HOSTILE = '\x1b[2J\x1b]0;owned\x07\x9b31m';
const RESULT: QueryResult = { columns: [{ name: 'comm', type: 'VARCHAR' }], rows: [[HOSTILE], ['a\\x1b']] };

function backend(outcome: () => Outcome): Backend {
  return { names: async () => ({ tables: [], columnsOf: () => [] }), release: () => undefined, execute: async () => outcome() };
}

async function shown(format: 'table' | 'json' | 'csv', outcome: () => Outcome): Promise<string[]> {
  const items: TranscriptItem[] = [];
  const runner = new Runner(backend(outcome), { print: (xs) => items.push(...xs), running: () => undefined, quit: () => undefined }, { format, timer: false });
  await runner.submit('SELECT comm FROM exec;');
  return items.filter((i) => i.kind !== 'input').map((item) => {
    const { lastFrame, unmount } = render(<TranscriptView item={item} width={80} />);
    const frame = lastFrame() ?? '';
    unmount();
    return frame;
  });
}

test('a table shows kernel text escaped, backslashes doubled', () => {
  const { lastFrame, unmount } = render(<ResultTable result={RESULT} width={80} />);
  const frame = lastFrame() ?? '';
  unmount();
  assert.ok(!/[\x00-\x09\x0b-\x1f\x7f-\x9f]/.test(frame), JSON.stringify(frame));
  assert.ok(frame.includes('\\x1b[2J\\x1b]0;owned\\x07\\x9b31m'), frame);
  assert.ok(frame.includes('a\\\\x1b'), frame);
});

test('CSV on screen escapes strings as a table does', async () => {
  const [frame] = await shown('csv', () => ({ kind: 'rows', result: RESULT }));
  assert.equal(frame, 'comm\n\\x1b[2J\\x1b]0;owned\\x07\\x9b31m\na\\\\x1b');
});

test("JSON on screen keeps JSON's escapes and escapes what JSON leaves raw", async () => {
  const [frame] = await shown('json', () => ({ kind: 'rows', result: RESULT }));
  assert.equal(frame, '[\n  {"comm":"\\u001b[2J\\u001b]0;owned\\u0007\\x9b31m"},\n  {"comm":"a\\\\x1b"}\n]');
});

test('an error quoting kernel text shows it escaped', async () => {
  const frames = await shown('table', () => {
    throw new Error(`Conversion Error: could not convert string '${HOSTILE}' to INT32`);
  });
  assert.equal(frames.length, 1);
  assert.ok(!/[\x00-\x09\x0b-\x1f\x7f-\x9f]/.test(frames[0]!.replace(/\x1b\[[0-9;]*m/g, '')), JSON.stringify(frames[0]));
  assert.ok(frames[0]!.includes("string '\\x1b[2J\\x1b]0;owned\\x07\\x9b31m' to INT32"), frames[0]);
});
