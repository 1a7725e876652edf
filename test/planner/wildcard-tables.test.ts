// `tracepoint.<category>.*`: every event of a category as one table, one program per event
// sharing one set of maps (KernelTable.also), each writing its own event's name into `probe`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QueryError } from '../../src/diag/diagnostic.js';
import { parseStatement } from '../../src/query/parse.js';
import type { Plan } from '../../src/planner/plan.js';
import { planQuery } from '../../src/planner/planner.js';
import { compileKernelPlan } from '../../src/bpf-templates/compile.js';
import { disassemble } from '../../src/bpf/index.js';
import { classify } from '../../src/engine/classify.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

function plan(sql: string): Plan {
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error('not a query');
  return planQuery(s.query, fixtureCatalog(), fixturePlannerEnv);
}

const TEXT_STORE = /^\s*\d+: \*\(u32 \*\)\(r10 -\d+\) = (-?\d+)/;

/** The text the program's 4-byte stack stores write. */
function storedText(lines: readonly string[]): string {
  const words = lines.flatMap((l) => {
    const m = TEXT_STORE.exec(l);
    if (!m) return [];
    const b = Buffer.alloc(4);
    b.writeInt32LE(Number(m[1]));
    return [b];
  });
  return Buffer.concat(words).toString('utf8').replace(/\0+$/, '');
}

/** The instructions but those stores, without their numbers (jump targets are labels' numbers, so only their count may differ). */
function withoutTextStores(lines: readonly string[]): string[] {
  return lines.filter((l) => !TEXT_STORE.test(l)).map((l) => l.replace(/^\s*\d+: /, '').replace(/ ; .*$/, ''));
}

const SCHED = ['sched_process_exec', 'sched_process_exit', 'sched_process_fork', 'sched_switch', 'sched_wakeup', 'sched_wakeup_new'];

test('tracepoint.sched.*: the common columns and probe; the first event is the source, the others further events', () => {
  const p = plan('SELECT probe, count(*) FROM tracepoint.sched.* GROUP BY probe');
  assert.deepEqual(p.kernel.source, { kind: 'tracepoint', category: 'sched', event: SCHED[0] });
  assert.deepEqual(p.kernel.also?.map((o) => o.source.kind === 'tracepoint' && o.source.event), SCHED.slice(1));
  assert.equal(p.kernel.mode.kind, 'aggregate');
  const compiled = compileKernelPlan(p.kernel, p.table);
  assert.equal(compiled.others.length, SCHED.length - 1);
  // Each copy writes its own event's name (4 bytes a store) and is otherwise the same program.
  const first = disassemble(compiled.assembled).split('\n');
  const wakeup = disassemble(compiled.others[SCHED.indexOf('sched_wakeup') - 1]!.assembled).split('\n');
  assert.equal(storedText(first), 'tracepoint:sched:sched_process_exec');
  assert.equal(storedText(wakeup), 'tracepoint:sched:sched_wakeup');
  assert.deepEqual(withoutTextStores(first), withoutTextStores(wakeup));
  // Names the kernel keeps whole (15 characters), one for each program.
  const names = [compiled.name, ...compiled.others.map((s) => s.name)];
  assert.equal(new Set(names).size, SCHED.length);
  for (const n of names) assert.ok(n.length <= 15, n);
});

test('probe is compared in the kernel; SELECT * has the common columns and probe', () => {
  const p = plan("SELECT count(*) FROM tracepoint.sched.* WHERE probe = 'tracepoint:sched:sched_switch'");
  assert.equal(p.kernel.filter?.kind !== undefined, true);
  assert.deepEqual(p.residualFilters, []);
  const star = plan('SELECT * FROM tracepoint.sched.*');
  assert.deepEqual(star.kernelColumns.map((c) => c.name), ['ts', 'cpu', 'pid', 'tid', 'ppid', 'uid', 'gid', 'comm', 'cgroup_id', 'probe']);
});

test('a category with no events is an unknown table with the closest names; the query is a kernel statement', () => {
  assert.throws(() => plan('SELECT count(*) FROM tracepoint.schde.*'), (e: unknown) => e instanceof QueryError && e.diagnostics[0]!.code === 'unknown-table');
  assert.equal(classify('SELECT count(*) FROM tracepoint.sched.*', fixtureCatalog()), 'kernel');
  assert.equal(classify('DESCRIBE tracepoint.sched.*', fixtureCatalog()), 'kernel');
});

test('tracepoint.sched.sched_process_*: a `*` right after a name takes the events that start so', () => {
  const p = plan('SELECT probe, count(*) FROM tracepoint.sched.sched_process_* GROUP BY probe');
  const events = [p.kernel.source, ...(p.kernel.also ?? []).map((o) => o.source)].map((s) => (s.kind === 'tracepoint' ? s.event : s.kind));
  assert.deepEqual(events, ['sched_process_exec', 'sched_process_exit', 'sched_process_fork']);
  // With a space the `*` is not part of the name: the statement does not parse.
  assert.throws(() => plan('SELECT count(*) FROM tracepoint.sched.sched_process_ * GROUP BY probe'), QueryError);
  // No event starts so: an unknown table.
  assert.throws(() => plan('SELECT count(*) FROM tracepoint.sched.nothing_*'), (e: unknown) => e instanceof QueryError && e.diagnostics[0]!.code === 'unknown-table');
});
