// Mistakes in a kernel query's DuckDB part, and other bad input, are found before anything is
// loaded: each is a diagnostic with a code and a range in the user's own text, and the (fake)
// kernel is never called.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QueryError, type Diagnostic } from '../../src/diag/diagnostic.js';
import { Engine } from '../../src/engine/engine.js';
import { setSys } from '../../src/kernel/sys.js';
import { FakeSys } from '../kernel/fake-sys.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

async function withEngine(f: (engine: Engine, fake: FakeSys) => Promise<void>): Promise<void> {
  const fake = new FakeSys();
  setSys(fake);
  const engine = await Engine.open({}, fixtureCatalog(), fixturePlannerEnv);
  try {
    await f(engine, fake);
  } finally {
    await engine.close();
    setSys(undefined);
  }
}

async function diagnosticOf(engine: Engine, sql: string): Promise<Diagnostic> {
  try {
    await engine.execute(sql);
  } catch (e) {
    if (e instanceof QueryError) return e.diagnostics[0]!;
    throw e;
  }
  throw new Error(`accepted: ${sql}`);
}

/** The text a diagnostic's range covers. */
function at(sql: string, d: Diagnostic): string {
  return sql.slice(d.span.start, d.span.end);
}

test('DuckDB-side mistakes are diagnostics at the user\'s own words, before the kernel is called', async () => {
  await withEngine(async (engine, fake) => {
    const cases: [string, string, string][] = [
      ['SELECT comm, cont(*) FROM exec GROUP BY comm FOR 3s', 'unknown-function', 'cont'],
      ['SELECT upper(pid) FROM exec FOR 3s', 'duckdb-error', 'upper'],
      ["SELECT pid FROM exec WHERE pid = 'x' FOR 3s", 'duckdb-error', "'x'"],
      ["SELECT pid FROM exec WHERE regexp_matches(filename, 'bin/(ls') FOR 3s", 'duckdb-error', "'bin/(ls'"],
      ['SELECT pid FROM exec ORDER BY 99 FOR 3s', 'bad-ordinal', '99'],
      ['SELECT comm FROM exec WHERE comm = "bash" FOR 3s', 'double-quoted-string', '"bash"'],
      ['CREATE TABLE bpfql_runs AS SELECT count(*) AS n FROM exec FOR 1s', 'duckdb-error', 'bpfql_runs'],
      ['EXPLAIN SELECT comm, cont(*) FROM exec GROUP BY comm', 'unknown-function', 'cont'],
      ['SELECT cnt(*) FROM (SELECT comm FROM exec) FOR 1s', 'unknown-function', 'cnt'],
    ];
    for (const [sql, code, words] of cases) {
      const d = await diagnosticOf(engine, sql);
      assert.equal(d.code, code, sql);
      assert.equal(at(sql, d), words, sql);
      assert.doesNotMatch(JSON.stringify(d.params), /__bpfql/, sql);
    }
    const cont = await diagnosticOf(engine, cases[0]![0]);
    assert.deepEqual(cont.params, { name: 'cont', suggestions: ['count'] });
    assert.equal(fake.bpfCalls.length + fake.perfCalls.length, 0);
  });
});

test('unknown tables get kernel and DuckDB names; bpftrace probes get bpfql\'s spelling', async () => {
  await withEngine(async (engine, fake) => {
    await engine.execute('CREATE TABLE execs_by_day AS SELECT 1 AS n');
    const exe = await diagnosticOf(engine, 'SELECT count(*) FROM exe');
    assert.equal(exe.code, 'unknown-table');
    assert.deepEqual([exe.span.start, exe.span.end], [21, 24]);
    assert.ok(exe.code === 'unknown-table' && exe.params.suggestions.includes('exec'));
    const opne = await diagnosticOf(engine, 'SELECT count(*) FROM opne FOR 2s');
    assert.ok(opne.code === 'unknown-table' && opne.params.suggestions[0] === 'open');
    const frm = await diagnosticOf(engine, 'SELECT count(*) FRM exec');
    assert.equal(frm.code, 'parse-error');
    const tp = await diagnosticOf(engine, 'SELECT count(*) FROM tracepoint:syscalls:sys_enter_openat');
    assert.equal(tp.code, 'probe-spelling');
    assert.ok(tp.code === 'probe-spelling' && tp.params.instead === 'tracepoint.syscalls.sys_enter_openat');
    assert.equal(at('SELECT count(*) FROM tracepoint:syscalls:sys_enter_openat', tp), 'tracepoint:syscalls:sys_enter_openat');
    const ur = await diagnosticOf(engine, 'SELECT count(*) FROM uretprobe:/bin/bash:readline');
    assert.ok(ur.code === 'probe-spelling' && ur.params.instead === "uretprobe('/bin/bash', 'readline')");
    const kp = await diagnosticOf(engine, 'SELECT count(*) FROM kprobe:vfs_read');
    assert.ok(kp.code === 'probe-spelling' && /kprobes .* do not attach/.test(kp.params.reason ?? ''));
    const dotted = await diagnosticOf(engine, 'SELECT * FROM syscalls.openat');
    assert.ok(dotted.code === 'unknown-table' && dotted.params.suggestions.includes('tracepoint.syscalls.sys_enter_openat'));
    const duckdbTable = await diagnosticOf(engine, 'SELECT * FROM execs_by_dya');
    assert.ok(duckdbTable.code === 'unknown-table' && duckdbTable.params.suggestions.includes('execs_by_day'));
    assert.equal(fake.bpfCalls.length + fake.perfCalls.length, 0);
  });
});

test('plain DuckDB errors are diagnostics at DuckDB\'s position; quoted words are not code', async () => {
  await withEngine(async (engine) => {
    const r = await engine.execute('SELECT 1 AS "from exec"');
    assert.ok(r.kind === 'rows' && r.result.columns[0]!.name === 'from exec');
    const sql = 'SELECT x FROM (SELECT 1 AS y)';
    const d = await diagnosticOf(engine, sql);
    assert.equal(d.code, 'duckdb-error');
    assert.equal(at(sql, d), 'x');
  });
});
