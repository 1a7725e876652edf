// The README's table of curated tables lists exactly the tables and columns the catalog has.
import { starColumns } from '../../src/catalog/stack-columns.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { COMMON_COLUMNS } from '../../src/catalog/common-columns.js';
import { fixtureCatalog } from '../helpers/fixture-catalog.js';
import { fromRoot } from '../helpers/paths.js';

/** table name → the column names its README row lists (backticked plain names of the last cell). */
function readmeTables(): Map<string, string[]> {
  const readme = readFileSync(fromRoot('README.md'), 'utf8');
  const start = readme.indexOf('<!-- curated-tables:start -->');
  const end = readme.indexOf('<!-- curated-tables:end -->');
  assert.ok(start >= 0 && end > start, 'README.md has the curated-tables markers');
  const out = new Map<string, string[]>();
  for (const line of readme.slice(start, end).split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const name = /^`([a-z_]+)`$/.exec(cells[1] ?? '')?.[1];
    if (!name) continue;
    const columns = [...(cells[3] ?? '').matchAll(/`([a-z_][a-z0-9_]*)`/g)].map((m) => m[1]!);
    out.set(name, columns);
  }
  return out;
}

test('README lists every curated table with its columns', () => {
  const catalog = fixtureCatalog();
  const listed = readmeTables();
  assert.deepEqual([...listed.keys()].sort(), catalog.curatedNames().sort());
  for (const name of catalog.curatedNames()) {
    const r = catalog.resolve(name);
    assert.equal(r.kind, 'table', name);
    if (r.kind !== 'table') continue;
    assert.deepEqual(listed.get(name), starColumns(r.table.columns).slice(starColumns(COMMON_COLUMNS).length).map((c) => c.name), name);
  }
});
