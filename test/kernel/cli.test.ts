// The CLI as a user runs it: output formats, exports, exit codes, signals, and nothing left
// attached after SIGKILL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { listMaps, listPrograms } from '../../src/kernel/objects.js';
import { fromRoot } from '../helpers/paths.js';
import { execTimes, kernelSkip, NamedProgram, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();
const CLI = fromRoot('dist', 'src', 'cli', 'main.js');

interface CliRun {
  readonly pid: number;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function cli(args: readonly string[]): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { pid: child.pid!, done };
}

const ours = (name: string): boolean => name.startsWith('bpfql_');

async function waitFor(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A program is listed once loaded and attached within a millisecond after; leave it a moment. */
async function waitForAttach(): Promise<void> {
  await waitFor('the program to load', () => listPrograms().some((p) => p.name === 'bpfql_exec'));
  await new Promise((r) => setTimeout(r, 300));
}

/** Waits until no bpfql program or map is loaded (other tests run one file at a time). */
async function waitForNoneOfOurs(): Promise<void> {
  await waitFor('bpfql programs to go', () => !listPrograms().some((p) => ours(p.name)) && !listMaps().some((m) => ours(m.name)));
}

test('--format json prints numbers as JSON numbers; SIGINT ends the query and keeps the result', { skip }, async () => {
  await waitForNoneOfOurs();
  const prog = new NamedProgram(uniqueComm('bj'));
  try {
    const run = cli(['--format', 'json', `SELECT comm, count(*) AS n FROM exec WHERE comm = '${prog.comm}' GROUP BY comm FOR 60s`]);
    await waitForAttach();
    await execTimes(prog.path, 25).done;
    process.kill(run.pid, 'SIGINT');
    const r = await run.done;
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [{ comm: prog.comm, n: 25 }]);
  } finally {
    prog.remove();
  }
});

test('-o x.parquet writes what read_parquet reads back; SIGTERM works like SIGINT', { skip }, async () => {
  await waitForNoneOfOurs();
  const prog = new NamedProgram(uniqueComm('bp'));
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-out-'));
  try {
    const out = join(dir, 'x.parquet');
    const run = cli(['-o', out, `SELECT comm, count(*) AS n FROM exec WHERE comm = '${prog.comm}' GROUP BY comm FOR 60s`]);
    await waitForAttach();
    await execTimes(prog.path, 7).done;
    process.kill(run.pid, 'SIGTERM');
    const r = await run.done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`${prog.comm}\\s*\\|\\s*7`));
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const back = await conn.runAndReadAll(`SELECT comm, n FROM read_parquet('${out}')`);
    assert.deepEqual(back.getRows(), [[prog.comm, 7n]]);
    const meta = await conn.runAndReadAll(`SELECT decode(key) AS k FROM parquet_kv_metadata('${out}') ORDER BY k`);
    assert.ok(meta.getRows().some(([k]) => k === 'bpfql.query'));
  } finally {
    prog.remove();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unknown column exits 2 with line:column, a caret and the closest names', { skip }, async () => {
  const r = await cli(['SELECT nope, comm FROM exec WHERE filenme = 1']).done;
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^query:1:8: error\[unknown-column\]: unknown column 'nope' in table 'exec'/);
  assert.match(r.stderr, /\n1 \| SELECT nope, comm FROM exec WHERE filenme = 1\n {11}\^{4}\n/);
});

test('after SIGKILL no program, map or link of bpfql remains', { skip }, async () => {
  await waitForNoneOfOurs();
  const run = cli(['SELECT comm, count(*) FROM exec GROUP BY comm FOR 60s']);
  await waitForAttach();
  assert.ok(listMaps().some((m) => m.name === 'bpfql_agg'));
  process.kill(run.pid, 'SIGKILL');
  const r = await run.done;
  assert.equal(r.signal, 'SIGKILL');
  await waitForNoneOfOurs();
});
