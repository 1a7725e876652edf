// Struct fields through BTF on the real kernel. A workload of the test's (a unique comm, nice 5,
// in a cgroup the test makes) sleeps a known number of times; over the same run, bpfql reads
// sched_switch's `next` and `prev` task_structs on tp_btf and bpftrace reads the formatted
// record's next_comm, next_prio and prev_comm: the counts per key must be equal. A path two
// pointers deep (prev.real_parent.tgid) must be the test's own pid, the workload's parent; and
// the classic hook (a record field) must count what tp_btf (an argument's member) counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Outcome } from '../../src/engine/engine.js';
import { Engine } from '../../src/engine/engine.js';
import { CommandCgroup, findCgroup2 } from '../../src/kernel/cgroup.js';
import { Bpftrace, bpftraceSkip } from '../helpers/bpftrace.js';
import { Workload, workloadSkip } from '../helpers/c-workload.js';
import { kernelSkip } from '../helpers/workload.js';

const skip = kernelSkip() || workloadSkip() || bpftraceSkip();
const SLEEPS = 40;
const NICE = 5;
/** A task's prio is 120 + its nice value (kernel/sched: NICE_TO_PRIO). */
const PRIO = 120 + NICE;

/** Runs each query on an engine of its own, all attached before the workload starts, until it ends. */
async function together(engines: readonly Engine[], sqls: readonly string[], work: () => Promise<unknown>): Promise<Outcome[]> {
  const attached = sqls.map(() => {
    let done!: () => void;
    return { ready: new Promise<void>((resolve) => (done = resolve)), done: () => done() };
  });
  // The workload's last switches come after it exits; a short settle keeps them in the window.
  const until = Promise.all(attached.map((a) => a.ready)).then(work).then(() => sleep(300));
  const outcomes = await Promise.all(sqls.map((sql, i) => engines[i]!.execute(sql, { onAttached: attached[i]!.done, until })));
  await until;
  return outcomes;
}

function rowsOf(o: Outcome): readonly (readonly unknown[])[] {
  if (o.kind !== 'rows' || o.kernel === undefined) throw new Error('no kernel rows');
  return o.result.rows;
}

function hookOf(o: Outcome): string {
  if (o.kind !== 'rows' || o.kernel === undefined) throw new Error('no kernel rows');
  return o.kernel.plan.kernel.source.kind;
}

test('next.comm, next.prio and prev.comm equal bpftrace\'s record fields; prev.real_parent.tgid is the parent', { skip }, async () => {
  const w = await Workload.start('bqbtf', ['sleep', String(SLEEPS), '2']);
  const cgroup = CommandCgroup.create(findCgroup2(), `bpfql-test-btf-${process.pid}`);
  let bt: Bpftrace | undefined;
  const engines = [await Engine.open(), await Engine.open(), await Engine.open()];
  try {
    writeFileSync(cgroup.procsFile, String(w.pid));
    setPriority(w.pid, NICE);
    bt = await Bpftrace.start([
      `tracepoint:sched:sched_switch /args->next_comm == "${w.comm}"/ { @next[args->next_comm, args->next_prio] = count(); }`,
      `tracepoint:sched:sched_switch /cgroup == ${cgroup.id}/ { @prev[args->prev_comm] = count(); }`,
    ].join('\n'));
    const table = 'tracepoint.sched.sched_switch';
    const [next, prev, classic] = await together(engines, [
      `SELECT next.comm, next.prio, count(*) FROM ${table} WHERE next.comm = '${w.comm}' GROUP BY next.comm, next.prio`,
      `SELECT prev.comm, prev.real_parent.tgid, current.real_parent.tgid, count(*) FROM ${table} WHERE cgroup_id = ${cgroup.id} GROUP BY ALL`,
      `SELECT prev_comm, count(*) FROM ${table} WHERE cgroup_id = ${cgroup.id} GROUP BY prev_comm`,
    ], () => w.go());
    const out = await bt.stop();
    const theirNext = [...out.matchAll(/^@next\[([^,\]]*), (-?\d+)\]: (\d+)$/gm)].map((m) => [m[1], Number(m[2]), Number(m[3])]);
    const theirPrev = Bpftrace.counts(out, 'prev');

    assert.equal(hookOf(next!), 'btf-tracepoint');
    assert.equal(hookOf(prev!), 'btf-tracepoint');
    assert.equal(hookOf(classic!), 'tracepoint');
    const ourNext = rowsOf(next!).map((r) => [r[0], Number(r[1]), Number(r[2])]);
    assert.deepEqual(ourNext, theirNext, out);
    assert.equal(ourNext.length, 1);
    assert.equal(ourNext[0]![1], PRIO);
    // Each sleep switches the workload in at least once when it wakes.
    assert.ok(Number(ourNext[0]![2]) >= SLEEPS, `${String(ourNext[0]![2])} switches in for ${SLEEPS} sleeps`);

    const ourPrev = rowsOf(prev!);
    assert.equal(ourPrev.length, 1, JSON.stringify(ourPrev));
    const [comm, parent, currentParent, n] = ourPrev[0]!;
    assert.equal(comm, w.comm);
    assert.equal(Number(parent), process.pid);
    assert.equal(Number(currentParent), process.pid);
    assert.deepEqual(new Map([[w.comm, Number(n)]]), theirPrev);
    assert.ok(Number(n) >= SLEEPS);
    // The classic hook's record field counts what tp_btf's argument counted.
    assert.deepEqual(rowsOf(classic!).map((r) => [r[0], Number(r[1])]), [[comm, Number(n)]]);
  } finally {
    bt?.kill();
    for (const e of engines) await e.close();
    w.remove();
    assert.ok(await cgroup.remove(5000), `${cgroup.dir} still holds processes`);
  }
});

test('DESCRIBE STRUCT and DESCRIBE of a tracepoint read the running kernel\'s BTF', { skip: kernelSkip() }, async () => {
  const engine = await Engine.open();
  try {
    const described = await engine.execute('DESCRIBE tracepoint.sched.sched_switch');
    assert.equal(described.kind, 'rows');
    if (described.kind !== 'rows') return;
    const next = described.result.rows.find((r) => r[0] === 'next');
    assert.equal(next?.[1], 'struct task_struct *');
    const struct = await engine.execute('DESCRIBE STRUCT task_struct');
    if (struct.kind !== 'rows') throw new Error('no rows');
    const prio = struct.result.rows.find((r) => r[0] === 'prio');
    assert.deepEqual(prio?.slice(1, 2), ['int']);
    assert.ok(struct.result.rows.some((r) => r[0] === 'comm' && r[1] === 'char[16]'));
  } finally {
    await engine.close();
  }
});
