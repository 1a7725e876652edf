// Struct fields through BTF (planner/typed-fields.ts, member-paths.ts): paths from a tracepoint's
// arguments and from `current` become columns with their offsets; the query's columns pick the
// hook (tp_btf without record fields, classic with them); every refusal has a code and a span.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileKernelPlan } from '../../src/bpf-templates/compile.js';
import type { Hook } from '../../src/catalog/hook.js';
import { QueryError } from '../../src/diag/diagnostic.js';
import { explainPlan } from '../../src/engine/explain.js';
import type { Plan } from '../../src/planner/plan.js';
import { planQuery } from '../../src/planner/planner.js';
import { parseStatement } from '../../src/query/parse.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

/** The fixture events' btf_trace_<event> typedef ids: the kernel has BTF for them. */
const BTF_IDS = { sched_switch: 10294, kfree_skb: 20001 };

function plan(sql: string, hook?: Hook, btfIds: Readonly<Record<string, number>> = BTF_IDS): Plan {
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error('not a query');
  return planQuery(s.query, fixtureCatalog({}, hook, btfIds), fixturePlannerEnv);
}

function planError(sql: string, hook?: Hook): { code: string; text: string; params: unknown } {
  try {
    plan(sql, hook);
  } catch (e) {
    if (e instanceof QueryError) {
      const d = e.diagnostics[0]!;
      return { code: d.code, text: sql.slice(d.span.start, d.span.end), params: d.params };
    }
    throw e;
  }
  throw new Error(`planning '${sql}' succeeded`);
}

function source(p: Plan, name: string): unknown {
  return p.kernel.columns.find((c) => c.name === name)?.source;
}

const SWITCH = 'FROM tracepoint.sched.sched_switch';

test('next.comm and next.prio read through the argument at 16 (next), on tp_btf', () => {
  const p = plan(`SELECT next.comm, next.prio, count(*) ${SWITCH} GROUP BY next.comm, next.prio`);
  assert.deepEqual(p.kernel.source, { kind: 'btf-tracepoint', category: 'sched', event: 'sched_switch', btfId: 10294 });
  assert.deepEqual(source(p, 'next.comm'), { kind: 'kernel-path', from: 16, hops: [1896], size: 16, signed: false, text: true });
  assert.deepEqual(source(p, 'next.prio'), { kind: 'kernel-path', from: 16, hops: [156], size: 4, signed: true });
  assert.deepEqual(p.kernelColumns.map((c) => c.type.kind), ['string', 'int', 'int']);
  assert.match(p.residualSql, /AS "next\.comm"/);
});

test('a pointer in the middle of a path is followed; an embedded struct adds its offset', () => {
  const p = plan(`SELECT next.real_parent.tgid, prev.se.vruntime, prev.real_parent.real_parent.comm ${SWITCH}`);
  assert.deepEqual(source(p, 'next.real_parent.tgid'), { kind: 'kernel-path', from: 16, hops: [1280, 1268], size: 4, signed: true });
  assert.deepEqual(source(p, 'prev.se.vruntime'), { kind: 'kernel-path', from: 8, hops: [192 + 88], size: 8, signed: false });
  assert.deepEqual(source(p, 'prev.real_parent.real_parent.comm'), { kind: 'kernel-path', from: 8, hops: [1280, 1280, 1896], size: 16, signed: false, text: true });
});

test('skb.dev.name on kfree_skb: a pointer argument, then a pointer member, then a char array', () => {
  const p = plan('SELECT skb.dev.name, skb.len, count(*) FROM tracepoint.skb.kfree_skb GROUP BY ALL');
  assert.equal(p.kernel.source.kind, 'btf-tracepoint');
  assert.deepEqual(source(p, 'skb.dev.name'), { kind: 'kernel-path', from: 0, hops: [16, 0], size: 16, signed: false, text: true });
  assert.deepEqual(source(p, 'skb.len'), { kind: 'kernel-path', from: 0, hops: [112], size: 4, signed: false });
});

test('current.<path> reads the current task on every table and hook', () => {
  const classic = plan(`SELECT prev_comm, current.mm.total_vm ${SWITCH}`);
  assert.equal(classic.kernel.source.kind, 'tracepoint');
  assert.deepEqual(source(classic, 'current.mm.total_vm'), { kind: 'kernel-path', from: 'current', hops: [1136, 224], size: 8, signed: false });
  const exec = plan('SELECT current.real_parent.pid, count(*) FROM exec GROUP BY ALL');
  assert.deepEqual(source(exec, 'current.real_parent.pid'), { kind: 'kernel-path', from: 'current', hops: [1280, 1264], size: 4, signed: true });
  const wildcard = plan('SELECT probe, current.comm, count(*) FROM tracepoint.sched.* GROUP BY ALL');
  for (const o of wildcard.kernel.also ?? []) assert.ok(o.columns.some((c) => c.name === 'current.comm'));
  const paired = plan('SELECT current.comm, count(*) FROM syscalls GROUP BY ALL');
  assert.ok(paired.kernel.columns.some((c) => c.name === 'current.comm'));
});

test('a scalar argument is a column of the tp_btf table: its low bytes of the 8-byte slot', () => {
  const p = plan(`SELECT preempt, count(*) ${SWITCH} GROUP BY preempt`);
  assert.equal(p.kernel.source.kind, 'btf-tracepoint');
  assert.deepEqual(source(p, 'preempt'), { kind: 'field', offset: 0, size: 1, signed: false });
});

test('hook choice: common columns alone and arguments go on tp_btf, record fields stay classic', () => {
  assert.equal(plan(`SELECT comm, count(*) ${SWITCH} GROUP BY comm`).kernel.source.kind, 'btf-tracepoint');
  assert.equal(plan(`SELECT next_comm, count(*) ${SWITCH} GROUP BY next_comm`).kernel.source.kind, 'tracepoint');
  assert.equal(plan(`SELECT * ${SWITCH}`).kernel.source.kind, 'tracepoint');
  // A name that is a record field and an argument: the record field alone, the argument beside other arguments.
  assert.equal(plan(`SELECT prev_state ${SWITCH}`).kernel.source.kind, 'tracepoint');
  const beside = plan(`SELECT next.comm, prev_state ${SWITCH}`);
  assert.equal(beside.kernel.source.kind, 'btf-tracepoint');
  assert.deepEqual(source(beside, 'prev_state'), { kind: 'field', offset: 24, size: 4, signed: false });
  assert.deepEqual(source(plan('SELECT skb.len, reason FROM tracepoint.skb.kfree_skb'), 'reason'), { kind: 'field', offset: 24, size: 4, signed: false });
  // Forced classic, or without BTF for the event: the classic hook.
  assert.equal(plan(`SELECT comm ${SWITCH}`, 'tracepoint').kernel.source.kind, 'tracepoint');
  assert.equal(plan(`SELECT comm ${SWITCH}`, undefined, {}).kernel.source.kind, 'tracepoint');
  // A qualifier that is no argument keeps its meaning: the table's column.
  assert.equal(source(plan(`SELECT sched_switch.next_pid ${SWITCH}`), 'next_pid') !== undefined, true);
});

test('arguments and record fields in one query: refused at the argument, naming the field', () => {
  assert.deepEqual(planError(`SELECT next.comm, prev_comm ${SWITCH}`), { code: 'arguments-with-fields', text: 'next', params: { argument: 'next', field: 'prev_comm' } });
  assert.deepEqual(planError(`SELECT preempt ${SWITCH} WHERE next_pid = 1`), { code: 'arguments-with-fields', text: 'preempt', params: { argument: 'preempt', field: 'next_pid' } });
  assert.deepEqual(planError(`SELECT *, next.prio ${SWITCH}`).params, { argument: 'next', field: '*' });
});

test('BPFQL_HOOK=tracepoint: arguments are refused with the reason', () => {
  const e = planError(`SELECT next.prio ${SWITCH}`, 'tracepoint');
  assert.equal(e.code, 'arguments-need-raw-hook');
  assert.equal(e.text, 'next');
});

test('path diagnostics: caret on the bad part, closest member names', () => {
  assert.deepEqual(planError(`SELECT next.prioo ${SWITCH}`), { code: 'unknown-member', text: 'prioo', params: { struct: 'struct task_struct', member: 'prioo', suggestions: ['prio'] } });
  assert.deepEqual(planError(`SELECT next.real_parent.tgdi ${SWITCH}`).text, 'tgdi');
  assert.deepEqual(planError(`SELECT next.prio.x ${SWITCH}`), { code: 'no-members', text: 'x', params: { path: 'next.prio', type: 'int' } });
  assert.deepEqual(planError(`SELECT next.comm.x ${SWITCH}`), { code: 'no-members', text: 'x', params: { path: 'next.comm', type: 'char[16]' } });
  assert.deepEqual(planError(`SELECT preempt.x ${SWITCH}`).code, 'no-members');
  assert.deepEqual(planError(`SELECT next.se ${SWITCH}`), { code: 'unsupported-member', text: 'se', params: { path: 'next.se', type: 'struct sched_entity', reason: 'name one of its members' } });
  assert.deepEqual(planError(`SELECT next.cpus_mask.bits ${SWITCH}`).code, 'unsupported-member');
  assert.deepEqual(planError(`SELECT next.in_execve ${SWITCH}`), { code: 'unsupported-member', text: 'in_execve', params: { path: 'next.in_execve', type: 'unsigned int', reason: 'it is a bitfield' } });
  assert.deepEqual(planError(`SELECT nxt.real_parent.pid ${SWITCH}`), { code: 'unknown-column', text: 'nxt', params: { name: 'nxt', table: 'tracepoint.sched.sched_switch', suggestions: ['next'] } });
  assert.deepEqual(planError('SELECT current.prioo FROM exec'), { code: 'unknown-member', text: 'prioo', params: { struct: 'struct task_struct', member: 'prioo', suggestions: ['prio'] } });
});

test('EXPLAIN shows tp_btf and the path reads; the program compiles', () => {
  const p = plan(`SELECT next.real_parent.tgid, next.comm, count(*) ${SWITCH} GROUP BY ALL`);
  const program = compileKernelPlan(p.kernel, p.table);
  const text = explainPlan(p, program);
  assert.match(text, /source: {2}BTF-typed raw tracepoint \(tp_btf\) sched:sched_switch/);
  assert.match(text, /next\.real_parent\.tgid: from the argument at 16/);
  assert.match(text, /follow the pointer/);
  assert.match(text, /r3 \+= 1268/);
});

// catalog/record-copies.ts: raw_syscalls' id (sys_enter) and ret (sys_exit) are their arguments copied.
const RAW_SYSCALLS_BTF = { sys_enter: 30001, sys_exit: 30002 };

test('a record field that copies its argument is read from the argument, on tp_btf', () => {
  const p = plan("SELECT id, count(*) FROM tracepoint.raw_syscalls.sys_enter WHERE comm = 'x' GROUP BY id", undefined, RAW_SYSCALLS_BTF);
  assert.deepEqual(p.kernel.source, { kind: 'btf-tracepoint', category: 'raw_syscalls', event: 'sys_enter', btfId: 30001 });
  assert.deepEqual(source(p, 'id'), { kind: 'field', offset: 8, size: 8, signed: true });
  const exit = plan('SELECT ret, count(*) FROM tracepoint.raw_syscalls.sys_exit GROUP BY ret', undefined, RAW_SYSCALLS_BTF);
  assert.deepEqual(exit.kernel.source, { kind: 'btf-tracepoint', category: 'raw_syscalls', event: 'sys_exit', btfId: 30002 });
});

test('a copied field beside a field of the record alone stays on the classic hook, with no refusal', () => {
  const enter = plan('SELECT id, args FROM tracepoint.raw_syscalls.sys_enter', undefined, RAW_SYSCALLS_BTF);
  assert.deepEqual(enter.kernel.source, { kind: 'tracepoint', category: 'raw_syscalls', event: 'sys_enter' });
  // sys_exit's id is computed from the registers: only ret is a copy.
  const exit = plan('SELECT id, ret FROM tracepoint.raw_syscalls.sys_exit', undefined, RAW_SYSCALLS_BTF);
  assert.deepEqual(exit.kernel.source, { kind: 'tracepoint', category: 'raw_syscalls', event: 'sys_exit' });
});

test('a copied field beside an argument goes to tp_btf; BPFQL_HOOK=tracepoint keeps it classic', () => {
  const p = plan('SELECT id, regs FROM tracepoint.raw_syscalls.sys_enter', undefined, RAW_SYSCALLS_BTF);
  assert.equal(p.kernel.source.kind, 'btf-tracepoint');
  const classic = plan('SELECT id, count(*) FROM tracepoint.raw_syscalls.sys_enter GROUP BY id', 'tracepoint', RAW_SYSCALLS_BTF);
  assert.deepEqual(classic.kernel.source, { kind: 'tracepoint', category: 'raw_syscalls', event: 'sys_enter' });
});
