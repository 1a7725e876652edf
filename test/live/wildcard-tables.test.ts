// `tracepoint.sched.*` on the real kernel: one program per sched event, sharing one map, with
// `probe` named as bpftrace names it. A workload in a cgroup of the test forks, executes and
// exits a known number of times; bpftrace's `tracepoint:sched:*` counts per probe, scoped to the
// same cgroup, over the same run, must equal bpfql's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { Engine } from '../../src/engine/engine.js';
import { CommandCgroup, findCgroup2 } from '../../src/kernel/cgroup.js';
import { Bpftrace, bpftraceSkip } from '../helpers/bpftrace.js';
import { Workload, workloadSkip } from '../helpers/c-workload.js';
import { queryDuring } from '../helpers/query-during.js';
import { kernelSkip } from '../helpers/workload.js';

const skip = kernelSkip() || workloadSkip() || bpftraceSkip();
const CHILDREN = 25;

test('tracepoint.sched.*: counts per probe equal bpftrace\'s tracepoint:sched:* on the same run', { skip }, async () => {
  const w = await Workload.start('bqwild', ['spawn', String(CHILDREN)]);
  const cgroup = CommandCgroup.create(findCgroup2(), `bpfql-test-wildcard-${process.pid}`);
  let bt: Bpftrace | undefined;
  const engine = await Engine.open();
  try {
    writeFileSync(cgroup.procsFile, String(w.pid));
    bt = await Bpftrace.start(`tracepoint:sched:* /cgroup == ${cgroup.id}/ { @n[probe] = count(); }`);
    // The workload's last switch away, after its parent saw it exit, is in the window too.
    // Streamed, every event a record: an aggregation map's first insert of a key can fail under
    // the run-queue lock that sched_wakeup fires with (bpfql counts it as a failed update), and
    // this comparison wants every event.
    const run = await queryDuring(engine, `SELECT probe FROM tracepoint.sched.* WHERE cgroup_id = ${cgroup.id}`, () => w.go(), 300);
    const theirs = Bpftrace.counts(await bt.stop(), 'n');
    const ours = new Map<string, number>();
    for (const [probe] of run.rows) ours.set(String(probe), (ours.get(String(probe)) ?? 0) + 1);
    // The events the workload makes, exactly: the children, their programs and their ends.
    assert.equal(ours.get('tracepoint:sched:sched_process_fork'), CHILDREN);
    assert.equal(ours.get('tracepoint:sched:sched_process_exec'), CHILDREN);
    assert.equal(ours.get('tracepoint:sched:sched_process_exit'), CHILDREN + 1);
    assert.deepEqual(new Map([...ours].sort()), new Map([...theirs].sort()), JSON.stringify(run.kernel.completeness));
    assert.equal(run.kernel.plan.kernel.mode.kind, 'stream');
    assert.equal(run.kernel.completeness.lostRecords, 0);
  } finally {
    bt?.kill();
    await engine.close();
    w.remove();
    assert.ok(await cgroup.remove(5000), `${cgroup.dir} still holds processes`);
  }
});

test('tracepoint.sched.sched_process_*: counts per probe equal bpftrace\'s tracepoint:sched:sched_process_* on the same run', { skip }, async () => {
  const w = await Workload.start('bqwildp', ['spawn', String(CHILDREN)]);
  const cgroup = CommandCgroup.create(findCgroup2(), `bpfql-test-wildcard-prefix-${process.pid}`);
  let bt: Bpftrace | undefined;
  const engine = await Engine.open();
  try {
    writeFileSync(cgroup.procsFile, String(w.pid));
    bt = await Bpftrace.start(`tracepoint:sched:sched_process_* /cgroup == ${cgroup.id}/ { @n[probe] = count(); }`);
    const run = await queryDuring(engine, `SELECT probe, count(*) AS n FROM tracepoint.sched.sched_process_* WHERE cgroup_id = ${cgroup.id} GROUP BY probe`, () => w.go(), 300);
    const theirs = Bpftrace.counts(await bt.stop(), 'n');
    const ours = new Map(run.rows.map(([probe, n]) => [String(probe), Number(n)]));
    assert.equal(ours.get('tracepoint:sched:sched_process_fork'), CHILDREN);
    assert.equal(ours.get('tracepoint:sched:sched_process_exec'), CHILDREN);
    assert.equal(ours.get('tracepoint:sched:sched_process_exit'), CHILDREN + 1);
    assert.deepEqual(new Map([...ours].sort()), new Map([...theirs].sort()));
    assert.equal(run.kernel.plan.kernel.mode.kind, 'aggregate');
  } finally {
    bt?.kill();
    await engine.close();
    w.remove();
    assert.ok(await cgroup.remove(5000), `${cgroup.dir} still holds processes`);
  }
});
