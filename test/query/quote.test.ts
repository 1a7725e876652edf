// The one quoter of names and text in the SQL bpfql writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quoteFunctionName, quoteIdent, quoteString } from '../../src/query/quote.js';
import { Session } from '../../src/store/session.js';

test('quoteIdent quotes only what needs quoting', () => {
  assert.deepEqual(
    ['comm', 'sys_enter_openat', '_x1', 'Comm', 'a b', 'select', 'order', 'join', 'tables', '1a', 'a"b', ''].map(quoteIdent),
    ['comm', 'sys_enter_openat', '_x1', '"Comm"', '"a b"', '"select"', '"order"', '"join"', '"tables"', '"1a"', '"a""b"', '""'],
  );
});

test('a function name may be a DuckDB keyword but not one of ours; text doubles its quotes', () => {
  assert.deepEqual(['left', 'upper', 'select', 'My'].map(quoteFunctionName), ['left', 'upper', '"select"', '"My"']);
  assert.equal(quoteString("it's"), "'it''s'");
});

test('every word DuckDB does not take as a bare name is quoted, so a table or column of that name works', async () => {
  const s = await Session.open();
  try {
    const words = (await s.run("SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category IN ('reserved', 'type_function') ORDER BY 1")).rows.map((r) => String(r[0]));
    assert.ok(words.length > 90, `${words.length} keywords`);
    assert.deepEqual(words.filter((w) => quoteIdent(w) === w), []);
    // Each as a column name and the first as a table name, as the store writes them.
    await s.run(`CREATE TABLE ${quoteIdent(words[0]!)} (${words.map((w) => `${quoteIdent(w)} BIGINT`).join(', ')})`);
    const r = await s.run(`SELECT ${words.map(quoteIdent).join(', ')} FROM ${quoteIdent(words[0]!)}`);
    assert.deepEqual(r.columns.map((c) => c.name), words);
  } finally {
    await s.close();
  }
});
