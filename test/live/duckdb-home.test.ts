// DuckDB as the home of results: joins with files bpfql wrote, --db across runs, completeness.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, type CliExit } from '../helpers/cli.js';
import { execTimes, kernelSkip, NamedProgram, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();

/** Runs the CLI; `whileAttached` runs once its query is attached, then the CLI gets SIGINT. */
async function cli(args: readonly string[], whileAttached?: () => Promise<unknown>): Promise<CliExit> {
  const child = startCli(args, { verbose: true });
  if (whileAttached) {
    await child.attached;
    await whileAttached();
    process.kill(child.pid, 'SIGINT');
  }
  return child.done;
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
    assert.equal((JSON.parse(strict.stdout) as unknown[]).length, 2, 'the rows that fit are still printed');
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
