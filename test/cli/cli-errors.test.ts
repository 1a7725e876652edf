// CLI behaviour that needs no kernel: syntax errors and usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { CLI } from '../helpers/cli.js';


function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('a misspelt keyword exits 2 with line:column, a caret and a hint', () => {
  const r = cli('SELEC comm FROM exec');
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^query:1:1: error\[parse-error\]: .*did you mean SELECT\?/);
  assert.match(r.stderr, /\n1 \| SELEC comm FROM exec\n {4}\^{5}\n/);
});

test('an error in the second statement of a script points into the script', () => {
  const r = cli('SELECT 1 AS x;\nSELECT comm FROM exec WHERE');
  assert.equal(r.status, 2);
  assert.match(r.stdout, /x/);
  assert.match(r.stderr, /^query:2:/);
});

test('statements that name no kernel table go to DuckDB unchanged', () => {
  const r = cli('--format', 'csv', "SELECT 40 + 2 AS answer, 'a,b' AS s");
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'answer,s\n42,"a,b"\n');
});

test('bad flags exit 2 with the usage', () => {
  const r = cli('--format', 'xml', 'SELECT 1');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--format must be one of table, json, csv, ndjson/);
  assert.match(r.stderr, /usage: bpfql/);
});

test('an export path without a known extension is refused before anything runs', () => {
  const r = cli('-o', 'out.xyz', 'SELECT 1');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cannot tell the format of 'out.xyz'/);
});
