// The CLI as a user runs it: output formats, exports, exit codes, signals, and nothing left
// attached after SIGKILL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { listMaps, listPrograms } from '../../src/kernel/objects.js';
import { startCli, type CliChild } from '../helpers/cli.js';
import { execTimes, kernelSkip, NamedProgram, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();

function cli(args: readonly string[]): CliChild {
  return startCli(args, { verbose: true });
}

async function waitFor(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}


/** The ids of the programs and maps loaded now. */
function loadedIds(): Set<number> {
  return new Set([...listPrograms().map((p) => p.id), ...listMaps().map((m) => -m.id)]);
}

test('--format json prints numbers as JSON numbers; SIGINT ends the query and keeps the result', { skip }, async () => {
  const prog = new NamedProgram(uniqueComm('bj'));
  try {
    const run = cli(['--format', 'json', `SELECT comm, count(*) AS n FROM exec WHERE comm = '${prog.comm}' GROUP BY comm FOR 60s`]);
    await run.attached;
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
  const prog = new NamedProgram(uniqueComm('bp'));
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-out-'));
  try {
    const out = join(dir, 'x.parquet');
    const run = cli(['-o', out, `SELECT comm, count(*) AS n FROM exec WHERE comm = '${prog.comm}' GROUP BY comm FOR 60s`]);
    await run.attached;
    await execTimes(prog.path, 7).done;
    process.kill(run.pid, 'SIGTERM');
    const r = await run.done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`${prog.comm}\\s*\\|\\s*7`));
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const back = await conn.runAndReadAll(`SELECT comm, n FROM read_parquet('${out}')`);
    assert.deepEqual(back.getRows(), [[prog.comm, 7n]]);
    const meta = await conn.runAndReadAll(`SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata('${out}') WHERE k LIKE 'bpfql.%' ORDER BY k`);
    const kv = new Map(meta.getRows().map(([k, v]) => [String(k), String(v)]));
    assert.deepEqual([...kv.keys()], [
      'bpfql.ended_at', 'bpfql.failed_map_updates', 'bpfql.hostname', 'bpfql.kernel_release', 'bpfql.lost_pairs',
      'bpfql.lost_records', 'bpfql.lost_stacks', 'bpfql.missed_events', 'bpfql.query', 'bpfql.started_at', 'bpfql.version',
    ]);
    assert.match(kv.get('bpfql.query')!, /^SELECT comm, count\(\*\) AS n FROM exec WHERE comm = /);
    assert.equal(kv.get('bpfql.kernel_release'), release());
    assert.equal(kv.get('bpfql.lost_records'), '0');
    assert.ok(Date.parse(kv.get('bpfql.ended_at')!) >= Date.parse(kv.get('bpfql.started_at')!));
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
  const before = loadedIds();
  const run = cli(['SELECT comm, count(*) FROM exec GROUP BY comm FOR 60s']);
  await run.attached;
  // What this CLI loaded: everything new since it started (other tools may load things meanwhile,
  // so only bpfql's names count).
  const programs = listPrograms().filter((p) => !before.has(p.id) && p.name.startsWith('bpfql_')).map((p) => p.id);
  const maps = listMaps().filter((m) => !before.has(-m.id) && m.name.startsWith('bpfql_')).map((m) => m.id);
  assert.ok(programs.length >= 1 && maps.length >= 2, `loaded ${programs.length} programs and ${maps.length} maps`);
  process.kill(run.pid, 'SIGKILL');
  const r = await run.done;
  assert.equal(r.signal, 'SIGKILL');
  await waitFor('its programs and maps to go', () => {
    const now = loadedIds();
    return programs.every((id) => !now.has(id)) && maps.every((id) => !now.has(-id));
  });
});
