import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileKernelPlan } from '../../src/bpf-templates/compile.js';
import { parseHook, type Hook } from '../../src/catalog/hook.js';
import { describeSource, describeTableSource } from '../../src/catalog/table.js';
import { explainPlan } from '../../src/engine/explain.js';
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
  assert.equal(sourceOf('syscalls'), 'raw tracepoint raw_syscalls:sys_enter paired with raw tracepoint raw_syscalls:sys_exit');
  assert.equal(sourceOf('syscalls', classic), 'tracepoint raw_syscalls:sys_enter paired with tracepoint raw_syscalls:sys_exit');
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
