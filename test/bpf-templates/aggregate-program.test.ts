// The aggregation program's shape, without a kernel: its maps, its stack, which paths exist, and
// that every aggregate's code assembles (labels unique, jumps resolved) alone and together.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disassemble } from '../../src/bpf/index.js';
import { compileKernelPlan, type CompiledProgram } from '../../src/bpf-templates/compile.js';
import { STAT_COUNT } from '../../src/bpf-templates/stats.js';
import { parseStatement } from '../../src/query/parse.js';
import type { Plan } from '../../src/planner/plan.js';
import { planQuery } from '../../src/planner/planner.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

function compile(sql: string): { plan: Plan; program: CompiledProgram } {
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error('not a query');
  const plan = planQuery(s.query, fixtureCatalog(), fixturePlannerEnv);
  assert.equal(plan.kernel.mode.kind, 'aggregate');
  return { plan, program: compileKernelPlan(plan.kernel, plan.table) };
}

const EXIT = 'tracepoint.syscalls.sys_exit_openat';

test('new keys are inserted from a zero value in an array map of the same value size', () => {
  const { plan, program } = compile(`SELECT comm, hist(ret) FROM ${EXIT} GROUP BY comm`);
  const mode = plan.kernel.mode;
  assert.equal(mode.kind === 'aggregate' && mode.valueSize, 8 + 65 * 8);
  assert.deepEqual(program.maps.map((m) => [m.name, m.type, m.keySize, m.valueSize, m.maxEntries]), [
    ['agg', 'percpu_hash', 16, 528, 15887],
    ['zero', 'array', 4, 528, 1],
    ['stats', 'percpu_array', 4, STAT_COUNT * 8, 1],
  ]);
});

test('every aggregate together fits the stack: states live in the map, only arguments on the stack', () => {
  const { plan, program } = compile(
    `SELECT comm, count(*), sum(ret), min(ret), max(ret), avg(ret), stddev(ret), hist(ret), lhist(ret, -100, 100, 7), quantile(ret, 0.3), p50(ret), p90(ret), p95(ret), p99(ret), p999(ret) FROM ${EXIT} GROUP BY comm`,
  );
  const mode = plan.kernel.mode;
  assert.ok(mode.kind === 'aggregate', mode.kind);
  // count, then sum, min, max, avg, stddev (40), hist (520), lhist (31 slots), one signed log-linear state.
  assert.equal(mode.valueSize, 8 + 8 * 4 + 40 + 520 + 31 * 8 + 2 * 1920 * 8);
  // The key (16, comm fetched into it), the arguments of the eight aggregates that update a
  // state (the quantiles but the first read its state), the u32 key: far below 512.
  assert.equal(program.stackBytes, 16 + 8 * 8 + 8);
  assert.ok(program.assembled.slots > 200);
});

test('min and max get a first-event path; aggregates whose zero state is neutral do not', () => {
  const withMin = disassemble(compile(`SELECT min(ret), sum(ret) FROM ${EXIT}`).program.assembled);
  assert.match(withMin, /first event of the key on this CPU/);
  assert.match(withMin, /min: first value/);
  const without = disassemble(compile(`SELECT sum(ret), hist(ret), stddev(ret) FROM ${EXIT}`).program.assembled);
  assert.doesNotMatch(without, /first event/);
});

test('quantiles of one argument update one shared state once; another argument gets its own', () => {
  const { plan, program } = compile('SELECT p50(count), p99(count), quantile(count, 0.75), p50(count + 1) FROM tracepoint.syscalls.sys_enter_read');
  const mode = plan.kernel.mode;
  assert.ok(mode.kind === 'aggregate', mode.kind);
  assert.deepEqual(mode.aggregates.map((a) => [a.name, a.fn, a.offset, a.stateOf ?? '-']), [
    ['a0', 'p50', 8, '-'],
    ['a1', 'p99', 8, 'a0'],
    ['a2', 'quantile', 8, 'a0'],
    ['a3', 'p50', 8 + 1920 * 8, '-'],
  ]);
  const text = disassemble(program.assembled);
  assert.equal(text.match(/quantile: log-linear bucket/g)?.length, 2);
});

test('unsigned arguments need no negative bucket code, signed ones do', () => {
  const unsigned = disassemble(compile(`SELECT hist(count), p50(count) FROM tracepoint.syscalls.sys_enter_read`).program.assembled);
  const signed = disassemble(compile(`SELECT hist(ret), p50(ret) FROM ${EXIT}`).program.assembled);
  // hist's x < 0 and the quantile's |x| appear only for signed arguments.
  assert.doesNotMatch(unsigned, / s[<>]=? /);
  assert.doesNotMatch(unsigned, /r1 = -r1/);
  assert.match(signed, /if r1 s< 0x0 goto/);
  assert.match(signed, /if r1 s>= 0x0 goto .*\n.*r1 = -r1\n.*r5 = 1920/);
});

test('lhist bounds beyond 32 bits are loaded with lddw; small ones are immediates', () => {
  const big = disassemble(compile(`SELECT lhist(ret, -10000000000, 10000000000, 100000000) FROM ${EXIT}`).program.assembled);
  assert.match(big, /r3 = 0xfffffffdabf41c00 ll\n.*if r1 s< r3 goto/);
  assert.match(big, /r3 = 0x2540be400 ll\n.*if r1 s>= r3 goto/);
  assert.match(big, /r1 \/= 100000000/);
  const small = disassemble(compile(`SELECT lhist(ret, 0, 100, 10) FROM ${EXIT}`).program.assembled);
  assert.doesNotMatch(small, /r3 = 0x[0-9a-f]+ ll/);
  assert.match(small, /if r1 s< 0x0 goto .*\n.*r2 = 11\n.*if r1 s>= 0x64 goto/);
});

test('EVERY: two aggregate maps and a one-slot array of maps; every lookup and update goes to the map in the slot', () => {
  const sql = `SELECT comm, count(*) FROM ${EXIT} GROUP BY comm`;
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error('not a query');
  const plan = planQuery(s.query, fixtureCatalog(), fixturePlannerEnv);
  const windowed = compileKernelPlan(plan.kernel, plan.table, { windowed: true });
  assert.equal(windowed.windowed, true);
  assert.deepEqual(windowed.maps.map((m) => [m.name, m.type, m.keySize, m.valueSize, m.maxEntries, m.inner]), [
    ['agg', 'percpu_hash', 16, 8, 65536, undefined],
    ['agg2', 'percpu_hash', 16, 8, 65536, undefined],
    ['window', 'array_of_maps', 4, 4, 1, 'agg'],
    ['zero', 'array', 4, 8, 1, undefined],
    ['stats', 'percpu_array', 4, STAT_COUNT * 8, 1, undefined],
  ]);
  const text = disassemble(windowed.assembled);
  // The slot is read once per event; the aggregate maps are never named directly.
  assert.equal(text.match(/map\[window\]/g)?.length, 1);
  assert.doesNotMatch(text, /map\[agg2?\]/);
  // Without EVERY: one map, named directly, and no slot.
  const plain = compile(sql).program;
  assert.equal(plain.windowed, false);
  assert.deepEqual(plain.maps.map((m) => m.name), ['agg', 'zero', 'stats']);
  assert.doesNotMatch(disassemble(plain.assembled), /map\[window\]/);
});

test('a comm key is fetched into the key itself, as a hand-written program does: no clearing, no copy', () => {
  const byComm = disassemble(compile(`SELECT comm, count(*) FROM ${EXIT} GROUP BY comm`).program.assembled);
  assert.doesNotMatch(byComm, /key: clear|k0 = comm/);
  assert.match(byComm, /call bpf_get_current_comm/);
  // Beside an integer key field, which writes its whole word, nothing is cleared either.
  const withPid = disassemble(compile(`SELECT comm, pid, count(*) FROM ${EXIT} GROUP BY comm, pid`).program.assembled);
  assert.doesNotMatch(withPid, /key: clear|k0 = comm/, withPid);
  assert.match(withPid, /call bpf_get_current_pid_tgid/);
  // Fetched earlier for a filter, comm is copied into the key as before.
  const filtered = disassemble(compile(`SELECT comm, count(*) FROM ${EXIT} WHERE comm != 'x' GROUP BY comm`).program.assembled);
  assert.match(filtered, /k0 = comm/);
});

test('an event whose key is in the map runs from the lookup to the exit without a taken jump; the insert comes after the exit', () => {
  for (const sql of [`SELECT comm, count(*) FROM ${EXIT} GROUP BY comm`, `SELECT pid, count(*), sum(ret) FROM ${EXIT} GROUP BY pid`]) {
    const text = disassemble(compile(sql).program.assembled);
    const hit = /call bpf_map_lookup_elem#1\n\s+\d+: if r0 == 0x0 goto \+\d+ <miss>\n([^]*?)\n\s+\d+: exit\n/.exec(text);
    assert.ok(hit, text);
    assert.doesNotMatch(hit[1]!, /goto/, text);
    assert.match(hit[1]!, /count \+= 1/);
    assert.match(text.slice(hit.index + hit[0].length), /^miss:\n[^]*call bpf_map_update_elem[^]*goto -\d+ <found>/, text);
  }
});

test('integer and string key fields write their words whole, so the key is not cleared first', () => {
  for (const sql of [`SELECT ret, count(*) FROM ${EXIT} GROUP BY ret`, 'SELECT filename, pid, count(*) FROM tracepoint.syscalls.sys_enter_openat GROUP BY filename, pid']) {
    const text = disassemble(compile(sql).program.assembled);
    assert.doesNotMatch(text, /key: clear/, text);
    assert.match(text, /; k0/, text);
  }
});
