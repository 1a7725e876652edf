import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileKernelPlan } from '../../src/bpf-templates/compile.js';
import { HOOKS, parseHook, type Hook } from '../../src/catalog/hook.js';
import { describeSource, describeTableSource, hookName, type EventSource } from '../../src/catalog/table.js';
import { explainPlan } from '../../src/engine/explain.js';
import type { Plan } from '../../src/planner/plan.js';
import { planQuery } from '../../src/planner/planner.js';
import { parseStatement } from '../../src/query/parse.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

test('BPFQL_HOOK: unset or empty is the cheapest hook, tracepoint forces the classic one, anything else is refused', () => {
  assert.equal(parseHook(undefined), 'cheapest');
  assert.equal(parseHook(''), 'cheapest');
  assert.equal(parseHook('cheapest'), 'cheapest');
  assert.equal(parseHook('tracepoint'), 'tracepoint');
  assert.throws(() => parseHook('raw'), /^Error: BPFQL_HOOK is 'raw'; it takes 'cheapest' or 'tracepoint'$/);
});

test('a raw tracepoint source reads as such', () => {
  assert.equal(describeSource({ kind: 'raw-tracepoint', category: 'raw_syscalls', event: 'sys_exit' }), 'raw tracepoint raw_syscalls:sys_exit');
});

test('only tables that offer a raw shape move to raw tracepoints; the classic hook keeps every one', () => {
  const cheapest = fixtureCatalog();
  const classic = fixtureCatalog({}, 'tracepoint');
  const sourceOf = (name: string, catalog = cheapest): string => {
    const r = catalog.resolve(name);
    if (r.kind !== 'table') throw new Error(`${name}: ${r.kind}`);
    return describeTableSource(r.table);
  };
  const alone = 'alone when a query reads none of ts, cpu, ret, latency_ns, kstack, ustack';
  assert.equal(sourceOf('syscalls'), `raw tracepoint raw_syscalls:sys_enter paired with raw tracepoint raw_syscalls:sys_exit; raw tracepoint raw_syscalls:sys_enter ${alone}`);
  assert.equal(sourceOf('syscalls', classic), `tracepoint raw_syscalls:sys_enter paired with tracepoint raw_syscalls:sys_exit; tracepoint raw_syscalls:sys_enter ${alone}`);
  assert.equal(sourceOf('read'), 'tracepoint syscalls:sys_enter_read paired with tracepoint syscalls:sys_exit_read');
  assert.equal(sourceOf('tracepoint.raw_syscalls.sys_enter'), 'tracepoint raw_syscalls:sys_enter');
});

function explained(sql: string, hook?: Hook): string[] {
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error('not a query');
  const p = planQuery(s.query, fixtureCatalog({}, hook), fixturePlannerEnv);
  return explainPlan(p, compileKernelPlan(p.kernel, p.table)).split('\n');
}

test('EXPLAIN names the hook of the program and of its entry program', () => {
  const sql = "SELECT syscall, count(*) FROM syscalls WHERE ret = -3 GROUP BY syscall";
  const raw = explained(sql);
  assert.equal(raw.find((l) => l.startsWith('source:')), 'source:  raw tracepoint raw_syscalls:sys_exit (table syscalls)');
  assert.match(raw.find((l) => l.startsWith('entry:')) ?? '', /^entry: +\S+ on raw tracepoint raw_syscalls:sys_enter, \d+ instructions/);
  // ret is the exit's second argument: one load from the context at 8.
  assert.ok(raw.some((l) => /r\d = \*\(u64 \*\)\(r\d \+8\)\s+; ret/.test(l)), raw.join('\n'));
  const classic = explained(sql, 'tracepoint');
  assert.equal(classic.find((l) => l.startsWith('source:')), 'source:  tracepoint raw_syscalls:sys_exit (table syscalls)');
  assert.match(classic.find((l) => l.startsWith('entry:')) ?? '', /^entry: +\S+ on tracepoint raw_syscalls:sys_enter, \d+ instructions/);
  assert.ok(classic.some((l) => /r\d = \*\(u64 \*\)\(r\d \+16\)\s+; ret/.test(l)), classic.join('\n'));
});

function planned(sql: string, hook?: Hook): Plan {
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error('not a query');
  return planQuery(s.query, fixtureCatalog({}, hook), fixturePlannerEnv);
}

test('syscalls pairs entry and exit only for a query that reads what only the exit has (ret, latency_ns, ts, cpu, stacks, *)', () => {
  for (const hook of HOOKS) {
    const kind = hook === 'tracepoint' ? 'tracepoint' : 'raw tracepoint';
    for (const sql of [
      'SELECT comm, count(*) FROM syscalls GROUP BY comm',
      "SELECT syscall, count(*) AS n FROM syscalls WHERE pid = 7 AND syscall != 'read' GROUP BY ALL ORDER BY n DESC",
      'SELECT id, tid, ppid, uid, gid, cgroup_id FROM syscalls',
    ]) {
      const p = planned(sql, hook);
      assert.equal(describeSource(p.kernel.source), `${kind} raw_syscalls:sys_enter`, sql);
      assert.equal(p.kernel.pairing, undefined, sql);
      assert.equal(compileKernelPlan(p.kernel, p.table).entries.length, 0, sql);
    }
    for (const sql of [
      'SELECT comm, ret, count(*) FROM syscalls GROUP BY ALL',
      'SELECT max(latency_ns) FROM syscalls',
      'SELECT ts FROM syscalls',
      'SELECT cpu, count(*) FROM syscalls GROUP BY cpu',
      'SELECT kstack, count(*) FROM syscalls GROUP BY kstack',
      'SELECT * FROM syscalls',
      'SELECT count(*) FROM syscalls WHERE ret < 0',
    ]) {
      const p = planned(sql, hook);
      assert.equal(describeSource(p.kernel.source), `${kind} raw_syscalls:sys_exit`, sql);
      assert.notEqual(p.kernel.pairing, undefined, sql);
    }
  }
});

test('syscalls on its entry alone leaves out exit and exit_group, which make no pair either, and reads the id where each hook has it', () => {
  const raw = explained('SELECT comm, count(*) FROM syscalls GROUP BY comm');
  assert.equal(raw.find((l) => l.startsWith('source:')), 'source:  raw tracepoint raw_syscalls:sys_enter (table syscalls)');
  assert.equal(raw.find((l) => l.startsWith('filter:')), 'filter:  NOT (((id = 60) OR (id = 231)))');
  assert.equal(raw.filter((l) => l.startsWith('entry:')).length, 0);
  assert.ok(raw.some((l) => /r\d = \*\(u64 \*\)\(r\d \+8\)\s+; id/.test(l)), raw.join('\n'));
  const classic = explained('SELECT comm, count(*) FROM syscalls GROUP BY comm', 'tracepoint');
  assert.equal(classic.find((l) => l.startsWith('source:')), 'source:  tracepoint raw_syscalls:sys_enter (table syscalls)');
  assert.ok(classic.some((l) => /r\d = \*\(u64 \*\)\(r\d \+8\)\s+; id/.test(l)), classic.join('\n'));
});

test('exit goes on tp_btf where BTF has its event (with the typedef\'s id), else on the raw tracepoint; syscalls stays raw', () => {
  const source = (catalog: ReturnType<typeof fixtureCatalog>, name: string): EventSource => {
    const r = catalog.resolve(name);
    if (r.kind !== 'table') throw new Error(`${name}: ${r.kind}`);
    return r.table.source;
  };
  const btf = fixtureCatalog({}, undefined, { sched_process_exit: 4242, sys_enter: 11, sys_exit: 12 });
  assert.deepEqual(source(btf, 'exit'), { kind: 'btf-tracepoint', category: 'sched', event: 'sched_process_exit', btfId: 4242 });
  assert.equal(describeSource(source(btf, 'exit')), 'BTF-typed raw tracepoint (tp_btf) sched:sched_process_exit');
  assert.equal(source(btf, 'syscalls').kind, 'raw-tracepoint');
  assert.equal(source(fixtureCatalog({}, undefined, {}), 'exit').kind, 'raw-tracepoint');
  assert.equal(source(fixtureCatalog({}, 'tracepoint', { sched_process_exit: 4242 }), 'exit').kind, 'tracepoint');
  assert.equal(hookName(source(btf, 'exit')), 'tp_btf');
});

test('exit reads last_thread from its raw tracepoint\'s second argument, and the rest from the task, as on the classic hook', () => {
  const columns = (catalog: ReturnType<typeof fixtureCatalog>): Record<string, unknown> => {
    const r = catalog.resolve('exit');
    if (r.kind !== 'table') throw new Error(r.kind);
    return Object.fromEntries(r.table.columns.filter((c) => ['exit_code', 'lifetime_ns', 'last_thread'].includes(c.name)).map((c) => [c.name, [c.type, c.source]]));
  };
  const raw = columns(fixtureCatalog());
  const classic = columns(fixtureCatalog({}, 'tracepoint'));
  assert.deepEqual(raw['last_thread'], [{ kind: 'int', bits: 8, signed: false }, { kind: 'field', offset: 8, size: 1, signed: false }]);
  assert.deepEqual((classic['last_thread'] as unknown[])[0], { kind: 'int', bits: 8, signed: false });
  assert.deepEqual(raw['exit_code'], classic['exit_code']);
  assert.deepEqual(raw['lifetime_ns'], classic['lifetime_ns']);
});
