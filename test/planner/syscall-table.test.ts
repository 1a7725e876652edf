// `syscall('<name>')`: one system call's entry and exit tracepoints paired, with its typed
// arguments, `ret` and `latency_ns`; unknown names get the closest ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QueryError } from '../../src/diag/diagnostic.js';
import { parseStatement } from '../../src/query/parse.js';
import type { Plan } from '../../src/planner/plan.js';
import { planQuery } from '../../src/planner/planner.js';
import { compileKernelPlan } from '../../src/bpf-templates/compile.js';
import { describeTableSource } from '../../src/catalog/table.js';
import { classify } from '../../src/engine/classify.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

function plan(sql: string): Plan {
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error('not a query');
  return planQuery(s.query, fixtureCatalog(), fixturePlannerEnv);
}

function planError(sql: string): { code: string; text: string; params: unknown } {
  try {
    plan(sql);
  } catch (e) {
    if (e instanceof QueryError) {
      const d = e.diagnostics[0]!;
      return { code: d.code, text: sql.slice(d.span.start, d.span.end), params: d.params };
    }
    throw e;
  }
  throw new Error(`planning '${sql}' succeeded`);
}

test("syscall('newfstatat'): its arguments typed from the entry's format, the path as text, ret and latency", () => {
  const table = fixtureCatalog().syscall('newfstatat');
  assert.equal(table.kind, 'table');
  if (table.kind !== 'table') return;
  const t = table.table;
  assert.equal(describeTableSource(t), 'tracepoint syscalls:sys_enter_newfstatat paired with tracepoint syscalls:sys_exit_newfstatat');
  const own = t.columns.filter((c) => ['dfd', 'filename', 'statbuf', 'flag', 'ret', 'latency_ns'].includes(c.name));
  assert.deepEqual(own.map((c) => [c.name, c.type, c.source]), [
    ['dfd', { kind: 'int', bits: 32, signed: true }, { kind: 'entry-field', index: 0, signed: true }],
    ['filename', { kind: 'string' }, { kind: 'entry-user-string', index: 1 }],
    ['statbuf', { kind: 'int', bits: 64, signed: false }, { kind: 'entry-field', index: 2, signed: false }],
    ['flag', { kind: 'int', bits: 32, signed: true }, { kind: 'entry-field', index: 3, signed: true }],
    ['ret', { kind: 'int', bits: 64, signed: true }, { kind: 'field', offset: 16, size: 8, signed: true }],
    ['latency_ns', { kind: 'int', bits: 64, signed: false }, { kind: 'latency' }],
  ]);
  assert.deepEqual(t.pairing?.saved, [
    { offset: 16, size: 4, signed: true }, { offset: 24, size: 8, signed: false }, { offset: 32, size: 8, signed: false }, { offset: 40, size: 4, signed: true },
  ]);
});

test("syscall('kill'): an argument named like a common column is tp_<name>; the plan compiles", () => {
  const p = plan("SELECT tp_pid, sig, ret, count(*) FROM syscall('kill') WHERE ret < 0 GROUP BY tp_pid, sig, ret");
  assert.equal(p.kernel.pairing?.key.kind, 'thread');
  assert.deepEqual(p.kernel.source, { kind: 'tracepoint', category: 'syscalls', event: 'sys_exit_kill' });
  assert.equal(compileKernelPlan(p.kernel, 'syscall').entries.length, 1);
  assert.deepEqual(planError("SELECT pid FROM syscall('kill') WHERE sigg = 0"), {
    code: 'unknown-column', text: 'sigg', params: { name: 'sigg', table: 'syscall', suggestions: ['sig'] },
  });
});

test('syscall() diagnostics point at the argument and name the closest system calls', () => {
  assert.deepEqual(planError("SELECT count(*) FROM syscall('newfstat')"), {
    code: 'unknown-syscall', text: "'newfstat'", params: { name: 'newfstat', suggestions: ['newfstatat'] },
  });
  assert.deepEqual(planError("SELECT count(*) FROM syscall('../../kill')"), {
    code: 'unknown-syscall', text: "'../../kill'", params: { name: '../../kill', suggestions: [] },
  });
  assert.deepEqual(planError("SELECT count(*) FROM syscall('exit_group')"), {
    code: 'table-unavailable', text: "'exit_group'",
    params: { name: "syscall('exit_group')", reason: 'exit_group never returns, so no call has a result; tracepoint.syscalls.sys_enter_exit_group has its calls' },
  });
  assert.equal(planError('SELECT count(*) FROM syscall()').code, 'wrong-arity');
  assert.deepEqual(planError('SELECT count(*) FROM syscall(kill)'), {
    code: 'bad-argument', text: 'kill', params: { name: 'syscall', reason: 'the system call name must be a string constant' },
  });
});

test('a query on syscall(…) is a kernel statement', () => {
  assert.equal(classify("SELECT count(*) FROM syscall('kill')", fixtureCatalog()), 'kernel');
});
