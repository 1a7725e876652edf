import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QueryError } from '../../src/diag/diagnostic.js';
import { parseStatement } from '../../src/query/parse.js';
import type { Plan } from '../../src/planner/plan.js';
import { planQuery, type PlanOptions } from '../../src/planner/planner.js';
import { printKExpr } from '../../src/planner/print-kexpr.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

function plan(sql: string, opts: PlanOptions = {}): Plan {
  const s = parseStatement(sql);
  assert.equal(s.kind, 'query');
  if (s.kind !== 'query') throw new Error('not a query');
  return planQuery(s.query, fixtureCatalog(), fixturePlannerEnv, opts);
}

function planError(sql: string): { code: string; start: number; end: number; params: unknown } {
  try {
    plan(sql);
  } catch (e) {
    if (e instanceof QueryError) {
      const d = e.diagnostics[0]!;
      return { code: d.code, start: d.span.start, end: d.span.end, params: d.params };
    }
    throw e;
  }
  throw new Error(`planning '${sql}' succeeded`);
}

test('GROUP BY with count(*) aggregates in the kernel, DuckDB only renames', () => {
  const p = plan('SELECT comm, count(*) AS n FROM exec GROUP BY comm FOR 3s');
  assert.equal(p.kernel.mode.kind, 'aggregate');
  assert.ok(p.kernel.mode.kind === 'aggregate', p.kernel.mode.kind);
  assert.deepEqual(p.kernel.mode.keys.map((k) => [k.name, k.type.kind, k.offset, k.width]), [['k0', 'string', 0, 16]]);
  assert.deepEqual(p.kernel.mode.aggregates.map((a) => [a.name, a.fn]), [['a0', 'count']]);
  assert.equal(p.residualSql, 'SELECT k0 AS comm, a0 AS n FROM __bpfql_kernel');
  assert.equal(p.durationMs, 3000);
  assert.equal(p.kernel.filter, undefined);
});

test('every WHERE conjunct the kernel can evaluate is pushed, constants folded', () => {
  const p = plan("SELECT count(*) FROM exec WHERE pid > 10 * 10 AND comm = 'sh' AND NOT (uid = 0 OR gid BETWEEN 1 AND 3)");
  assert.equal(p.kernel.mode.kind, 'aggregate');
  assert.equal(printKExpr(p.kernel.filter!), "(((pid > 100) AND comm = 'sh') AND NOT (((uid = 0) OR ((gid >= 1) AND (gid <= 3)))))");
  assert.deepEqual(p.residualFilters, []);
});

test('a conjunct the kernel refuses stays in DuckDB and the query streams raw rows', () => {
  const p = plan("SELECT comm, count(*) FROM exec WHERE pid > 1 AND filename LIKE '%bin%' GROUP BY comm");
  assert.equal(p.kernel.mode.kind, 'stream');
  assert.equal(printKExpr(p.kernel.filter!), '(pid > 1)');
  assert.deepEqual(p.residualFilters, ["filename LIKE '%bin%'"]);
  assert.ok(p.kernel.mode.kind === 'stream', p.kernel.mode.kind);
  assert.deepEqual(p.kernel.mode.fields.map((f) => f.name), ['comm', 'filename']);
  assert.equal(p.residualSql, `SELECT comm AS comm, count(*) AS "count(*)" FROM __bpfql_kernel WHERE filename LIKE '%bin%' GROUP BY comm`);
});

test('kernelFilter: false keeps every conjunct for DuckDB', () => {
  const p = plan('SELECT comm FROM exec WHERE pid > 1', { kernelFilter: false });
  assert.equal(p.kernel.filter, undefined);
  assert.deepEqual(p.residualFilters, ['pid > 1']);
});

test('aggregates DuckDB must compute (DISTINCT, median) stream rows', () => {
  const p = plan('SELECT count(DISTINCT pid), median(pid) FROM exec');
  assert.equal(p.kernel.mode.kind, 'stream');
});

test('sum, min, max, avg of expressions are kernel aggregates; HAVING and ORDER BY go to DuckDB', () => {
  const p = plan('SELECT pid // 1000 AS bucket, sum(pid), min(pid), max(pid), avg(pid) FROM exec GROUP BY pid // 1000 HAVING count(*) > 2 ORDER BY bucket DESC LIMIT 5');
  assert.equal(p.kernel.mode.kind, 'aggregate');
  assert.ok(p.kernel.mode.kind === 'aggregate', p.kernel.mode.kind);
  assert.deepEqual(p.kernel.mode.aggregates.map((a) => `${a.fn}@${a.offset}`), ['sum@8', 'min@16', 'max@24', 'avg@32', 'count@40']);
  assert.equal(p.kernel.mode.valueSize, 40);
  assert.equal(p.residualSql, 'SELECT k0 AS bucket, a0 AS "sum(pid)", a1 AS "min(pid)", a2 AS "max(pid)", a3 AS "avg(pid)" FROM __bpfql_kernel WHERE a4 > 2 ORDER BY bucket DESC LIMIT 5');
});

test('ppid asks the environment for task_struct offsets; other queries do not', () => {
  let asked = 0;
  const env = { ...fixturePlannerEnv, memberOffset: (_s: string, m: string) => (asked++, m === 'real_parent' ? 8 : 4) };
  const q = (sql: string) => {
    const s = parseStatement(sql);
    if (s.kind !== 'query') throw new Error('not a query');
    return planQuery(s.query, fixtureCatalog(), env);
  };
  q('SELECT comm, count(*) FROM exec GROUP BY comm');
  assert.equal(asked, 0);
  const p = q('SELECT ppid, count(*) FROM exec GROUP BY ppid');
  assert.equal(asked, 2);
  assert.deepEqual(p.kernel.taskOffsets, { 'real_parent.tgid': [8, 4] });
});

test('unknown column: code, span and closest names', () => {
  const e = planError('SELECT nope FROM exec');
  assert.equal(e.code, 'unknown-column');
  assert.deepEqual([e.start, e.end], [7, 11]);
  const typo = planError('SELECT comm FROM exec WHERE filenme = 1');
  assert.deepEqual(typo.params, { name: 'filenme', table: 'exec', suggestions: ['filename'] });
});

test('unknown table suggests curated names', () => {
  const e = planError('SELECT comm FROM exex');
  assert.equal(e.code, 'unknown-table');
  assert.deepEqual([e.start, e.end], [17, 21]);
  assert.deepEqual(e.params, { name: 'exex', suggestions: ['exec', 'exit'] });
});

test('a column neither grouped nor aggregated is an error at the column', () => {
  const e = planError('SELECT comm, pid, count(*) FROM exec GROUP BY comm');
  assert.equal(e.code, 'not-grouped');
  assert.deepEqual([e.start, e.end], [13, 16]);
});

test('aggregates in WHERE and nested aggregates are errors', () => {
  assert.equal(planError('SELECT comm FROM exec WHERE count(*) > 1').code, 'aggregate-in-where');
  assert.equal(planError('SELECT sum(count(*)) FROM exec').code, 'nested-aggregate');
});

test('prefixes that cannot fit the buffer fold to constants', () => {
  const never = plan("SELECT count(*) FROM exec WHERE comm LIKE 'a-name-longer-than-sixteen%'");
  assert.equal(printKExpr(never.kernel.filter!), '0');
  const always = plan("SELECT count(*) FROM exec WHERE comm NOT LIKE 'a-name-longer-than-sixteen%' AND pid > 0");
  assert.equal(printKExpr(always.kernel.filter!), '(pid > 0)');
});

test('comparing comm with more than 15 bytes of text is an error at the text: it never matches', () => {
  const sql = "SELECT count(*) FROM exec WHERE comm = 'a-name-longer-than-sixteen'";
  const e = planError(sql);
  assert.equal(e.code, 'never-matches');
  assert.deepEqual([e.start, e.end], [sql.indexOf("'a-"), sql.length]);
  assert.deepEqual(e.params, { column: 'comm', value: 'a-name-longer-than-sixteen', length: 26, maxLength: 15 });
  assert.equal(planError("SELECT pid FROM exec WHERE comm IN ('bash', 'a-name-longer-than-sixteen')").code, 'never-matches');
  assert.equal(planError("SELECT pid FROM exec WHERE 'a-name-longer-than-sixteen' = comm").code, 'never-matches');
  // Inequality always holds: no error.
  assert.equal(plan("SELECT pid FROM exec WHERE 'a-name-longer-than-sixteen' != comm AND comm NOT IN ('a-name-longer-than-sixteen')").table, 'exec');
  // An address is text to the user but 16 bytes in the kernel: its text's length is no bound.
  assert.equal(plan("SELECT pid FROM tcp_connect WHERE daddr = '::ffff:127.0.0.1'").table, 'tcp_connect');
  // 15 bytes fit.
  assert.equal(plan("SELECT pid FROM exec WHERE comm = 'exactly-15-byte'").table, 'exec');
});

test('an IPv6 address or a stack longer than the bytes its column keeps in the kernel is no never-matches error: their text is made in user space', () => {
  // __u8[16] holds any IPv6 address, whose text may be up to 39 characters.
  for (const a of ['::ffff:127.0.0.1', '2001:db8:85a3:8d3:1319:8a2e:370:7348']) {
    assert.equal(plan(`SELECT count(*) FROM tracepoint.sock.inet_sock_set_state WHERE saddr_v6 = '${a}'`).table, 'tracepoint.sock.inet_sock_set_state');
    assert.equal(plan(`SELECT count(*) FROM tracepoint.sock.inet_sock_set_state WHERE daddr_v6 IN ('::1', '${a}')`).table, 'tracepoint.sock.inet_sock_set_state');
  }
  // A stack is an 8-byte id in the kernel and frames of text in DuckDB.
  assert.equal(plan("SELECT count(*) FROM profile WHERE kstack = 'do_syscall_64+0x80;entry_SYSCALL_64_after_hwframe+0x76'").table, 'profile');
  assert.equal(plan("SELECT count(*) FROM profile WHERE ustack != 'burn+0x4e;main+0x31;[libc.so.6]+0x2724a'").table, 'profile');
});

test('DuckDB shorthands: GROUP BY 1, GROUP BY ALL, ORDER BY 2 DESC and * EXCLUDE are written out', () => {
  const byOrdinal = plan('SELECT comm, count(*) AS n FROM exec GROUP BY 1 ORDER BY 2 DESC');
  assert.equal(byOrdinal.kernel.mode.kind, 'aggregate');
  assert.equal(byOrdinal.residualSql, 'SELECT k0 AS comm, a0 AS n FROM __bpfql_kernel ORDER BY n DESC');
  const all = plan('SELECT comm, uid, count(*) AS n FROM exec GROUP BY ALL');
  assert.equal(all.residualSql, 'SELECT k0 AS comm, k1 AS uid, a0 AS n FROM __bpfql_kernel');
  const excluded = plan('SELECT * EXCLUDE (ts, filename) FROM exec');
  assert.ok(!excluded.kernelColumns.some((c) => c.name === 'ts' || c.name === 'filename'));
  assert.ok(excluded.kernelColumns.some((c) => c.name === 'comm'));
});

test('an ordinal naming no SELECT item and an unknown EXCLUDE column are errors at them', () => {
  const sql = 'SELECT comm FROM exec GROUP BY comm ORDER BY 99';
  const e = planError(sql);
  assert.equal(e.code, 'bad-ordinal');
  assert.deepEqual([e.start, e.end], [sql.length - 2, sql.length]);
  assert.equal(planError('SELECT comm, count(*) FROM exec GROUP BY 0').code, 'bad-ordinal');
  const x = planError('SELECT * EXCLUDE (pdi) FROM exec');
  assert.equal(x.code, 'unknown-column');
  assert.deepEqual([x.start, x.end], [18, 21]);
});

test('a tracepoint table clashing with a common column gets the tp_ prefix', () => {
  const p = plan('SELECT tp_pid, count(*) FROM tracepoint.sched.sched_process_exec GROUP BY tp_pid');
  assert.equal(p.kernel.mode.kind, 'aggregate');
  assert.deepEqual(p.kernel.source, { kind: 'tracepoint', category: 'sched', event: 'sched_process_exec' });
});

test('cgroupId restricts every query to one cgroup in the kernel', () => {
  const p = plan('SELECT comm, count(*) FROM exec WHERE pid > 5 GROUP BY comm', { cgroupId: 4242n });
  assert.equal(printKExpr(p.kernel.filter!), '((cgroup_id = 4242) AND (pid > 5))');
  assert.equal(p.kernel.mode.kind, 'aggregate');
});

test('casts to integer types run in the kernel when the value always fits; others stay in DuckDB', () => {
  const p = plan('SELECT count(*) FROM exec WHERE CAST(pid AS BIGINT) > 7 AND CAST(uid AS UBIGINT) >= 0 AND CAST(44 AS TINYINT) = 44');
  assert.equal(printKExpr(p.kernel.filter!), '((pid > 7) AND (uid >= 0))');
  assert.deepEqual(p.residualFilters, []);
  const narrowing = plan('SELECT count(*) FROM exec WHERE CAST(pid AS SMALLINT) = 7 AND CAST(300 AS TINYINT) = 44');
  assert.deepEqual(narrowing.residualFilters, ['CAST(pid AS smallint) = 7', 'CAST(300 AS tinyint) = 44']);
  const d = plan("SELECT count(*) FROM exec WHERE CAST(pid AS VARCHAR) = '7'");
  assert.deepEqual(d.residualFilters, ["CAST(pid AS varchar) = '7'"]);
});
