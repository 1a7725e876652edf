// A kernel query's rows into its target: loaded into a table the store names, the residual SQL
// (written over KERNEL_TABLE) run over it into the target, whole or window by window.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ColumnBatch, ResultColumn } from '../../src/catalog/types.js';
import { STRING, U32 } from '../../src/catalog/types.js';
import { KERNEL_TABLE } from '../../src/planner/plan.js';
import { Materialization, residualOver, type Residual } from '../../src/store/materialize.js';
import { Session } from '../../src/store/session.js';

const columns: readonly ResultColumn[] = [{ name: 'comm', type: STRING }, { name: 'pid', type: U32 }];
const residual: Residual = { columns, sql: `SELECT comm, count(*) AS n FROM ${KERNEL_TABLE} GROUP BY comm ORDER BY comm` };

function batch(rows: readonly (readonly [string, number])[]): ColumnBatch {
  return {
    columns,
    rowCount: rows.length,
    data: [{ kind: 'string', values: rows.map((r) => r[0]) }, { kind: 'number', values: rows.map((r) => r[1]) }],
  };
}

async function tables(session: Session): Promise<unknown[]> {
  return (await session.run('SELECT table_name FROM duckdb_tables() ORDER BY table_name')).rows.map((r) => r[0]);
}

async function withSession(body: (s: Session) => Promise<void>): Promise<void> {
  const session = await Session.open();
  try {
    await body(session);
  } finally {
    await session.close();
  }
}

test('residualOver reads the kernel rows from the table given', () => {
  assert.equal(residualOver(`SELECT a FROM ${KERNEL_TABLE} JOIN ${KERNEL_TABLE} USING (a)`, 't1'), 'SELECT a FROM t1 JOIN t1 USING (a)');
});

test('the residual runs over every row loaded, into a new or replaced target; the kernel table goes', async () => {
  await withSession(async (s) => {
    const m = Materialization.start(s, residual, { kind: 'replace', table: 'last' }, 'none');
    await m.load(batch([['sh', 1], ['cat', 2]]));
    await m.load(batch([['sh', 3]]));
    await m.materialize();
    assert.deepEqual((await s.run('SELECT * FROM last')).rows, [['cat', 1], ['sh', 2]]);
    assert.deepEqual(await tables(s), ['__bpfql_k1', 'last']);
    await m.drop();
    assert.deepEqual(await tables(s), ['last']);

    const again = Materialization.start(s, residual, { kind: 'replace', table: 'last' }, 'none');
    await again.load(batch([['ls', 4]]));
    await again.materialize();
    await again.drop();
    assert.deepEqual((await s.run('SELECT * FROM last')).rows, [['ls', 1]]);
  });
});

test('CREATE TABLE refuses a table that exists; INSERT INTO appends', async () => {
  await withSession(async (s) => {
    const create = Materialization.start(s, residual, { kind: 'create', table: 't' }, 'none');
    await create.load(batch([['sh', 1]]));
    await create.materialize();
    await create.drop();
    const insert = Materialization.start(s, residual, { kind: 'insert', table: 't' }, 'none');
    await insert.load(batch([['cat', 2], ['cat', 3]]));
    await insert.materialize();
    await insert.drop();
    assert.deepEqual((await s.run('SELECT * FROM t ORDER BY comm')).rows, [['cat', 2], ['sh', 1]]);
    const twice = Materialization.start(s, residual, { kind: 'create', table: 't' }, 'none');
    await assert.rejects(twice.materialize(), /already exists/);
    await twice.drop();
  });
});

test('windowed: the target is made first, and each window adds its rows with its bounds', async () => {
  await withSession(async (s) => {
    const m = Materialization.start(s, residual, { kind: 'replace', table: 'last' }, 'all');
    await m.prepare();
    const made = await s.run('SELECT * FROM last');
    assert.deepEqual(made.columns.map((c) => `${c.name} ${c.type}`), ['window_start TIMESTAMP', 'window_end TIMESTAMP', 'comm VARCHAR', 'n BIGINT']);
    assert.deepEqual(made.rows, []);
    await m.load(batch([['sh', 1], ['sh', 2]]));
    await m.materialize({ startUs: 1_000_000, endUs: 2_000_000 });
    // A window with no rows adds none.
    await m.materialize({ startUs: 2_000_000, endUs: 3_000_000 });
    await m.load(batch([['cat', 3]]));
    // windowResult materializes the window and gives its rows alone.
    assert.deepEqual((await m.windowResult({ startUs: 3_000_000, endUs: 4_000_000 })).rows, [['1970-01-01 00:00:03', '1970-01-01 00:00:04', 'cat', 1]]);
    assert.deepEqual((await s.run('SELECT * FROM last ORDER BY window_start')).rows, [
      ['1970-01-01 00:00:01', '1970-01-01 00:00:02', 'sh', 2],
      ['1970-01-01 00:00:03', '1970-01-01 00:00:04', 'cat', 1],
    ]);
    await m.drop();
    assert.deepEqual(await tables(s), ['last']);
  });
});

test('latest windows: each window replaces the one before, and the kernel rows go with it', async () => {
  await withSession(async (s) => {
    const m = Materialization.start(s, residual, { kind: 'replace', table: 'latest_w' }, 'latest');
    await m.load(batch([['sh', 1], ['sh', 2]]));
    await m.materialize({ startUs: 1_000_000, endUs: 2_000_000 });
    assert.deepEqual((await s.run('SELECT * FROM latest_w')).rows, [['1970-01-01 00:00:01', '1970-01-01 00:00:02', 'sh', 2]]);
    await m.load(batch([['cat', 3]]));
    assert.deepEqual((await m.windowResult({ startUs: 2_000_000, endUs: 3_000_000 })).rows, [['1970-01-01 00:00:02', '1970-01-01 00:00:03', 'cat', 1]]);
    assert.deepEqual((await s.run('SELECT * FROM latest_w')).rows, [['1970-01-01 00:00:02', '1970-01-01 00:00:03', 'cat', 1]]);
    await m.drop();
    assert.deepEqual(await tables(s), ['latest_w']);
  });
});

test('windows handed on: each window\'s rows are given, exactly, and no table keeps them', async () => {
  await withSession(async (s) => {
    const m = Materialization.start(s, residual, { kind: 'replace', table: 'served' }, 'handed-on');
    await m.load(batch([['sh', 1], ['sh', 2], ['cat', 5]]));
    const first = await m.windowResult({ startUs: 1_000_000, endUs: 2_000_000 });
    // The residual's rows alone: the bounds come with the window.
    assert.deepEqual(first.columns.map((c) => c.name), ['comm', 'n']);
    assert.deepEqual([...first.rows].sort(), [['cat', 1], ['sh', 2]]);
    // The first window's kernel rows are gone: the second has its own alone.
    await m.load(batch([['cat', 3]]));
    assert.deepEqual((await m.windowResult({ startUs: 2_000_000, endUs: 3_000_000 })).rows, [['cat', 1]]);
    // A window with no rows gives none.
    assert.deepEqual((await m.windowResult({ startUs: 3_000_000, endUs: 4_000_000 })).rows, []);
    // The target exists (the query's result reads it) and stays empty.
    assert.deepEqual((await s.run('SELECT * FROM served')).rows, []);
    await assert.rejects(m.materialize({ startUs: 4_000_000, endUs: 5_000_000 }), /handed on/);
    await m.drop();
    assert.deepEqual(await tables(s), ['served']);
  });
});

test('windowed INSERT INTO appends to the table that is there', async () => {
  await withSession(async (s) => {
    await s.run('CREATE TABLE w (window_start TIMESTAMP, window_end TIMESTAMP, comm VARCHAR, n BIGINT)');
    const m = Materialization.start(s, residual, { kind: 'insert', table: 'w' }, 'all');
    await m.load(batch([['sh', 1]]));
    await m.materialize({ startUs: 0, endUs: 1_000_000 });
    await m.drop();
    assert.deepEqual((await s.run('SELECT comm, n FROM w')).rows, [['sh', 1]]);
  });
});

test('a preview is the residual over a snapshot alone, and leaves no table behind', async () => {
  await withSession(async (s) => {
    const m = Materialization.start(s, residual, { kind: 'replace', table: 'last' }, 'none');
    await m.load(batch([['sh', 1]]));
    assert.deepEqual((await m.preview(batch([['cat', 1], ['cat', 2]]))).rows, [['cat', 2]]);
    assert.deepEqual(await tables(s), ['__bpfql_k1']);
    await m.drop();
  });
});

test('each query of a session gets a kernel table of its own', async () => {
  await withSession(async (s) => {
    const a = Materialization.start(s, residual, { kind: 'create', table: 'a' }, 'none');
    const b = Materialization.start(s, residual, { kind: 'create', table: 'b' }, 'none');
    await Promise.all([a.load(batch([['sh', 1]])), b.load(batch([['cat', 2], ['ls', 3]]))]);
    await Promise.all([a.materialize(), b.materialize()]);
    assert.deepEqual((await s.run('SELECT * FROM a')).rows, [['sh', 1]]);
    assert.deepEqual((await s.run('SELECT * FROM b')).rows, [['cat', 1], ['ls', 1]]);
    assert.deepEqual(await tables(s), ['__bpfql_k1', '__bpfql_k2', 'a', 'b']);
    await a.drop();
    await b.drop();
  });
});
