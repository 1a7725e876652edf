import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatResult } from '../../src/output/result-text.js';
import type { QueryResult } from '../../src/output/result.js';

const r: QueryResult = {
  columns: [
    { name: 'comm', type: 'VARCHAR' },
    { name: 'n', type: 'BIGINT' },
    { name: 'bytes', type: 'UBIGINT' },
    { name: 'avg', type: 'DOUBLE' },
    { name: 'h', type: 'STRUCT(lo BIGINT, hi BIGINT, count UBIGINT)[]' },
  ],
  rows: [
    ['bash', 12, 18446744073709551615n, 0.5, [{ lo: 0, hi: 1, count: 3 }, { lo: 2, hi: 3, count: 10 }]],
    ['say "hi", ok', -3, null, null, []],
    [null, 1234567, 9007199254740993n, 2.25, null],
  ],
};

test('table: aligned, numbers right, NULL, bucket lists compact, row count', () => {
  assert.equal(formatResult(r, 'table'), [
    'comm         |       n |                bytes |  avg | h',
    '-------------+---------+----------------------+------+-----------------',
    'bash         |      12 | 18446744073709551615 |  0.5 | [0,1]:3 [2,3]:10',
    'say "hi", ok |      -3 |                 NULL | NULL | []',
    'NULL         | 1234567 |     9007199254740993 | 2.25 | NULL',
    '(3 rows)',
  ].join('\n'));
});

test('table: maxWidth cuts the widest columns with an ellipsis so every line fits', () => {
  const text = formatResult(r, 'table', { maxWidth: 50 });
  assert.equal(text, [
    'comm      |       n |     bytes |  avg | h',
    '----------+---------+-----------+------+----------',
    'bash      |      12 | 18446744… |  0.5 | [0,1]:3 …',
    'say "hi"… |      -3 |      NULL | NULL | []',
    'NULL      | 1234567 | 90071992… | 2.25 | NULL',
    '(3 rows)',
  ].join('\n'));
  assert.deepEqual(text.split('\n').map((l) => l.length), [42, 50, 50, 43, 45, 8]);
});

test('table: one row, escaped control characters, no columns', () => {
  const one: QueryResult = { columns: [{ name: 's', type: 'VARCHAR' }], rows: [['a\tb\nc']] };
  assert.equal(formatResult(one, 'table'), 's\n-------\na\\tb\\nc\n(1 row)');
  assert.equal(formatResult({ columns: [], rows: [] }, 'table'), '(0 rows)');
});

test('json: an array of objects, big integers as exact literals', () => {
  assert.equal(formatResult(r, 'json'), [
    '[',
    '  {"comm":"bash","n":12,"bytes":18446744073709551615,"avg":0.5,"h":[{"lo":0,"hi":1,"count":3},{"lo":2,"hi":3,"count":10}]},',
    '  {"comm":"say \\"hi\\", ok","n":-3,"bytes":null,"avg":null,"h":[]},',
    '  {"comm":null,"n":1234567,"bytes":9007199254740993,"avg":2.25,"h":null}',
    ']',
  ].join('\n'));
  assert.equal(formatResult({ columns: r.columns, rows: [] }, 'json'), '[]');
});

test('ndjson: one object per line', () => {
  assert.equal(formatResult(r, 'ndjson'), [
    '{"comm":"bash","n":12,"bytes":18446744073709551615,"avg":0.5,"h":[{"lo":0,"hi":1,"count":3},{"lo":2,"hi":3,"count":10}]}',
    '{"comm":"say \\"hi\\", ok","n":-3,"bytes":null,"avg":null,"h":[]}',
    '{"comm":null,"n":1234567,"bytes":9007199254740993,"avg":2.25,"h":null}',
  ].join('\n'));
});

test('csv: RFC 4180 quoting with LF line ends, a header, quoting only where needed, NULL empty, empty string quoted', () => {
  assert.equal(formatResult(r, 'csv'), [
    'comm,n,bytes,avg,h',
    'bash,12,18446744073709551615,0.5,"[{""lo"":0,""hi"":1,""count"":3},{""lo"":2,""hi"":3,""count"":10}]"',
    '"say ""hi"", ok",-3,,,[]',
    ',1234567,9007199254740993,2.25,',
  ].join('\n'));
  const odd: QueryResult = { columns: [{ name: 'a,b', type: 'VARCHAR' }], rows: [[''], ['x\ny'], [true]] };
  assert.equal(formatResult(odd, 'csv'), '"a,b"\n""\n"x\ny"\ntrue');
});
