import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeEntry, encodeEntry, History, historyPath } from '../../src/repl/history.js';

test('the history lives under $XDG_STATE_HOME/bpfql, else ~/.local/state/bpfql', () => {
  assert.equal(historyPath({ XDG_STATE_HOME: '/s', HOME: '/h' }), '/s/bpfql/history');
  assert.equal(historyPath({ XDG_STATE_HOME: '', HOME: '/h' }), '/h/.local/state/bpfql/history');
  assert.equal(historyPath({ HOME: '/home/u' }), '/home/u/.local/state/bpfql/history');
});

test('multi-line entries and backslashes survive a round trip through one line', () => {
  const entry = "SELECT comm\nFROM exec WHERE filename = 'C:\\n';";
  assert.equal(encodeEntry(entry), "SELECT comm\\nFROM exec WHERE filename = 'C:\\\\n';");
  assert.equal(decodeEntry(encodeEntry(entry)), entry);
});

test('entries are appended to the file and read back by the next session, skipping repeats and blanks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-history-'));
  try {
    const path = join(dir, 'state', 'bpfql', 'history');
    const first = History.load(path);
    assert.deepEqual(first.entries, []);
    assert.equal(first.problem, undefined);
    first.add('SELECT 1;');
    first.add('SELECT 1;');
    first.add('   ');
    first.add('SELECT comm\nFROM exec;');
    assert.equal(readFileSync(path, 'utf8'), 'SELECT 1;\nSELECT comm\\nFROM exec;\n');
    assert.deepEqual(History.load(path).entries, ['SELECT 1;', 'SELECT comm\nFROM exec;']);
    assert.deepEqual(History.load(path, 1).entries, ['SELECT comm\nFROM exec;']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a history that cannot be written is kept in memory and the problem is told', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-history-'));
  try {
    const h = History.load(join(dir, 'bpfql', 'history'));
    assert.equal(h.problem, undefined);
    // A file where the directory should be: mkdir fails.
    writeFileSync(join(dir, 'bpfql'), '');
    h.add('SELECT 1;');
    assert.deepEqual(h.entries, ['SELECT 1;']);
    assert.match(h.problem ?? '', /^cannot write history .*bpfql\/history: /);
    mkdirSync(join(dir, 'd'));
    const unreadable = History.load(join(dir, 'd'));
    assert.match(unreadable.problem ?? '', /^cannot read history .*\/d: EISDIR/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
