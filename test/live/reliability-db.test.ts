// --db FILE: a run killed in the middle (SIGKILL, no chance to clean up) leaves the database
// readable, with every result of earlier runs intact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep, startCli, waitAttached } from '../helpers/cli.js';
import { getppidTimes } from '../helpers/getppid.js';
import { kernelSkip, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();

test('--db: runs killed during a kernel query and during a large write leave earlier results intact', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-db-'));
  const db = join(dir, 'runs.duckdb');
  try {
    const comm = uniqueComm('db');
    const first = startCli(['--db', db, `CREATE TABLE a AS SELECT pid, count(*) AS n FROM tracepoint.syscalls.sys_enter_getppid WHERE comm = '${comm}' GROUP BY pid FOR 3s`]);
    await waitAttached(first.pid);
    const work = getppidTimes(comm, 123);
    await work.done;
    const r1 = await first.done;
    assert.equal(r1.code, 0, r1.stderr);
    assert.equal(r1.stdout, 'created table a\ncomplete: no lost records, no failed map updates, no lost pairs, no lost stacks, no skipped events\n');

    // Killed while the kernel query runs: its table never existed.
    const second = startCli(['--db', db, `CREATE TABLE b AS SELECT pid, count(*) AS n FROM tracepoint.syscalls.sys_enter_getppid GROUP BY pid FOR 60s`]);
    await waitAttached(second.pid);
    process.kill(second.pid, 'SIGKILL');
    assert.equal((await second.done).signal, 'SIGKILL');

    // Killed while DuckDB writes a large table to the file.
    const third = startCli(['--db', db, 'CREATE TABLE big AS SELECT range AS x, md5(range::VARCHAR) AS h FROM range(100000000)']);
    await sleep(1500);
    process.kill(third.pid, 'SIGKILL');
    assert.equal((await third.done).signal, 'SIGKILL');

    const rows = await startCli(['--db', db, '--format', 'json', 'SELECT * FROM a']).done;
    assert.equal(rows.code, 0, rows.stderr);
    assert.deepEqual(JSON.parse(rows.stdout), [{ pid: work.pid, n: 123 }]);
    const tables = await startCli(['--db', db, '--format', 'csv', "SELECT table_name FROM duckdb_tables() WHERE table_name IN ('a', 'b', 'big') ORDER BY 1"]).done;
    assert.equal(tables.stdout, 'table_name\na\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
