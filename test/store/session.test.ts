import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toRecordBatch } from '../../src/store/arrow.js';
import { Session } from '../../src/store/session.js';
import {
  BOOL, BUCKETS, BYTES, FLOAT, S16, S64, STRING, TIMESTAMP, U32, U64, U8,
} from '../../src/catalog/types.js';
import type { ColumnBatch, ResultColumn } from '../../src/catalog/types.js';

const columns: readonly ResultColumn[] = [
  { name: 'id', type: U32 },
  { name: 'short', type: STRING },
  { name: 'long', type: STRING },
  { name: 'big', type: U64 },
  { name: 'neg', type: S64 },
  { name: 'x', type: FLOAT },
  { name: 'flag', type: BOOL },
  { name: 'ts', type: TIMESTAMP },
];

const TS0 = 1_700_000_000_123_456_789n;

// Row i of the 10 000-row data set; every 97th row has nulls in half the columns.
function row(i: number): unknown[] {
  const nulls = i % 97 === 5;
  return [
    i * 3,
    nulls ? null : `c${i % 100}${i % 7 === 0 ? 'ü' : ''}`,
    `a-longer-string-${i}-ß`,
    2n ** 63n + BigInt(i) * 1_000_003n,
    nulls ? null : -(2n ** 62n) - BigInt(i),
    i * 0.5 + 0.25,
    nulls ? null : i % 3 === 0,
    TS0 + BigInt(i),
  ];
}

function batchOf(from: number, to: number): ColumnBatch {
  const rows = Array.from({ length: to - from }, (_, k) => row(from + k));
  const col = <T>(c: number): T[] => rows.map((r) => r[c] as T);
  return {
    columns,
    rowCount: rows.length,
    data: [
      { kind: 'number', values: col<number>(0) },
      { kind: 'string', values: col<string | null>(1) },
      { kind: 'string', values: col<string>(2) },
      { kind: 'int64', values: col<bigint>(3) },
      { kind: 'int64', values: col<bigint | null>(4) },
      { kind: 'number', values: col<number>(5) },
      { kind: 'bool', values: col<boolean | null>(6) },
      { kind: 'int64', values: col<bigint>(7) },
    ],
  };
}

// What SELECT gives back: u64 and i64 beyond 2^53 as bigint, timestamps as epoch nanoseconds.
function expected(i: number): unknown[] {
  const r = row(i);
  return [...r.slice(0, 7), TS0 + BigInt(i)];
}

test('10 000 rows appended in two batches across chunk boundaries come back exactly', async () => {
  const s = await Session.open();
  try {
    await s.createTable('t', columns);
    // 3000 rows: a full 2048-row chunk and a partial one; then 7000 rows in a second append.
    await s.append('t', toRecordBatch(batchOf(0, 3000)));
    await s.append('t', toRecordBatch(batchOf(3000, 10_000)));
    const r = await s.run('SELECT id, short, long, big, neg, x, flag, epoch_ns(ts) FROM t ORDER BY id');
    assert.deepEqual(r.columns.map((c) => c.type), ['UINTEGER', 'VARCHAR', 'VARCHAR', 'UBIGINT', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'BIGINT']);
    assert.equal(r.rows.length, 10_000);
    for (let i = 0; i < 10_000; i++) assert.deepEqual(r.rows[i], expected(i), `row ${i}`);
    // Inline and heap strings must compare and group like strings DuckDB wrote itself.
    const g = await s.run(`SELECT count(*) FROM t WHERE short = 'c43' AND long = 'a-longer-string-43-ß'`);
    assert.deepEqual(g.rows, [[1]]);
    const d = await s.run('SELECT count(DISTINCT short), count(short), count(neg), count(flag) FROM t');
    assert.deepEqual(d.rows, [[200, 9896, 9896, 9896]]);
  } finally {
    await s.close();
  }
});

test('timestamps come back as DuckDB text with nanoseconds; integers within 2^53 as numbers', async () => {
  const s = await Session.open();
  try {
    await s.createTable('t', columns);
    await s.append('t', toRecordBatch(batchOf(0, 2)));
    const r = await s.run('SELECT ts, id::BIGINT AS n, sum(big) OVER () AS total, 1.25::DECIMAL(5,2) AS d FROM t ORDER BY id');
    assert.deepEqual(r.columns, [
      { name: 'ts', type: 'TIMESTAMP_NS' }, { name: 'n', type: 'BIGINT' },
      { name: 'total', type: 'HUGEINT' }, { name: 'd', type: 'DECIMAL(5,2)' },
    ]);
    const total = 2n * 2n ** 63n + 1_000_003n;
    assert.deepEqual(r.rows, [
      ['2023-11-14 22:13:20.123456789', 0, total, 1.25],
      ['2023-11-14 22:13:20.12345679', 3, total, 1.25],
    ]);
  } finally {
    await s.close();
  }
});

test('a sliced batch with an unaligned offset and a reused chunk keep their nulls straight', async () => {
  const s = await Session.open();
  try {
    await s.createTable('t', columns);
    const rb = toRecordBatch(batchOf(0, 5000));
    // Offset 3: validity bits no longer start on a byte; nulls at rows 5, 102, ... of the source.
    await s.append('t', rb.slice(3, 4500));
    // Then a batch with no nulls at all through the same reused chunk.
    await s.append('t', toRecordBatch(batchOf(6, 8)));
    const r = await s.run('SELECT id FROM t WHERE short IS NULL ORDER BY id');
    const want = [];
    for (let i = 3; i < 4500; i++) if (i % 97 === 5) want.push([i * 3]);
    assert.deepEqual(r.rows, want);
    const all = await s.run('SELECT id, short, long, big, neg, x, flag, epoch_ns(ts) FROM t ORDER BY id');
    // Source rows 6 and 7 come twice, identical, from the slice and from the second batch.
    const sources = [...Array.from({ length: 4497 }, (_, k) => k + 3), 6, 7].sort((x, y) => x - y);
    assert.deepEqual(all.rows, sources.map(expected));
  } finally {
    await s.close();
  }
});

test('buckets round trip as a list of structs, small and 64-bit counts alike', async () => {
  const s = await Session.open();
  try {
    const cols = [{ name: 'k', type: U8 }, { name: 'h', type: BUCKETS }];
    await s.createTable('hist', cols);
    // 3000 rows so the lists of the second chunk start at a non-zero child offset.
    const lists = Array.from({ length: 3000 }, (_, i) =>
      i % 11 === 3 ? null : Array.from({ length: i % 4 }, (_, j) => ({ lo: BigInt(j) - 1n, hi: BigInt(2 * j), count: 2n ** 60n + BigInt(i) })));
    await s.append('hist', toRecordBatch({
      columns: cols,
      rowCount: 3000,
      data: [{ kind: 'number', values: lists.map((_, i) => i % 256) }, { kind: 'buckets', values: lists }],
    }));
    const r = await s.run('SELECT h FROM hist');
    assert.equal(r.rows.length, 3000);
    lists.forEach((l, i) => {
      const want = l === null ? null : l.map((b) => ({ lo: Number(b.lo), hi: Number(b.hi), count: b.count }));
      assert.deepEqual(r.rows[i], [want], `row ${i}`);
    });
    const t = await s.run('DESCRIBE hist');
    assert.equal(t.rows[1]![1], 'STRUCT(lo BIGINT, hi BIGINT, count UBIGINT)[]');
  } finally {
    await s.close();
  }
});

test('byte arrays round trip as BLOB, short (inline) and long alike', async () => {
  const s = await Session.open();
  try {
    const cols = [{ name: 'b', type: BYTES }];
    await s.createTable('blobs', cols);
    const values = [Uint8Array.from([0, 1, 2, 255]), null, new Uint8Array(0), Uint8Array.from({ length: 40 }, (_, i) => i)];
    await s.append('blobs', toRecordBatch({ columns: cols, rowCount: values.length, data: [{ kind: 'bytes', values }] }));
    const r = await s.run("SELECT hex(b), octet_length(b) FROM blobs");
    assert.deepEqual(r.rows, values.map((v) => (v === null ? [null, null] : [Buffer.from(v).toString('hex').toUpperCase(), v.length])));
    const t = await s.run('DESCRIBE blobs');
    assert.equal(t.rows[0]![1], 'BLOB');
  } finally {
    await s.close();
  }
});

test('an append whose types differ from the table is refused before anything is copied', async () => {
  const s = await Session.open();
  try {
    await s.createTable('t', [{ name: 'a', type: U32 }, { name: 'b', type: S16 }]);
    const wrong = toRecordBatch({
      columns: [{ name: 'a', type: U32 }, { name: 'b', type: S64 }],
      rowCount: 1,
      data: [{ kind: 'number', values: [1] }, { kind: 'int64', values: [2n] }],
    });
    await assert.rejects(s.append('t', wrong), /table "t" column 2 is SMALLINT, the batch's "b" is Arrow Int64/);
    const short = toRecordBatch({ columns: [{ name: 'a', type: U32 }], rowCount: 1, data: [{ kind: 'number', values: [1] }] });
    await assert.rejects(s.append('t', short), /table "t" has 2 columns, the batch has 1/);
    assert.deepEqual((await s.run('SELECT count(*) FROM t')).rows, [[0]]);
  } finally {
    await s.close();
  }
});

test('createTable quotes names and replaces on request; close is safe twice', async () => {
  const s = await Session.open();
  await s.createTable('odd "name"', [{ name: 'select', type: STRING }]);
  await assert.rejects(s.createTable('odd "name"', [{ name: 'x', type: U8 }]), /already exists/);
  await s.createTable('odd "name"', [{ name: 'x', type: U8 }], { replace: true });
  const r = await s.run(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'odd "name"'`);
  assert.deepEqual(r.rows, [['x', 'UTINYINT']]);
  await s.close();
  await s.close();
  await assert.rejects(s.run('SELECT 1'), /session is closed/);
});

test('a file-backed session keeps appended rows across close and open', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-store-'));
  try {
    const path = join(dir, 'keep.duckdb');
    const a = await Session.open(path);
    await a.createTable('t', columns);
    await a.append('t', toRecordBatch(batchOf(0, 100)));
    // No SQL after the append: close() itself must commit it.
    await a.close();
    const b = await Session.open(path);
    try {
      const r = await b.run('SELECT count(*), max(big), min(neg) FROM t');
      assert.deepEqual(r.rows, [[100, 2n ** 63n + 99n * 1_000_003n, -(2n ** 62n) - 99n]]);
    } finally {
      await b.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("DuckDB's allocator purges freed pages on its own background thread", async () => {
  const s = await Session.open();
  const r = await s.run("SELECT current_setting('allocator_background_threads') AS on");
  assert.deepEqual(r.rows, [[true]]);
  await s.close();
});
