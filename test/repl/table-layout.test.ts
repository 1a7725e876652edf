import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { QueryResult } from '../../src/output/result.js';
import { tableLines } from '../../src/repl/table-layout.js';

const HIST = 'STRUCT(lo BIGINT, hi BIGINT, count UBIGINT)[]';

test('plain results are the aligned table of formatResult, cut to the width', () => {
  const r: QueryResult = { columns: [{ name: 'comm', type: 'VARCHAR' }, { name: 'n', type: 'BIGINT' }], rows: [['bash', 12], ['a-very-long-command', 3]] };
  assert.deepEqual(tableLines(r, { width: 80 }).map((l) => `${l.kind}: ${l.text}`), [
    'header: comm                |  n',
    'rule: --------------------+---',
    'row: bash                | 12',
    'row: a-very-long-command |  3',
    'footer: (2 rows)',
  ]);
  assert.deepEqual(tableLines(r, { width: 12 }).map((l) => l.text), ['comm    |  n', '--------+---', 'bash    | 12', 'a-very… |  3', '(2 rows)']);
});

test('the live view shows the first rows and says how many there are', () => {
  const r: QueryResult = { columns: [{ name: 'n', type: 'INTEGER' }], rows: [[1], [2], [3]] };
  assert.deepEqual(tableLines(r, { width: 80, maxRows: 2 }).map((l) => l.text), ['n', '-', '1', '2', '(showing 2 of 3 rows)']);
});

test('hist columns are drawn as bar charts under their row', () => {
  const r: QueryResult = {
    columns: [{ name: 'comm', type: 'VARCHAR' }, { name: 'hist(size)', type: HIST }],
    rows: [['cat', [{ lo: 1, hi: 1, count: 1 }, { lo: 2, hi: 3, count: 4 }]], ['ls', null]],
  };
  assert.deepEqual(tableLines(r, { width: 30 }).map((l) => `${l.kind}: ${l.text}`), [
    'header: comm',
    'rule: ----',
    'row: cat',
    'label:   hist(size)',
    'bars:     [1, 2) 1 |███▌          |',
    'bars:     [2, 4) 4 |██████████████|',
    'row: ls',
    'label:   hist(size)',
    'bars:     NULL',
    'footer: (2 rows)',
  ]);
});

test('a result of only a histogram has no table, just the bars and the row count', () => {
  const r: QueryResult = { columns: [{ name: 'h', type: HIST }], rows: [[[{ lo: 0, hi: 0, count: 2 }]]] };
  assert.deepEqual(tableLines(r, { width: 40 }).map((l) => l.text), ['  h', `    [0, 1) 2 |${'█'.repeat(24)}|`, '(1 row)']);
});

test('quantile columns get a bar against the largest value of the column', () => {
  const r: QueryResult = { columns: [{ name: 'comm', type: 'VARCHAR' }, { name: 'p99(lat)', type: 'BIGINT' }], rows: [['a', 100], ['b', 50]] };
  assert.deepEqual(tableLines(r, { width: 80 }).map((l) => l.text), [
    'comm | p99(lat) | ',
    '-----+----------+-----------------',
    `a    |      100 | ${'█'.repeat(16)}`,
    `b    |       50 | ${'█'.repeat(8)}`,
    '(2 rows)',
  ]);
});
