import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decoderMacrosSql } from '../../src/catalog/decoders.js';
import { QueryError } from '../../src/diag/diagnostic.js';
import { formatDiagnostic } from '../../src/diag/messages.js';
import type { Plan } from '../../src/planner/plan.js';
import { KERNEL_TABLE } from '../../src/planner/plan.js';
import { planQuery, type PlanOptions } from '../../src/planner/planner.js';
import { printKExpr } from '../../src/planner/print-kexpr.js';
import { parseStatement } from '../../src/query/parse.js';
import { Session } from '../../src/store/session.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

function plan(sql: string, opts: PlanOptions = {}): Plan {
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error('not a query');
  return planQuery(s.query, fixtureCatalog(), fixturePlannerEnv, opts);
}

function planError(sql: string, opts: PlanOptions = {}): { code: string; text: string; params: unknown; message: string } {
  try {
    plan(sql, opts);
  } catch (e) {
    if (e instanceof QueryError) {
      const d = e.diagnostics[0]!;
      return { code: d.code, text: sql.slice(d.span.start, d.span.end), params: d.params, message: formatDiagnostic(d, sql) };
    }
    throw e;
  }
  throw new Error(`planning '${sql}' succeeded`);
}

/** syscalls on sys_enter alone (no column of the exit read) leaves out the calls that never return. */
const NEVER = 'NOT (((id = 60) OR (id = 231)))';

test('equality with a name is encoded and filtered in the kernel', () => {
  const p = plan("SELECT count(*) FROM syscalls WHERE syscall = 'openat'");
  assert.equal(printKExpr(p.kernel.filter!), `(${NEVER} AND (syscall = 257))`);
  assert.deepEqual(p.residualFilters, []);
  assert.equal(p.kernel.mode.kind, 'aggregate');
  const q = plan("SELECT count(*) FROM syscalls WHERE syscall IN ('read', 'write') AND 'close' != syscall AND syscall NOT IN ('futex')");
  assert.equal(printKExpr(q.kernel.filter!), `(((${NEVER} AND ((syscall = 0) OR (syscall = 1))) AND (syscall != 3)) AND NOT ((syscall = 202)))`);
});

test('dotted addresses, devices and states are encoded as the kernel stores them', () => {
  const p = plan("SELECT count(*) FROM tcp_state WHERE daddr = '127.0.0.1' AND newstate = 'CLOSE' AND family = 'AF_INET'");
  assert.equal(printKExpr(p.kernel.filter!), "((((protocol = 6) AND daddr = '127.0.0.1') AND (newstate = 7)) AND (family = 2))");
  // An address is compared as its 16 bytes and the socket's family (AF_INET6 = 10).
  const v6 = plan("SELECT count(*) FROM tcp_connect WHERE daddr = '::1'");
  const f = v6.kernel.filter!;
  assert.equal(printKExpr(f), "(((protocol = 6) AND (newstate = 2)) AND daddr = '::1')");
  const match = f.kind === 'and' ? f.right : undefined;
  assert.deepEqual(match?.kind === 'string-match' ? match.raw : undefined, [...Array<number>(15).fill(0), 1, 10, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(v6.residualFilters, []);
  const b = plan("SELECT count(*) FROM block_io WHERE dev = '254:0'");
  assert.equal(printKExpr(b.kernel.filter!), `(dev = ${254 << 20})`);
});

test('grouping by a decoded column groups raw values in the kernel and decodes in DuckDB', () => {
  const p = plan('SELECT syscall, count(*) AS n FROM syscalls GROUP BY syscall HAVING syscall != \'read\' ORDER BY syscall');
  assert.equal(p.kernel.mode.kind, 'aggregate');
  assert.ok(p.kernel.mode.kind === 'aggregate', p.kernel.mode.kind);
  assert.deepEqual(p.kernel.mode.keys.map((k) => [k.name, printKExpr(k.expr), k.type]), [['k0', 'syscall', { kind: 'int', bits: 64, signed: true }]]);
  assert.equal(p.residualSql, "SELECT bpfql_syscall_name(k0) AS syscall, a0 AS n FROM __bpfql_kernel WHERE bpfql_syscall_name(k0) != 'read' ORDER BY bpfql_syscall_name(k0)");
});

test('anything else on a decoded column streams the raw value and DuckDB decodes it', () => {
  const p = plan("SELECT syscall, min(latency_ns) FROM syscalls WHERE syscall LIKE 'read%' AND pid = 7 GROUP BY syscall");
  assert.equal(p.kernel.mode.kind, 'stream');
  assert.equal(printKExpr(p.kernel.filter!), '(pid = 7)');
  assert.ok(p.kernel.mode.kind === 'stream', p.kernel.mode.kind);
  assert.deepEqual(p.kernel.mode.fields.map((f) => f.name), ['syscall', 'latency_ns']);
  assert.equal(p.residualSql, "SELECT bpfql_syscall_name(syscall) AS syscall, min(latency_ns) AS \"min(latency_ns)\" FROM __bpfql_kernel WHERE bpfql_syscall_name(syscall) LIKE 'read%' GROUP BY bpfql_syscall_name(syscall)");
  // min() of a name is over text, so not a kernel aggregate of the raw number.
  assert.equal(plan('SELECT min(syscall) FROM syscalls').kernel.mode.kind, 'stream');
});

test('SELECT * replaces decoded columns by their text', () => {
  const p = plan('SELECT * FROM tcp_connect');
  // Addresses reach DuckDB as text already (the runtime makes it from their bytes).
  assert.equal(p.residualSql, 'SELECT * REPLACE (bpfql_address_family(family) AS family) FROM __bpfql_kernel');
});

test('a SELECT alias named like a decoded column is not decoded twice', () => {
  const p = plan('SELECT id AS syscall, latency_ns FROM syscalls ORDER BY syscall');
  assert.equal(p.residualSql, 'SELECT id AS syscall, latency_ns AS latency_ns FROM __bpfql_kernel ORDER BY syscall');
});

test('with kernelFilter off, DuckDB compares the decoded text', () => {
  const p = plan("SELECT count(*) FROM syscalls WHERE syscall = 'read'", { kernelFilter: false });
  // Only the table's own condition stays in the kernel.
  assert.equal(printKExpr(p.kernel.filter!), NEVER);
  assert.equal(p.residualSql, "SELECT count(*) AS \"count(*)\" FROM __bpfql_kernel WHERE bpfql_syscall_name(syscall) = 'read'");
});

test('a name no value has is an error at the constant, with the closest names', () => {
  for (const opts of [{}, { kernelFilter: false }]) {
    const e = planError("SELECT count(*) FROM syscalls WHERE syscall = 'reed'", opts);
    assert.equal(e.code, 'bad-value');
    assert.equal(e.text, "'reed'");
    assert.deepEqual(e.params, { column: 'syscall', value: 'reed', expected: 'syscall name', suggestions: ['read', 'readv', 'rseq'] });
  }
  const s = planError("SELECT count(*) FROM tcp_state WHERE newstate IN ('ESTABLISHED', 'TCP_CLOSE')");
  assert.equal(s.text, "'TCP_CLOSE'");
  assert.equal(s.message.split('\n')[0], "query:1:66: error[bad-value]: 'TCP_CLOSE' is not a value of column 'newstate' (a TCP state name); did you mean 'CLOSE'?");
  assert.equal(planError("SELECT count(*) FROM tcp_state WHERE saddr = '127.0.0.256'").code, 'bad-value');
  // Ordering compares text, so any text will do; a number is a type error.
  assert.equal(plan("SELECT count(*) FROM tcp_state WHERE newstate > 'C'").kernel.mode.kind, 'stream');
  const n = planError('SELECT count(*) FROM syscalls WHERE syscall = 0');
  assert.deepEqual([n.code, n.text], ['type-mismatch', '0']);
  // Also after aggregation in the kernel, where DuckDB would only find no rows.
  const h = planError("SELECT syscall, count(*) FROM syscalls GROUP BY syscall HAVING syscall IN ('read', 'reed')");
  assert.deepEqual([h.code, h.text], ['bad-value', "'reed'"]);
  // A SELECT alias named like the column is not the column.
  assert.equal(plan('SELECT id AS syscall, count(*) AS n FROM syscalls GROUP BY id HAVING syscall = 0').kernel.mode.kind, 'aggregate');
});

test("a table's own conditions are filtered in the kernel whatever the query says", () => {
  const p = plan('SELECT count(*) FROM tcp_connect WHERE dport = 80', { kernelFilter: false });
  assert.equal(printKExpr(p.kernel.filter!), '((protocol = 6) AND (newstate = 2))');
  assert.deepEqual(p.residualFilters, ['dport = 80']);
});

test('the residual SQL runs in DuckDB over raw kernel values and shows text', async () => {
  const session = await Session.open();
  try {
    await session.run(decoderMacrosSql());
    const run = async (p: Plan, create: string, insert: string): Promise<readonly (readonly unknown[])[]> => {
      await session.run(`CREATE OR REPLACE TABLE k (${create}); INSERT INTO k VALUES ${insert}`);
      return (await session.run(p.residualSql.replaceAll(KERNEL_TABLE, 'k'))).rows;
    };
    const agg = plan('SELECT syscall, count(*) AS n FROM syscalls GROUP BY syscall ORDER BY n DESC');
    assert.deepEqual(await run(agg, 'k0 BIGINT, a0 UBIGINT', '(0, 5), (257, 9), (999, 1)'), [['openat', 9], ['read', 5], ['syscall_999', 1]]);
    const star = plan('SELECT * FROM tcp_connect');
    if (star.kernel.mode.kind !== 'stream') throw new Error('expected streaming');
    const cols = star.kernelColumns.map((c) => `${c.name} ${c.type.kind === 'string' ? 'VARCHAR' : c.type.kind === 'timestamp' ? 'TIMESTAMP_NS' : 'BIGINT'}`).join(', ');
    const values = star.kernelColumns.map((c) => ({ family: '2', saddr: "'127.0.0.1'", daddr: "'127.0.0.1'", dport: '8080', comm: "'curl'", ts: "'2024-01-01'" })[c.name as 'family'] ?? '0').join(', ');
    const rows = await run(star, cols, `(${values})`);
    const names = star.kernelColumns.map((c) => c.name);
    assert.deepEqual(['family', 'saddr', 'daddr', 'dport', 'comm'].map((n) => rows[0]![names.indexOf(n)]), ['AF_INET', '127.0.0.1', '127.0.0.1', 8080, 'curl']);
  } finally {
    await session.close();
  }
});
