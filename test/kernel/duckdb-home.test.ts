// DuckDB as the home of results: joins with files bpfql wrote, --db across runs, completeness.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from '../helpers/paths.js';
import { execTimes, kernelSkip, NamedProgram, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();
const CLI = fromRoot('dist', 'src', 'cli', 'main.js');

interface Done { code: number | null; stdout: string; stderr: string }

/** Runs the CLI; `whileAttached` runs once it says (--verbose) its query is attached, then the CLI gets SIGINT. */
async function cli(args: readonly string[], whileAttached?: () => Promise<unknown>): Promise<Done> {
  const child = spawn(process.execPath, [CLI, ...(whileAttached ? ['--verbose'] : []), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let attached!: () => void;
  const isAttached = new Promise<void>((r) => (attached = r));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (/bpfql: attached/.test(stderr)) attached();
  });
  const done = new Promise<Done>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr: stderr.replace(/^bpfql: attached.*\n/gm, '') })));
  if (whileAttached) {
    await Promise.race([isAttached, done.then((d) => Promise.reject(new Error(`the CLI ended before attaching: ${d.stderr}`)))]);
    await whileAttached();
    child.kill('SIGINT');
  }
  return done;
}

test('a kernel result joined with a Parquet file bpfql wrote earlier', { skip }, async () => {
  const a = new NamedProgram(uniqueComm('ja'));
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-join-'));
  try {
    const base = join(dir, 'baseline.parquet');
    const first = await cli(['-o', base, `SELECT comm, count(*) AS n FROM exec WHERE comm = '${a.comm}' GROUP BY comm FOR 60s`], () => execTimes(a.path, 4).done);
    assert.equal(first.code, 0, first.stderr);
    const second = await cli(
      ['--format', 'json', `WITH e AS (SELECT comm, count(*) AS n FROM exec WHERE comm = '${a.comm}' GROUP BY comm FOR 60s) SELECT e.comm, e.n AS now, b.n AS before FROM e JOIN read_parquet('${base}') b USING (comm)`],
      () => execTimes(a.path, 6).done,
    );
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(JSON.parse(second.stdout), [{ comm: a.comm, now: 6, before: 4 }]);
  } finally {
    a.remove();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--db keeps tables across two invocations, and bpfql_runs records each run', { skip }, async () => {
  const a = new NamedProgram(uniqueComm('jd'));
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-db-'));
  try {
    const db = join(dir, 'keep.duckdb');
    const first = await cli(['--db', db, `CREATE TABLE execs AS SELECT comm, count(*) AS n FROM exec WHERE comm = '${a.comm}' GROUP BY comm FOR 60s`], () => execTimes(a.path, 3).done);
    assert.equal(first.code, 0, first.stderr);
    const second = await cli(['--db', db, '--format', 'csv', 'SELECT comm, n FROM execs; SELECT count(*) AS runs, sum(failed_map_updates) AS failed FROM bpfql_runs']);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, `comm,n\n${a.comm},3\nruns,failed\n1,0\n`);
  } finally {
    a.remove();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a map made too small reports failed updates; --strict turns that into exit 1', { skip }, async () => {
  const progs = [new NamedProgram(uniqueComm('ka')), new NamedProgram(uniqueComm('kb')), new NamedProgram(uniqueComm('kc'))];
  try {
    const where = progs.map((p) => `'${p.comm}'`).join(', ');
    const workload = () => execTimes(progs.map((p) => p.path).join('; '), 5).done;
    const query = `SELECT comm, count(*) AS n FROM exec WHERE comm IN (${where}) GROUP BY comm FOR 60s`;
    const lax = await cli(['--max-keys', '2', query], workload);
    assert.equal(lax.code, 0, lax.stderr);
    assert.match(lax.stdout, /INCOMPLETE: 5 map updates failed \(map full; raise --max-keys\)/);
    const strict = await cli(['--strict', '--max-keys', '2', '--format', 'json', query], workload);
    assert.equal(strict.code, 1);
    assert.equal(JSON.parse(strict.stdout).length, 2, 'the rows that fit are still printed');
    assert.match(strict.stderr, /"failedUpdates":5/);
    assert.match(strict.stderr, /--strict: the result is incomplete/);
  } finally {
    progs.forEach((p) => p.remove());
  }
});

test('a FOR after a subquery bounds the kernel query inside it', { skip }, async () => {
  const started = Date.now();
  const r = await cli(['--format', 'csv', "SELECT count(*) >= 0 AS ok FROM (SELECT pid FROM exec WHERE comm = 'no-such-program') FOR 1s"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'ok\ntrue\n');
  assert.ok(Date.now() - started < 15_000);
});
