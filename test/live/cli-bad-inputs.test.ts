// A sample of the bad-input corpus through the real CLI binary, as root: each exits 2 with a
// caret in the user's text, and --verbose never says a program was attached (the check comes
// before loading). Also the environment errors only a real process shows: a --db another process
// holds, and `bpfql run` refusing a bad query before it starts the command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliSample } from '../cli/corpus/bad-inputs.js';
import { CLI } from '../helpers/cli.js';
import { needsRoot } from './kernel-root.js';

const STACK = /\n\s+at .+:\d+:\d+\)?$/m;

function cli(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, '--verbose', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('bad queries through the CLI: exit 2, a caret in the user text, nothing attached', { skip: needsRoot }, () => {
  const sample = cliSample();
  assert.ok(sample.length >= 25, `${sample.length} cases`);
  for (const c of sample) {
    const r = cli([c.sql]);
    const what = `${c.name}: ${c.sql}\n${r.stderr}`;
    assert.equal(r.status, 2, what);
    assert.doesNotMatch(r.stderr, /bpfql: attached/, what);
    assert.match(r.stderr, /^query:\d+:\d+: error\[[a-z-]+\]: .+\n\d+ \| .*\n *\^+\n/, what);
    assert.doesNotMatch(r.stderr, STACK, what);
    assert.doesNotMatch(r.stderr, /__bpfql/, what);
  }
});

test('a --db that another process holds is exit 1 before anything is attached', { skip: needsRoot }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-lock-'));
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = join(dir, 'held.duckdb');
  const holder = await DuckDBInstance.create(db);
  try {
    const r = cli(['--db', db, 'SELECT comm, count(*) AS n FROM exec GROUP BY comm FOR 1s']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^error: .*lock/im);
    assert.doesNotMatch(r.stderr, /bpfql: attached/);
    assert.doesNotMatch(r.stderr, STACK);
  } finally {
    holder.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bpfql run checks the DuckDB part of its queries before it starts the command', { skip: needsRoot }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-run-'));
  const marker = join(dir, 'ran');
  try {
    const r = spawnSync(process.execPath, [CLI, 'run', '-e', 'SELECT comm, cont(*) AS n FROM exec GROUP BY comm', '--', 'touch', marker], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /error\[unknown-function\]: unknown function 'cont'; did you mean 'count'\?/);
    assert.match(r.stderr, /\^\^\^\^/);
    assert.equal(existsSync(marker), false, 'the command ran');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
