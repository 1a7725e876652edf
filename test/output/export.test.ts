import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toRecordBatch } from '../../src/store/arrow.js';
import { exportQuery } from '../../src/output/export.js';
import { exportFormatOf } from '../../src/output/formats.js';
import { Session } from '../../src/store/session.js';
import { BUCKETS, S64, STRING, TIMESTAMP, U64 } from '../../src/catalog/types.js';
import type { ResultColumn } from '../../src/catalog/types.js';
import { quoteString } from '../../src/query/sql-text.js';

test('exportFormatOf goes by extension, in any case', () => {
  assert.equal(exportFormatOf('/tmp/a.parquet')?.name, 'parquet');
  assert.equal(exportFormatOf('out.CSV')?.name, 'csv');
  assert.equal(exportFormatOf('x.json')?.name, 'json');
  assert.equal(exportFormatOf('x.ndjson')?.name, 'ndjson');
  assert.equal(exportFormatOf('x.jsonl')?.name, 'ndjson');
  assert.equal(exportFormatOf('x.txt'), undefined);
  assert.equal(exportFormatOf('dir.parquet/file'), undefined);
  assert.equal(exportFormatOf('parquet'), undefined);
});

const columns: readonly ResultColumn[] = [
  { name: 'comm', type: STRING },
  { name: 'big', type: U64 },
  { name: 'neg', type: S64 },
  { name: 'ts', type: TIMESTAMP },
];

const scalarTypes = `{'comm': 'VARCHAR', 'big': 'UBIGINT', 'neg': 'BIGINT', 'ts': 'TIMESTAMP_NS'}`;

async function withData(fn: (s: Session, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bpfql-export-it's-"));
  const s = await Session.open();
  try {
    await s.createTable('t', columns);
    await s.append('t', toRecordBatch({
      columns,
      rowCount: 3,
      data: [
        { kind: 'string', values: ['bash', 'say "hi", it\'s\nme', null] },
        { kind: 'int64', values: [2n ** 64n - 1n, null, 9007199254740993n] },
        { kind: 'int64', values: [-(2n ** 63n), 0n, null] },
        { kind: 'int64', values: [1_700_000_000_123_456_789n, null, 0n] },
      ],
    }));
    await fn(s, dir);
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const want = [
  ['bash', 2n ** 64n - 1n, -(2n ** 63n), '2023-11-14 22:13:20.123456789'],
  ['say "hi", it\'s\nme', null, 0, null],
  [null, 9007199254740993n, null, '1970-01-01 00:00:00'],
];

test('parquet: same rows back through read_parquet, metadata through parquet_kv_metadata', async () => {
  await withData(async (s, dir) => {
    const path = join(dir, "o'dd.parquet");
    const metadata = { 'bpfql.query': "SELECT comm FROM exec WHERE comm = 'sh'", "it's": '' };
    await exportQuery(s, 'SELECT * FROM t ORDER BY rowid;', path, { metadata });
    const r = await s.run(`SELECT * FROM read_parquet(${quoteString(path)})`);
    assert.deepEqual(r.columns.map((c) => c.type), ['VARCHAR', 'UBIGINT', 'BIGINT', 'TIMESTAMP_NS']);
    assert.deepEqual(r.rows, want);
    const kv = await s.run(`SELECT decode(key), decode(value) FROM parquet_kv_metadata(${quoteString(path)}) ORDER BY 1`);
    assert.deepEqual(kv.rows, [['bpfql.query', "SELECT comm FROM exec WHERE comm = 'sh'"], ["it's", '']]);
  });
});

test('csv: a header and the same rows through read_csv; the file is replaced on a second export', async () => {
  await withData(async (s, dir) => {
    const path = join(dir, 'out.csv');
    await exportQuery(s, 'SELECT 1 AS x', path);
    await exportQuery(s, 'SELECT * FROM t ORDER BY rowid', path);
    assert.equal(readFileSync(path, 'utf8').split('\n')[0], 'comm,big,neg,ts');
    const r = await s.run(`SELECT * FROM read_csv(${quoteString(path)}, header = true, columns = ${scalarTypes})`);
    assert.deepEqual(r.rows, want);
  });
});

test('json is one array, ndjson one object per line; both read back with read_json', async () => {
  await withData(async (s, dir) => {
    const json = join(dir, 'out.json');
    const ndjson = join(dir, 'out.jsonl');
    await exportQuery(s, 'SELECT * FROM t ORDER BY rowid', json);
    await exportQuery(s, 'SELECT * FROM t ORDER BY rowid', ndjson);
    assert.match(readFileSync(json, 'utf8'), /^\[\s*\{"comm":"bash","big":18446744073709551615,/);
    assert.equal(readFileSync(ndjson, 'utf8').trimEnd().split('\n').length, 3);
    for (const [path, format] of [[json, 'array'], [ndjson, 'newline_delimited']] as const) {
      const r = await s.run(`SELECT * FROM read_json(${quoteString(path)}, format = '${format}', columns = ${scalarTypes})`);
      assert.deepEqual(r.rows, want, path);
    }
  });
});

test('bucket lists survive parquet and json exports', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-export-'));
  const s = await Session.open();
  try {
    const cols = [{ name: 'h', type: BUCKETS }];
    await s.createTable('h', cols);
    const hist = [{ lo: 0n, hi: 1n, count: 3n }, { lo: 2n, hi: 3n, count: 2n ** 63n }];
    await s.append('h', toRecordBatch({ columns: cols, rowCount: 2, data: [{ kind: 'buckets', values: [hist, null] }] }));
    const back = [[[{ lo: 0, hi: 1, count: 3 }, { lo: 2, hi: 3, count: 2n ** 63n }]], [null]];
    const parquet = join(dir, 'h.parquet');
    await exportQuery(s, 'SELECT * FROM h ORDER BY rowid', parquet);
    assert.deepEqual((await s.run(`SELECT * FROM read_parquet(${quoteString(parquet)})`)).rows, back);
    const json = join(dir, 'h.json');
    await exportQuery(s, 'SELECT * FROM h ORDER BY rowid', json);
    const type = `{'h': 'STRUCT(lo BIGINT, hi BIGINT, count UBIGINT)[]'}`;
    assert.deepEqual((await s.run(`SELECT * FROM read_json(${quoteString(json)}, columns = ${type})`)).rows, back);
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unknown extension is refused before anything runs', async () => {
  const s = await Session.open();
  try {
    await assert.rejects(exportQuery(s, 'SELECT 1', '/tmp/x.xlsx'), /can't tell the export format of "\/tmp\/x\.xlsx"/);
  } finally {
    await s.close();
  }
});
