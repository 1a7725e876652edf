import { test } from 'node:test';
import assert from 'node:assert/strict';
import { S64 } from '../../src/catalog/types.js';
import { toRecordBatch } from '../../src/store/arrow.js';
import { Session } from '../../src/store/session.js';

test('overlapping appends and queries on one session lose nothing', async () => {
  const s = await Session.open();
  try {
    await s.createTable('a', [{ name: 'x', type: S64 }]);
    await s.createTable('b', [{ name: 'x', type: S64 }]);
    const batch = (n: number) => toRecordBatch({ columns: [{ name: 'x', type: S64 }], data: [{ kind: 'int64', values: Array.from({ length: n }, (_, i) => BigInt(i)) }], rowCount: n });
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? s.append('a', batch(1000)) : s.append('b', batch(500)).then(() => s.run('SELECT count(*) FROM a')))));
    assert.deepEqual((await s.run('SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b)')).rows, [[20000, 10000]]);
  } finally {
    await s.close();
  }
});
