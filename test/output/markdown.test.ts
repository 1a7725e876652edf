import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCli } from '../../src/cli/args.js';
import { exportQuery } from '../../src/output/export.js';
import { exportFormatOf } from '../../src/output/formats.js';
import { formatResult } from '../../src/output/result-text.js';
import type { QueryResult } from '../../src/output/result.js';
import { Engine } from '../../src/engine/engine.js';
import { engineBackend } from '../../src/repl/backend.js';
import { parseMeta } from '../../src/repl/meta.js';
import type { TranscriptItem } from '../../src/repl/runner.js';
import { Runner } from '../../src/repl/runner.js';
import { Session } from '../../src/store/session.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';
import { CLI } from '../helpers/cli.js';

const r: QueryResult = {
  columns: [
    { name: 'comm', type: 'VARCHAR' },
    { name: 'n', type: 'BIGINT' },
    { name: 'bytes', type: 'UBIGINT' },
    { name: 'h', type: 'STRUCT(lo BIGINT, hi BIGINT, count UBIGINT)[]' },
  ],
  rows: [
    ['bash', 12, 18446744073709551615n, [{ lo: 0, hi: 1, count: 3 }, { lo: 2, hi: 3, count: 10 }]],
    ['a|b', -3, null, []],
    [null, 1234567, 9007199254740993n, null],
  ],
};

test('a GitHub-flavoured table: header, --- and ---: for numeric columns, NULL empty, values as the table shows them', () => {
  assert.equal(formatResult(r, 'markdown'), [
    '| comm | n | bytes | h |',
    '| --- | ---: | ---: | --- |',
    '| bash | 12 | 18446744073709551615 | [0,1]:3 [2,3]:10 |',
    '| a\\|b | -3 |  | [] |',
    '|  | 1234567 | 9007199254740993 |  |',
  ].join('\n'));
});

test('cells stay on one line and in their column: line breaks and controls escaped, backslashes doubled, pipes escaped', () => {
  const odd: QueryResult = {
    columns: [{ name: 'a|b', type: 'VARCHAR' }, { name: 'x', type: 'VARCHAR' }],
    rows: [['line\nbreak\ttab', '\x1b[31mred'], ['back\\slash|', 'ends with \\'], ['', '\u202eflipped']],
  };
  assert.equal(formatResult(odd, 'markdown'), [
    '| a\\|b | x |',
    '| --- | --- |',
    '| line\\nbreak\\ttab | \\x1b[31mred |',
    '| back\\\\slash\\| | ends with \\\\ |',
    '|  | \\u{202e}flipped |',
  ].join('\n'));
});

test('no rows: the header and the alignment row; no columns: no text', () => {
  assert.equal(formatResult({ columns: r.columns, rows: [] }, 'markdown'), '| comm | n | bytes | h |\n| --- | --- | --- | --- |');
  assert.equal(formatResult({ columns: [], rows: [] }, 'markdown'), '');
});

test('chosen by --format markdown, .format markdown in the REPL and -o FILE.md or FILE.markdown', () => {
  assert.equal(parseCli(['--format', 'markdown', 'SELECT 1']).format, 'markdown');
  assert.deepEqual(parseMeta('.format Markdown'), { ok: true, command: { kind: 'format', format: 'markdown' } });
  assert.equal(exportFormatOf('results.md')?.name, 'markdown');
  assert.equal(exportFormatOf('results.MARKDOWN')?.name, 'markdown');
});

test('-o results.md writes the same table, and so does bpfql --format markdown on stdout', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-markdown-'));
  const s = await Session.open();
  try {
    const sql = "SELECT 1 AS n, 'x|y' AS s UNION ALL SELECT 22, NULL ORDER BY n";
    const want = '| n | s |\n| ---: | --- |\n| 1 | x\\|y |\n| 22 |  |\n';
    await exportQuery(s, `${sql};`, join(dir, 'results.md'));
    assert.equal(readFileSync(join(dir, 'results.md'), 'utf8'), want);
    const cli = spawnSync(process.execPath, [CLI, '--format', 'markdown', sql], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal(cli.stdout, want);
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the REPL shows a result as Markdown after .format markdown', async () => {
  const engine = await Engine.open({}, fixtureCatalog(), fixturePlannerEnv);
  try {
    const items: TranscriptItem[] = [];
    const runner = new Runner(engineBackend(engine), { print: (xs) => items.push(...xs), running: () => undefined, quit: () => undefined });
    await runner.submit('.format markdown');
    await runner.submit("SELECT 'a|b' AS s, 2 AS n;");
    assert.deepEqual(items.filter((i) => i.kind !== 'input').map(({ id: _id, ...rest }) => rest), [
      { kind: 'note', text: 'results as markdown', warn: false },
      { kind: 'text', text: '| s | n |\n| --- | ---: |\n| a\\|b | 2 |' },
    ]);
  } finally {
    await engine.close();
  }
});
