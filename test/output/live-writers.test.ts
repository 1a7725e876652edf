// The table and Markdown formats written live: the header once, from the first batch and the
// types, and every later row in the same columns, cut rather than misaligned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textFormat } from '../../src/output/formats.js';
import type { QueryColumn } from '../../src/output/result.js';

const columns: readonly QueryColumn[] = [
  { name: 'pid', type: 'BIGINT' },
  { name: 'comm', type: 'VARCHAR' },
  { name: 'ts', type: 'TIMESTAMP_NS' },
  { name: 'filename', type: 'VARCHAR' },
];

function written(name: 'table' | 'markdown', batches: readonly (readonly unknown[])[][]): string {
  let text = '';
  const sink = { write: (t: string): void => { text += t; } };
  const w = textFormat(name).writer({ out: sink, aside: { write: () => undefined }, live: true });
  w.begin(columns);
  for (const b of batches) w.rows(b);
  w.end({ text: 'complete: no lost records', counts: { lostRecords: 0 } });
  return text;
}

test('live table: one header, widths from the first batch (numbers with two digits to spare) and the types, later rows cut and escaped in the same columns', () => {
  const text = written('table', [
    [[42, 'sh', '2024-01-02 03:04:05.123456789', '/bin/ls']],
    [],
    [[1234567, 'a-much-longer-comm', '2024-01-02 03:04:06', '/bin/x\x1b[31m'], [7, null, null, '/usr/bin/true']],
  ]);
  assert.equal(text, [
    ' pid | comm | ts                            | filename',
    '-----+------+-------------------------------+---------',
    '  42 | sh   | 2024-01-02 03:04:05.123456789 | /bin/ls',
    '123… | a-m… | 2024-01-02 03:04:06           | /bin/x\\…',
    '   7 | NULL | NULL                          | /usr/bi…',
    '(3 rows)',
    'complete: no lost records',
    '',
  ].join('\n'));
});

test('live table without rows: the header, the count and the completeness', () => {
  assert.equal(written('table', []), [
    'pid | comm | ts                            | filename',
    '----+------+-------------------------------+---------',
    '(0 rows)',
    'complete: no lost records',
    '',
  ].join('\n'));
});

test('live Markdown: the header and alignment row with the first batch, numbers to the right by type', () => {
  assert.equal(written('markdown', [[[1, 'sh', null, '/a|b']], [[2, 'x', null, '/c']]]), [
    '| pid | comm | ts | filename |',
    '| ---: | --- | --- | --- |',
    '| 1 | sh |  | /a\\|b |',
    '| 2 | x |  | /c |',
    '',
  ].join('\n'));
});
