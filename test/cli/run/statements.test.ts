import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ScriptSource, StatementEnv } from '../../../src/cli/run/statements.js';
import { StatementError, planStatements } from '../../../src/cli/run/statements.js';
import { classify } from '../../../src/engine/classify.js';
import { kernelSubqueries } from '../../../src/engine/embedded.js';
import { planQuery } from '../../../src/planner/planner.js';
import { fixtureCatalog, fixturePlannerEnv } from '../../helpers/fixture-catalog.js';

const catalog = fixtureCatalog();
const prepared: string[] = [];
const env: StatementEnv = {
  classify: (text) => classify(text, catalog),
  embedsKernelQueries: (text) => kernelSubqueries(text, catalog).length > 0,
  prepare: (q) => {
    prepared.push(planQuery(q, catalog, fixturePlannerEnv, { cgroupId: 7n }).table);
  },
};

const OPENAT = 'tracepoint.syscalls.sys_enter_openat';

test('a single bare query lands in last, run as written', async () => {
  const source: ScriptSource = { name: '-e', text: `SELECT count(*) AS n FROM ${OPENAT}` };
  assert.deepEqual(await planStatements([source], env), [
    { kind: 'trace', source, start: 0, statement: source.text, table: 'last', execute: source.text },
  ]);
});

test('several bare queries are q1, q2 in order; CREATE TABLE names its own; DuckDB statements kept for later', async () => {
  prepared.length = 0;
  const file: ScriptSource = {
    name: 'checks.sql',
    text: `SELECT count(*) AS n FROM ${OPENAT};\nCREATE TABLE execs AS SELECT comm, count(*) AS n FROM tracepoint.sched.sched_process_exec GROUP BY comm;\n` +
      `CREATE TABLE summary AS SELECT sum(n) AS total FROM execs;\n`,
  };
  const e: ScriptSource = { name: '-e #2', text: `SELECT comm FROM ${OPENAT} WHERE flags = 0` };
  const planned = await planStatements([file, e], env);
  assert.deepEqual(planned.map((s) => [s.kind, s.kind === 'trace' ? s.table : '', s.start, s.source.name]), [
    ['trace', 'q1', 0, 'checks.sql'],
    ['trace', 'execs', file.text.indexOf('CREATE TABLE execs'), 'checks.sql'],
    ['sql', '', file.text.indexOf('CREATE TABLE summary'), 'checks.sql'],
    ['trace', 'q2', 0, '-e #2'],
  ]);
  const first = planned[0]!;
  assert.equal(first.kind === 'trace' && first.execute, `CREATE TABLE q1 AS SELECT count(*) AS n FROM ${OPENAT}`);
  assert.equal(planned[1]!.kind === 'trace' && planned[1]!.execute, planned[1]!.statement);
  // Every kernel query was planned (so checked) before anything runs; the DuckDB one was not.
  assert.deepEqual(prepared, [OPENAT, 'tracepoint.sched.sched_process_exec', OPENAT]);
});

async function refusal(sources: readonly ScriptSource[]): Promise<{ code: string; span: { start: number; end: number }; source: string; feature?: string }> {
  try {
    await planStatements(sources, env);
  } catch (e) {
    if (!(e instanceof StatementError)) throw e;
    const d = e.error.diagnostics[0]!;
    return { code: d.code, span: d.span, source: e.source.name, ...(d.code === 'unsupported' ? { feature: d.params.feature } : {}) };
  }
  throw new Error('no error');
}

test('an error in a later statement points into its own source', async () => {
  const text = `SELECT count(*) FROM ${OPENAT};\nSELECT comm FROM ${OPENAT} WHERE filenam = 'x'`;
  const r = await refusal([{ name: 'a.sql', text }]);
  const at = text.indexOf('filenam');
  assert.deepEqual(r, { code: 'unknown-column', span: { start: at, end: at + 'filenam'.length }, source: 'a.sql' });
});

test('statements that trace nothing, or depend on each other, are refused', async () => {
  const one = (text: string): ReturnType<typeof refusal> => refusal([{ name: '-e', text }]);
  assert.equal((await one(`EXPLAIN SELECT count(*) FROM ${OPENAT}`)).feature, 'EXPLAIN in bpfql run (it traces nothing)');
  assert.equal((await one('SHOW TABLES')).feature, 'SHOW TABLES in bpfql run (it traces nothing)');
  assert.equal((await one(`DESCRIBE ${OPENAT}`)).feature, 'DESCRIBE in bpfql run (it traces nothing)');
  assert.equal((await one(`INSERT INTO t SELECT count(*) FROM ${OPENAT}`)).feature, 'INSERT INTO in bpfql run (use CREATE TABLE ... AS)');
  const text = `CREATE TABLE t AS SELECT count(*) FROM ${OPENAT}; CREATE TABLE T AS SELECT count(*) FROM ${OPENAT}`;
  assert.deepEqual(await one(text), {
    code: 'unsupported', span: { start: text.lastIndexOf('CREATE'), end: text.length }, source: '-e', feature: 'a second query into table t',
  });
});

test('a kernel query inside another statement is refused with a way out', async () => {
  const text = `SELECT * FROM (SELECT comm FROM ${OPENAT}) JOIN read_parquet('x.parquet') USING (comm)`;
  assert.deepEqual(await refusal([{ name: '-e', text }]), {
    code: 'unsupported',
    span: { start: 0, end: text.length },
    source: '-e',
    feature: 'a kernel query inside another statement in bpfql run (make it CREATE TABLE t AS ..., then use t in a later statement)',
  });
});
