// Columns that may be NULL (see src/catalog/nulls.ts) in kernel plans: count(x) counts the events
// where x is not NULL and `x IS [NOT] NULL` tests x's raw value, as DuckDB would count and test the
// decoded value; every other column always has a value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disassemble } from '../../src/bpf/index.js';
import { compileKernelPlan } from '../../src/bpf-templates/compile.js';
import type { CpuState } from '../../src/functions/aggregate.js';
import { countAggregate } from '../../src/functions/count.js';
import { explainPlan } from '../../src/engine/explain.js';
import type { Column } from '../../src/catalog/column.js';
import { kernelNullValue, NO_STACK_ID } from '../../src/catalog/nulls.js';
import type { KernelTable } from '../../src/catalog/table.js';
import type { AggregateMode, Plan } from '../../src/planner/plan.js';
import { planQuery } from '../../src/planner/planner.js';
import { printKExpr } from '../../src/planner/print-kexpr.js';
import { Pushdown } from '../../src/planner/pushdown.js';
import { Scope } from '../../src/planner/scope.js';
import { parseStatement } from '../../src/query/parse.js';
import { Symbolizer } from '../../src/runtime/symbolize.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

function plan(sql: string): Plan {
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error('not a query');
  return planQuery(s.query, fixtureCatalog(), fixturePlannerEnv);
}

function aggregateMode(p: Plan): AggregateMode {
  assert.equal(p.kernel.mode.kind, 'aggregate');
  if (p.kernel.mode.kind !== 'aggregate') throw new Error('not aggregated in the kernel');
  return p.kernel.mode;
}

/** Every curated table of the fixture catalog (profile included). */
function curatedTables(): KernelTable[] {
  const catalog = fixtureCatalog();
  return catalog.curatedNames().flatMap((name) => {
    const r = catalog.resolve(name);
    return r.kind === 'table' ? [r.table] : [];
  });
}

test('count(ustack) in the kernel counts only the samples with a user stack id (not -EFAULT), count(*) every sample', () => {
  const p = plan('SELECT count(*) AS n, count(ustack) AS u, count(kstack) AS k FROM profile');
  const mode = aggregateMode(p);
  assert.deepEqual(mode.aggregates.map((a) => [a.name, a.fn, a.params.kind, a.arg ? printKExpr(a.arg) : '*', a.offset]), [
    ['a0', 'count', 'none', '*', 8],
    ['a1', 'count', 'non-null', `(ustack != ${NO_STACK_ID})`, 8],
    ['a2', 'count', 'non-null', `(kstack != ${NO_STACK_ID})`, 16],
  ]);
  assert.equal(mode.valueSize, 24);
  // The program tests each stack id against -EFAULT and adds the 0/1 result to its own counter.
  const compiled = compileKernelPlan(p.kernel, p.table);
  const code = disassemble(compiled.assembled);
  assert.equal(code.match(/if r\d != 0xfffffff2 goto/g)?.length, 2, code);
  assert.match(code, /r1 = \*\(u64 \*\)\(r10 -\d+\)\s+; count \+= \(x is not NULL\)\n\s+\d+: r2 = \*\(u64 \*\)\(r0 \+8\)\n\s+\d+: r2 \+= r1\n\s+\d+: \*\(u64 \*\)\(r0 \+8\) = r2/);
  // EXPLAIN says which count is which.
  const explained = explainPlan(p, compiled).split('\n');
  for (const line of ['  a0 count(*) = the event count -> s64', `  a1 count @8 = the events where (ustack != ${NO_STACK_ID}) -> s64`, `  a2 count @16 = the events where (kstack != ${NO_STACK_ID}) -> s64`]) {
    assert.ok(explained.includes(line), line);
  }
});

test('count(x) of every column that may be NULL, in every curated table, is planned as a count of its non-NULL values', () => {
  const nullable: string[] = [];
  const tables = curatedTables();
  assert.ok(tables.length >= 15, `${tables.length} curated tables`);
  for (const table of tables) {
    // The cgroup text columns are NULL or not by their cgroup's name, known in user space only:
    // count() of them is DuckDB's (test/planner/cgroup-filters.test.ts).
    for (const c of table.columns.filter((x: Column) => x.source.kind !== 'cgroup')) {
      const mode = aggregateMode(plan(`SELECT count(${c.name}) AS n FROM ${table.name}`));
      const [slot] = mode.aggregates;
      const nullValue = kernelNullValue(c);
      if (nullValue === undefined) {
        // A column that always has a value: count(x) is the event count, with no state of its own.
        assert.deepEqual([slot?.params.kind, slot?.arg], ['none', undefined], `${table.name}.${c.name}`);
        continue;
      }
      nullable.push(`${table.name}.${c.name}`);
      assert.equal(slot?.params.kind, 'non-null', `${table.name}.${c.name}`);
      assert.equal(slot?.arg && printKExpr(slot.arg), `(${c.name} != ${nullValue})`, `${table.name}.${c.name}`);
      assert.equal(mode.valueSize, 16);
    }
  }
  // The stack columns, which every table has, and kernel addresses named after the run (NULL when 0).
  const symbols = tables.flatMap((t) => t.columns.filter((c) => c.source.kind === 'kernel-symbol').map((c) => `${t.name}.${c.name}`));
  assert.deepEqual(symbols, ['packet_drops.location']);
  assert.deepEqual(nullable, tables.flatMap((t) => [...symbols.filter((s) => s.startsWith(`${t.name}.`)), `${t.name}.kstack`, `${t.name}.ustack`]));
});

test('a column that may be NULL is never a kernel value: only IS [NOT] NULL tests it there', () => {
  for (const table of curatedTables()) {
    const pushdown = new Pushdown(new Scope(table));
    for (const c of table.columns.filter((x: Column) => x.source.kind !== 'cgroup' && kernelNullValue(x) !== undefined)) {
      const ref = { kind: 'column', name: c.name, span: { start: 0, end: 0 } } as const;
      assert.equal(pushdown.offer(ref).ok, false, c.name);
      const test = pushdown.offer({ kind: 'is-null', operand: ref, negated: false, span: ref.span });
      assert.ok(test.ok, c.name);
      assert.equal(test.ok && printKExpr(test.expr), `(${c.name} = ${kernelNullValue(c)})`);
    }
  }
});

test('IS [NOT] NULL on a stack runs in the kernel; on a column that always has a value it folds to a constant', () => {
  const p = plan('SELECT count(*) AS n FROM profile WHERE kstack IS NULL AND ustack IS NOT NULL');
  aggregateMode(p);
  assert.equal(printKExpr(p.kernel.filter!), `((kstack = ${NO_STACK_ID}) AND (ustack != ${NO_STACK_ID}))`);
  assert.deepEqual(p.residualFilters, []);
  // comm and a decoded column always have a value.
  assert.equal(plan("SELECT count(*) AS n FROM syscalls WHERE comm IS NOT NULL AND syscall IS NOT NULL AND ret IS NOT NULL").kernel.filter, undefined);
  assert.equal(printKExpr(plan('SELECT count(*) AS n FROM exec WHERE comm IS NULL').kernel.filter!), '0');
});

test('the raw value the kernel tests for NULL is the one user space decodes to NULL', () => {
  const none = { frames: () => undefined, pidOf: () => undefined };
  const symbolizer = new Symbolizer(none, { kallsyms: () => '', maps: () => undefined, mappedFile: () => undefined });
  for (const space of ['kernel', 'user'] as const) {
    assert.equal(symbolizer.text(space, NO_STACK_ID), null);
    // A stack that existed but was lost is text, not NULL, in both plans.
    assert.equal(symbolizer.text(space, -17n), '[stack lost: error 17]');
  }
});

test('a count of non-NULL values adds up its counters over the CPUs; count(*) the event counts', () => {
  const view = new DataView(new ArrayBuffer(32));
  // CPU 0: 5 events, 3 with a value; CPU 1: 4 events, none with a value.
  view.setBigUint64(0, 5n, true);
  view.setBigUint64(8, 3n, true);
  view.setBigUint64(16, 4n, true);
  view.setBigUint64(24, 0n, true);
  const cpus: CpuState[] = [{ count: 5n, view, offset: 8 }, { count: 4n, view, offset: 24 }];
  assert.equal(countAggregate.finalize(cpus, true, { kind: 'non-null' }), 3n);
  assert.equal(countAggregate.finalize(cpus, true, { kind: 'none' }), 9n);
  assert.equal(countAggregate.stateBytes(true, { kind: 'non-null' }), 8);
  assert.equal(countAggregate.stateBytes(true, { kind: 'none' }), 0);
});
