// kstack and ustack on every table: named, they are kernel values like any other (a group key in
// the kernel, a streamed field); `*` leaves them out except on profile, where stacks are the point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usesStacks } from '../../src/bpf-templates/stacks.js';
import { compileKernelPlan } from '../../src/bpf-templates/compile.js';
import type { Plan } from '../../src/planner/plan.js';
import { planQuery } from '../../src/planner/planner.js';
import { parseStatement } from '../../src/query/parse.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

function plan(sql: string): Plan {
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error('not a query');
  return planQuery(s.query, fixtureCatalog(), fixturePlannerEnv);
}

const names = (p: Plan): string[] => p.kernelColumns.map((c) => c.name);

test('SELECT * leaves the stack columns out of every table but profile', () => {
  for (const table of ['exec', 'syscalls', 'read', 'tracepoint.syscalls.sys_enter_openat', 'sched_switch']) {
    const p = plan(`SELECT * FROM ${table}`);
    assert.ok(!names(p).includes('kstack') && !names(p).includes('ustack'), table);
    assert.equal(usesStacks(p.kernel.columns), false, table);
  }
  assert.deepEqual(names(plan('SELECT * FROM profile')).slice(-2), ['kstack', 'ustack']);
});

test('SELECT *, kstack: the stack once, after the star', () => {
  const p = plan('SELECT *, kstack FROM exec');
  assert.ok(names(p).includes('kstack'));
  assert.match(p.residualSql, /^SELECT \* EXCLUDE \(kstack\), kstack AS kstack FROM/);
});

test('* EXCLUDE names only the columns * has', () => {
  assert.throws(() => plan('SELECT * EXCLUDE (kstack) FROM exec'), /unknown-column/);
  assert.doesNotThrow(() => plan('SELECT * EXCLUDE (kstack) FROM profile'));
});

test('a stack of any table is a group key in the kernel, read through the stack map', () => {
  for (const [table, stack] of [['tracepoint.syscalls.sys_enter_openat', 'kstack'], ['read', 'ustack'], ['sched_switch', 'kstack'], ['exec', 'ustack']] as const) {
    const p = plan(`SELECT ${stack}, count(*) AS n FROM ${table} GROUP BY ${stack}`);
    assert.equal(p.kernel.mode.kind, 'aggregate', table);
    const compiled = compileKernelPlan(p.kernel, table);
    assert.ok(compiled.maps.some((m) => m.type === 'stack_trace'), table);
  }
});
