// SIGINT and SIGTERM end a query and keep what it collected: it is still printed and still
// exported. SIGKILL leaves nothing attached. cli.test.ts covers an aggregating query under SIGINT
// (printed) and SIGTERM (printed and exported); these cover a streaming query under both, an
// aggregating one under SIGINT with an export, and a streaming one under SIGKILL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { listMaps, listPrograms } from '../../src/kernel/objects.js';
import { startCli, waitAttached, waitFor } from '../helpers/cli.js';
import { getppidTimes } from '../helpers/getppid.js';
import { kernelSkip, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();

function streamQuery(comm: string): string {
  return `SELECT pid, comm FROM tracepoint.syscalls.sys_enter_getppid WHERE comm = '${comm}'`;
}

async function withDir(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-signals-'));
  try {
    await f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('SIGINT ends a streaming query: its rows are printed and exported', { skip }, () =>
  withDir(async (dir) => {
    const comm = uniqueComm('si');
    const out = join(dir, 'rows.ndjson');
    const run = startCli(['--format', 'json', '-o', out, streamQuery(comm)]);
    await waitAttached(run.pid);
    const work = getppidTimes(comm, 40);
    await work.done;
    process.kill(run.pid, 'SIGINT');
    const r = await run.done;
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), Array.from({ length: 40 }, () => ({ pid: work.pid, comm })));
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
    assert.deepEqual(lines, Array.from({ length: 40 }, () => ({ pid: work.pid, comm })));
    assert.match(r.stderr, /"completeness":\{"lostRecords":0,"failedUpdates":0,"lostPairs":0,"lostStacks":0,"missedEvents":0\}/);
    assert.match(r.stderr, new RegExp(`wrote 40 rows to ${out}`));
  }));

test('SIGTERM ends a streaming query: its rows are printed as a table and exported to Parquet', { skip }, () =>
  withDir(async (dir) => {
    const comm = uniqueComm('st');
    const out = join(dir, 'rows.parquet');
    const run = startCli(['-o', out, streamQuery(comm)]);
    await waitAttached(run.pid);
    const work = getppidTimes(comm, 30);
    await work.done;
    process.kill(run.pid, 'SIGTERM');
    const r = await run.done;
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines.filter((l) => new RegExp(`^\\s*${work.pid} \\| ${comm}\\s*$`).test(l)).length, 30, r.stdout);
    assert.ok(lines.includes('(30 rows)'), r.stdout);
    assert.ok(lines.includes('complete: no lost records, no failed map updates, no lost pairs, no lost stacks, no skipped events'), r.stdout);
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const back = await conn.runAndReadAll(`SELECT pid, comm, count(*) AS n FROM read_parquet('${out}') GROUP BY ALL`);
    assert.deepEqual(back.getRows(), [[BigInt(work.pid), comm, 30n]]);
    conn.closeSync();
  }));

test('SIGINT ends an aggregating query: its result is printed and exported to CSV', { skip }, () =>
  withDir(async (dir) => {
    const comm = uniqueComm('sa');
    const out = join(dir, 'counts.csv');
    const run = startCli(['--format', 'csv', '-o', out, `SELECT pid, count(*) AS n FROM tracepoint.syscalls.sys_enter_getppid WHERE comm = '${comm}' GROUP BY pid`]);
    await waitAttached(run.pid);
    const a = getppidTimes(comm, 1000);
    const b = getppidTimes(comm, 2500);
    await Promise.all([a.done, b.done]);
    process.kill(run.pid, 'SIGINT');
    const r = await run.done;
    assert.equal(r.code, 0, r.stderr);
    const expected = ['pid,n', ...[[a.pid, 1000], [b.pid, 2500]].sort((x, y) => x[0]! - y[0]!).map(([pid, n]) => `${pid},${n}`)];
    const sorted = (text: string): string[] => {
      const [head, ...rows] = text.trim().split('\n');
      return [head!, ...rows.sort((x, y) => Number(x.split(',')[0]) - Number(y.split(',')[0]))];
    };
    assert.deepEqual(sorted(r.stdout), expected);
    assert.deepEqual(sorted(readFileSync(out, 'utf8')), expected);
  }));

test('after SIGKILL of a streaming query its program, ring buffer and perf event are gone', { skip }, async () => {
  const before = new Set([...listPrograms().map((p) => `p${p.id}`), ...listMaps().map((m) => `m${m.id}`)]);
  const run = startCli([streamQuery(uniqueComm('sk'))]);
  await waitAttached(run.pid);
  // Objects that appeared while this query started and carry bpfql's prefix are this query's.
  const mine = [
    ...listPrograms().filter((p) => p.name.startsWith('bpfql_') && !before.has(`p${p.id}`)).map((p) => `p${p.id}`),
    ...listMaps().filter((m) => m.name.startsWith('bpfql_') && !before.has(`m${m.id}`)).map((m) => `m${m.id}`),
  ];
  assert.ok(mine.some((id) => id.startsWith('p')) && mine.some((id) => id.startsWith('m')), `no program or map of the query found: ${mine.join(', ')}`);
  process.kill(run.pid, 'SIGKILL');
  const r = await run.done;
  assert.equal(r.signal, 'SIGKILL');
  await waitFor('the killed query’s objects to be freed', () => {
    const now = new Set([...listPrograms().map((p) => `p${p.id}`), ...listMaps().map((m) => `m${m.id}`)]);
    return mine.every((id) => !now.has(id));
  });
});
