// Paired tables without a kernel: which part of WHERE the entry programs decide, the pairing
// map's kind and size, what the entry saves of its task, and what each entry program does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disassemble } from '../../src/bpf/index.js';
import { compileKernelPlan, type CompiledProgram } from '../../src/bpf-templates/compile.js';
import { printKExpr } from '../../src/planner/print-kexpr.js';
import { parseStatement } from '../../src/query/parse.js';
import type { Plan } from '../../src/planner/plan.js';
import type { PlanOptions } from '../../src/planner/planner.js';
import { planQuery } from '../../src/planner/planner.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

function compile(sql: string, opts: PlanOptions = {}): { plan: Plan; program: CompiledProgram } {
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error('not a query');
  const plan = planQuery(s.query, fixtureCatalog(), fixturePlannerEnv, opts);
  return { plan, program: compileKernelPlan(plan.kernel, plan.table) };
}

function entryFilters(p: CompiledProgram): (string | undefined)[] {
  return p.entries.map((e) => (e.filter ? printKExpr(e.filter) : undefined));
}

test('the entry decides the conjuncts it knows: the thread, saved fields; not the exit record or latency', () => {
  const { program } = compile("SELECT count(*) FROM read WHERE pid = 7 AND fd = 3 AND returned > 0 AND latency_ns > 10 AND comm = 'cat'");
  // comm is the exit's (execve and prctl change it during a call): it is judged at the exit only.
  assert.deepEqual(entryFilters(program), ['((pid = 7) AND (fd = 3))']);
  // fd is read from the entry record itself: the low 4 bytes of the 8-byte argument at offset 16.
  assert.match(disassemble(program.entries[0]!.assembled), /r1 = \*\(u32 \*\)\(r6 \+16\)\s+; fd: record field at 16/);
});

test('a conjunct with an OR that reaches the exit record stays with the exit alone', () => {
  const { program } = compile('SELECT count(*) FROM read WHERE (pid = 7 OR returned = 0) AND fd = 1');
  assert.deepEqual(entryFilters(program), ['(fd = 1)']);
});

test('bpfql run: the cgroup filter reaches the entry, so other cgroups open no pairs', () => {
  const { program } = compile('SELECT max(latency_ns) FROM syscalls', { cgroupId: 77n });
  assert.deepEqual(entryFilters(program), ['(cgroup_id = 77)']);
});

test('the pairing map is a plain hash (no silent eviction), sized by --max-keys', () => {
  const pairs = (p: CompiledProgram): (string | number)[] | undefined => {
    const m = p.maps.find((x) => x.name === 'pairs');
    return m && [m.type, m.keySize, m.valueSize, m.maxEntries];
  };
  assert.deepEqual(pairs(compile('SELECT count(*) FROM read').program), ['hash', 8, 24, 16384]);
  assert.deepEqual(pairs(compile('SELECT count(*) FROM read', { maxEntries: 4 }).program), ['hash', 8, 24, 4]);
});

test('syscalls: exit and exit_group open no pair; a failed insert counts a lost pair', () => {
  const text = disassemble(compile('SELECT count(*) FROM syscalls WHERE ret < 0').program.entries[0]!.assembled);
  assert.match(text, /if r1 == 0x3c goto .*; 60 never returns/);
  assert.match(text, /if r1 == 0xe7 goto .*; 231 never returns/);
  assert.match(text, /if r0 s< 0x0 goto \+\d+ <out_lost>\n.*\nout_lost:\n.*; count lostPairs/);
});

test('an exit without its entry counts nothing: it is outside the window', () => {
  const text = disassemble(compile('SELECT count(*) FROM read').program.assembled);
  assert.doesNotMatch(text, /count lostPairs/);
  assert.match(text, /call bpf_map_lookup_elem#1\n\s+\d+: if r0 == 0x0 goto \+\d+ <out>/);
});

test('block_io: the entry saves the submitter only as far as the query reads it', () => {
  const size = (sql: string): number | undefined => compile(sql).program.maps.find((m) => m.name === 'pairs')?.valueSize;
  assert.equal(size('SELECT count(*) FROM block_io'), 16);
  // pid_tgid, then comm's 16 bytes.
  assert.equal(size('SELECT pid, comm, count(*) FROM block_io GROUP BY pid, comm'), 16 + 8 + 16);
  const { program } = compile("SELECT count(*) FROM block_io WHERE comm = 'dd'");
  assert.deepEqual(program.entries.map((e) => e.source), [
    { kind: 'tracepoint', category: 'block', event: 'block_rq_issue' },
    { kind: 'tracepoint', category: 'block', event: 'block_io_start' },
  ]);
  assert.deepEqual(entryFilters(program), ["comm = 'dd'", "comm = 'dd'"]);
  // block_rq_issue keeps the task of an open pair and renews its time; block_io_start opens it.
  assert.match(disassemble(program.entries[0]!.assembled), /an open pair keeps its task/);
  assert.doesNotMatch(disassemble(program.entries[1]!.assembled), /an open pair keeps its task/);
});

test('runq_latency: wakeups and new tasks open pairs, and the switch reopens one for a runnable prev', () => {
  const { program } = compile('SELECT count(*) FROM runq_latency');
  assert.deepEqual(program.entries.map((e) => [e.name, e.source.kind === 'tracepoint' && e.source.event]), [
    ['bpfql_runq_in0', 'sched_wakeup'],
    ['bpfql_runq_in1', 'sched_wakeup_new'],
  ]);
  const text = disassemble(program.assembled);
  assert.match(text, /r1 = \*\(u64 \*\)\(r6 \+32\)\s+; still runnable\?\n\s+\d+: if r1 & 0xff goto/);
  assert.match(text, /r1 = \*\(u32 \*\)\(r6 \+24\)\n\s+\d+: if r1 == 0x0 goto/);
});

test('a WHERE that is always false opens no pair', () => {
  const { program } = compile('SELECT ts FROM syscalls WHERE 74 IS NULL');
  assert.deepEqual(entryFilters(program), ['0']);
  assert.equal(disassemble(program.entries[0]!.assembled), disassemble(program.assembled));
});
