// Several kernel tables in one statement, over one window: a join of block_rq_issue and
// block_rq_complete counts exactly the direct reads the test makes on a loop device of its own,
// and a UNION ALL of exec and exit counts exactly the test's execs and exits. EXPLAIN shows both
// kernel queries under the one window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Engine } from '../../src/engine/engine.js';
import { QueryError } from '../../src/diag/diagnostic.js';
import { queryDuring } from '../helpers/query-during.js';
import { execTimes, kernelSkip, NamedProgram, shell, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();
const READS = 20;
const BLOCK = 4096;
/** The reads start 4 MiB in, away from the sectors udev and blkid read of a new device. */
const SKIP_BLOCKS = 1024;
const FIRST_SECTOR = (SKIP_BLOCKS * BLOCK) / 512;
const LAST_SECTOR = FIRST_SECTOR + (READS * BLOCK) / 512;

const JOIN = (dev: number): string =>
  'SELECT count(*) AS n, count(DISTINCT i.sector) AS sectors, min(c.ts - i.ts) > INTERVAL 0 SECONDS AS ordered ' +
  'FROM tracepoint.block.block_rq_issue i JOIN tracepoint.block.block_rq_complete c ON i.dev = c.dev AND i.sector = c.sector ' +
  `WHERE i.dev = ${dev} AND i.sector >= ${FIRST_SECTOR} AND i.sector < ${LAST_SECTOR}`;

test('a join of block_rq_issue and block_rq_complete counts exactly the direct reads made on the test\'s loop device', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-join-'));
  const file = join(dir, 'disk');
  writeFileSync(file, Buffer.alloc(16 << 20));
  const loop = execFileSync('losetup', ['--find', '--show', file], { encoding: 'utf8' }).trim();
  const engine = await Engine.open();
  try {
    const [major, minor] = readFileSync(`/sys/block/${basename(loop)}/dev`, 'utf8').trim().split(':').map(Number);
    // The kernel's dev_t, as the block tracepoints record it.
    const dev = major! * 2 ** 20 + minor!;
    const run = await queryDuring(engine, JOIN(dev), async () => {
      const dd = shell(`dd if=${loop} of=/dev/null bs=${BLOCK} count=${READS} skip=${SKIP_BLOCKS} iflag=direct 2>/dev/null`);
      assert.equal(await dd.done, 0);
    }, 200);
    assert.deepEqual(run.rows, [[READS, READS, true]]);
  } finally {
    await engine.close();
    execFileSync('losetup', ['-d', loop]);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('UNION ALL of exec and exit counts exactly the test\'s execs and exits', { skip }, async () => {
  const prog = new NamedProgram(uniqueComm('bqunion'));
  const engine = await Engine.open();
  try {
    const n = 7;
    const run = await queryDuring(
      engine,
      `SELECT kind, count(*) AS n FROM (SELECT 'exec' AS kind, pid FROM exec WHERE comm = '${prog.comm}' UNION ALL SELECT 'exit' AS kind, pid FROM exit WHERE comm = '${prog.comm}') GROUP BY kind ORDER BY kind`,
      async () => assert.equal(await execTimes(prog.path, n).done, 0),
    );
    assert.deepEqual(run.rows, [['exec', n], ['exit', n]]);
  } finally {
    await engine.close();
    prog.remove();
  }
});

test('EXPLAIN shows the kernel queries of a join under one window', { skip }, async () => {
  const engine = await Engine.open();
  try {
    const out = await engine.execute(`EXPLAIN ${JOIN(7 * 2 ** 20)} FOR 5s`);
    assert.equal(out.kind, 'text');
    if (out.kind !== 'text') return;
    assert.match(out.text, /^== one window \(FOR 5s\): 2 kernel queries, all attached first, then their gates opened together and closed together ==\n/);
    assert.equal(out.text.match(/^source: {2}tracepoint block:block_rq_(issue|complete) /gm)?.length, 2);
    assert.equal(out.text.match(/gate \(array, key 4 B, value 8 B, max 1\)/g)?.length, 2);
    assert.match(out.text, /== duckdb: the statement over the kernel queries' tables ==\nSELECT count\(\*\) AS n, .* FROM __bpfql_sub\d+ i JOIN __bpfql_sub\d+ c ON i\.dev = c\.dev/);
  } finally {
    await engine.close();
  }
});

test('kernel queries of one statement with different durations: a diagnostic at the duration that differs', { skip }, async () => {
  const engine = await Engine.open();
  const sql = 'SELECT count(*) FROM (SELECT pid FROM exec FOR 1s) a JOIN (SELECT pid FROM exit FOR 2s) b USING (pid)';
  try {
    await assert.rejects(engine.execute(sql), (e: unknown) => {
      assert.ok(e instanceof QueryError);
      assert.equal(e.diagnostics[0]!.code, 'unsupported');
      assert.deepEqual(e.diagnostics[0]!.span, { start: sql.indexOf('2s'), end: sql.indexOf('2s') + 2 });
      return true;
    });
  } finally {
    await engine.close();
  }
});
