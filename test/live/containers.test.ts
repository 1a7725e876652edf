// Containers on the real kernel: cgroups the test makes, named as runtimes name them, with
// processes in their own namespaces; exact exec counts per container, names from the node's files,
// filters on them in the kernel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { CGROUP_SET_MORE_OFFSET, CGROUP_SET_SLOTS, hashMapOf } from '../../src/bpf-templates/cgroup-sets.js';
import { Engine, type Outcome } from '../../src/engine/engine.js';
import { ContainerHost, type Container } from '../helpers/containers.js';
import { heldBpf } from '../helpers/held-bpf.js';
import { kernelSkip, NamedProgram, uniqueComm } from '../helpers/workload.js';
import { Bpftrace, bpftraceSkip } from '../helpers/bpftrace.js';

const skip = kernelSkip();
const noBpftrace = bpftraceSkip();

/** Runs `sql`, starting the workload once the program is attached and ending the query when it is done. */
async function during(engine: Engine, sql: string, workload: () => Promise<void>): Promise<Outcome> {
  let attached!: () => void;
  const started = new Promise<void>((resolve) => (attached = resolve));
  const until = started.then(workload);
  const outcome = await engine.execute(sql, { onAttached: attached, until });
  await until;
  return outcome;
}

function rows(o: Outcome): readonly (readonly unknown[])[] {
  assert.equal(o.kind, 'rows');
  return o.kind === 'rows' ? o.result.rows : [];
}

/** Runs `n` execs of `prog` in the container and waits for them. */
async function execs(c: Container, prog: NamedProgram, n: number): Promise<void> {
  const code = await c.run(`i=0; while [ $i -lt ${n} ]; do ${prog.path}; i=$((i+1)); done`).done;
  assert.equal(code, 0);
}

/**
 * bpftool's dump of this process's map by name: each entry's key and value as bytes. By id, not by
 * name: an earlier query's map of the same name lingers in the kernel until its program is freed
 * after an RCU grace period, and a dump by name would then show both.
 */
function dump(map: string): { key: Buffer; value: Buffer }[] {
  const held = new Set(heldBpf('self').maps);
  const shown = JSON.parse(spawnSync('bpftool', ['-j', 'map', 'show'], { encoding: 'utf8' }).stdout) as { id: number; name?: string }[];
  const ours = shown.filter((m) => m.name === `bpfql_${map}` && held.has(m.id));
  assert.equal(ours.length, 1, `this process holds one map named bpfql_${map}`);
  const r = spawnSync('bpftool', ['-j', 'map', 'dump', 'id', String(ours[0]!.id)], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const bytes = (hex: string[]): Buffer => Buffer.from(hex.map((b) => Number.parseInt(b, 16)));
  return (JSON.parse(r.stdout) as { key: string[]; value: string[] }[]).map((e) => ({ key: bytes(e.key), value: bytes(e.value) }));
}

/** The cgroup ids in a query's set, read with bpftool while the query runs: its array's slots and, once they are full, its hash map. */
function setIds(map: string): bigint[] {
  const [slots] = dump(map);
  assert.ok(slots);
  const ids = new Set<bigint>();
  for (let i = 0; i < CGROUP_SET_SLOTS; i++) if (slots.value.readBigUInt64LE(i * 8) !== 0n) ids.add(slots.value.readBigUInt64LE(i * 8));
  if (slots.value.readBigUInt64LE(CGROUP_SET_MORE_OFFSET) !== 0n) for (const e of dump(hashMapOf(map))) ids.add(e.key.readBigUInt64LE(0));
  return [...ids].sort((a, b) => (a < b ? -1 : 1));
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; !check(); i++) {
    if (i > 200) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('exact exec counts per container for three runtimes\' naming at once, with pod and Docker names', { skip }, async () => {
  const host = new ContainerHost();
  const prog = new NamedProgram(uniqueComm('bqc'));
  const engine = await Engine.open();
  try {
    host.env();
    const pod = host.pod('prod', 'api-7d9c');
    const docker = host.container('docker', { name: 'web' });
    const containerd = host.container('containerd', { pod });
    const crio = host.container('cri-o');
    const outcome = await during(engine,
      `SELECT container_runtime, container_id, container_name, pod_name, pod_namespace, count(*) AS n FROM exec WHERE comm = '${prog.comm}' GROUP BY container_runtime, container_id, container_name, pod_name, pod_namespace ORDER BY n`,
      async () => {
        await Promise.all([execs(docker, prog, 10), execs(containerd, prog, 20), execs(crio, prog, 30)]);
      });
    assert.deepEqual(rows(outcome), [
      ['docker', docker.id, 'web', null, null, 10],
      ['containerd', containerd.id, null, 'api-7d9c', 'prod', 20],
      ['cri-o', crio.id, null, null, null, 30],
    ]);
    // The cgroups table names them for joins on cgroup_id.
    const joined = await engine.session.run(`SELECT path, container_runtime, pod_uid FROM cgroups WHERE id = ${containerd.cgroupId}`);
    assert.deepEqual(joined.rows, [[containerd.path, 'containerd', pod.uid]]);
    for (const c of [docker, containerd, crio]) await c.remove();
  } finally {
    await engine.close();
    prog.remove();
    host.remove();
  }
});

test('a container filter runs in the kernel: its set holds only the container, made after the query began', { skip }, async () => {
  const host = new ContainerHost();
  const prog = new NamedProgram(uniqueComm('bqf'));
  const engine = await Engine.open();
  try {
    host.env();
    const other = host.container('docker');
    const id = randomBytes(32).toString('hex');
    const outcome = await during(engine,
      `SELECT container_id, count(*) AS n FROM exec WHERE container_id = '${id.slice(0, 12)}' AND comm = '${prog.comm}' GROUP BY container_id`,
      async () => {
        assert.deepEqual(setIds('cgset0'), []);
        const wanted = host.container('docker', { id });
        await until(() => setIds('cgset0').length > 0, 'the new container in the set');
        assert.deepEqual(setIds('cgset0'), [wanted.cgroupId]);
        await Promise.all([execs(wanted, prog, 25), execs(other, prog, 15)]);
        await wanted.remove();
      });
    assert.deepEqual(rows(outcome), [[id, 25]]);
    // Grouped in the kernel by cgroup: its map held the named container's key only; the other's 15 events never got one.
    assert.equal(outcome.kind === 'rows' && outcome.kernel?.plan.kernel.mode.kind, 'aggregate');
    assert.equal(outcome.kind === 'rows' && outcome.kernel?.kernelRows, 1);
    await other.remove();
  } finally {
    await engine.close();
    prog.remove();
    host.remove();
  }
});

test('cgroup LIKE keeps the containers under a path, at the start and made later; one that exits keeps its name', { skip }, async () => {
  const host = new ContainerHost();
  const prog = new NamedProgram(uniqueComm('bql'));
  const engine = await Engine.open();
  try {
    host.env();
    const before = host.container('docker', { name: 'before' });
    const crio = host.container('cri-o');
    let gone: Container | undefined;
    const sql = `SELECT container_name, count(*) AS n FROM exec WHERE cgroup LIKE '${host.parent}/docker-%' AND comm = '${prog.comm}' GROUP BY container_name ORDER BY n`;
    const plan = await engine.execute(`EXPLAIN ${sql}`);
    assert.equal(plan.kind, 'text');
    assert.match(plan.kind === 'text' ? plan.text : '', new RegExp(`filter: +\\(cgroup_id IN cgset0 \\(cgroup LIKE '${host.parent}/docker-%'\\) AND`));
    assert.match(plan.kind === 'text' ? plan.text : '', /cgset0 \(array, key 4 B, value 72 B, max 1\); cghash0 \(hash, key 8 B, value 1 B, max 65536\)/);
    const outcome = await during(engine, sql, async () => {
      assert.deepEqual(setIds('cgset0'), [before.cgroupId]);
      gone = host.container('docker', { name: 'short-lived' });
      await until(() => setIds('cgset0').length === 2, 'the new container in the set');
      await execs(gone, prog, 7);
      // Exited and removed, its config with it, while the query still runs.
      await gone.remove();
      await Promise.all([execs(before, prog, 12), execs(crio, prog, 5)]);
    });
    assert.deepEqual(rows(outcome), [['short-lived', 7], ['before', 12]]);
    const seen = await engine.session.run(`SELECT container_name, removed IS NOT NULL FROM cgroups WHERE id = ${gone!.cgroupId}`);
    assert.deepEqual(seen.rows, [['short-lived', true]]);
    for (const c of [before, crio]) await c.remove();
  } finally {
    await engine.close();
    prog.remove();
    host.remove();
  }
});

test('a set of more cgroups than its slots goes on in the hash map, exact, with cgroups made and removed meanwhile', { skip }, async () => {
  const host = new ContainerHost();
  const prog = new NamedProgram(uniqueComm('bqo'));
  const engine = await Engine.open();
  try {
    host.env();
    const first = Array.from({ length: CGROUP_SET_SLOTS - 1 }, () => host.container('cri-o'));
    const other = host.container('docker');
    const later: Container[] = [];
    const outcome = await during(engine,
      `SELECT container_id, count(*) AS n FROM exec WHERE cgroup LIKE '${host.parent}/crio-%' AND comm = '${prog.comm}' GROUP BY container_id`,
      async () => {
        assert.deepEqual(setIds('cgset0'), first.map((c) => c.cgroupId).sort((a, b) => (a < b ? -1 : 1)));
        // One fills the last slot; one removed frees a slot; then three more than fit.
        later.push(host.container('cri-o'));
        await until(() => setIds('cgset0').length === CGROUP_SET_SLOTS, 'the eighth container in the set');
        await execs(first[0]!, prog, 2);
        await first[0]!.remove();
        await until(() => setIds('cgset0').length === CGROUP_SET_SLOTS - 1, 'the removed container out of the set');
        later.push(host.container('cri-o'), host.container('cri-o'), host.container('cri-o'));
        await until(() => setIds('cgset0').length === CGROUP_SET_SLOTS + 2, 'the hash map in use');
        await Promise.all([...first.slice(1), ...later].map((c, i) => execs(c, prog, 1 + i)).concat(execs(other, prog, 9)));
      });
    const want = [[first[0]!.id, 2], ...[...first.slice(1), ...later].map((c, i) => [c.id, 1 + i])].sort();
    assert.deepEqual([...rows(outcome)].map((r) => [r[0], Number(r[1])]).sort(), want);
    for (const c of [...first.slice(1), ...later, other]) await c.remove();
  } finally {
    await engine.close();
    prog.remove();
    host.remove();
  }
});

test('GROUP BY container_name over 200 short-lived containers, 10 execs each, exact', { skip }, async () => {
  const host = new ContainerHost();
  const prog = new NamedProgram(uniqueComm('bqm'));
  const engine = await Engine.open();
  try {
    host.env();
    const outcome = await during(engine,
      `SELECT container_name, count(*) AS n FROM exec WHERE comm = '${prog.comm}' GROUP BY container_name ORDER BY container_name`,
      async () => {
        // A few at a time, each made, run and removed (its cgroup: `docker rm` of one that exits
        // within the few milliseconds the events are read in is the test above's, which waits for them).
        for (let batch = 0; batch < 200; batch += 4) {
          await Promise.all([0, 1, 2, 3].map(async (k) => {
            const c = host.container('docker', { name: `c${String(batch + k).padStart(3, '0')}` });
            await execs(c, prog, 10);
            await c.remove({ keepFiles: true });
          }));
        }
      });
    assert.deepEqual(rows(outcome), Array.from({ length: 200 }, (_, i) => [`c${String(i).padStart(3, '0')}`, 10]));
  } finally {
    await engine.close();
    prog.remove();
    host.remove();
  }
});

test('the same results with the cgroup filters and grouping in the kernel as with DuckDB doing all of it', { skip }, async () => {
  const host = new ContainerHost();
  const prog = new NamedProgram(uniqueComm('bqd'));
  const kernel = await Engine.open();
  const duck = await Engine.open({ kernelFilter: false, kernelAggregation: false });
  try {
    host.env();
    const a = host.container('docker', { name: 'a' });
    const b = host.container('docker', { name: 'b' });
    const c = host.container('cri-o');
    const workload = async (): Promise<void> => {
      await Promise.all([execs(a, prog, 5), execs(b, prog, 6), execs(c, prog, 7)]);
    };
    const queries: [string, unknown[]][] = [
      [`SELECT container_runtime, count(*) AS n, max(pid) > 0 AS p FROM exec WHERE cgroup LIKE '${host.parent}/%' AND comm = '${prog.comm}' GROUP BY container_runtime ORDER BY n`,
        [['cri-o', 7, true], ['docker', 11, true]]],
      [`SELECT container_name, count(*) AS n FROM exec WHERE container_id = '${a.id.slice(0, 12)}' AND comm = '${prog.comm}' GROUP BY container_name`, [['a', 5]]],
    ];
    for (const [sql, expected] of queries) {
      const inKernel = await during(kernel, sql, workload);
      assert.equal(inKernel.kind === 'rows' && inKernel.kernel?.plan.kernel.mode.kind, 'aggregate', sql);
      assert.deepEqual(rows(inKernel), expected, sql);
      const inDuckdb = await during(duck, sql, workload);
      assert.equal(inDuckdb.kind === 'rows' && inDuckdb.kernel?.plan.kernel.mode.kind, 'stream', sql);
      assert.deepEqual(rows(inDuckdb), expected, sql);
    }
    for (const x of [a, b, c]) await x.remove();
  } finally {
    await kernel.close();
    await duck.close();
    prog.remove();
    host.remove();
  }
});

test('the counts per container are bpftrace\'s counts per cgroup id on the same execs', { skip: skip || noBpftrace }, async () => {
  const host = new ContainerHost();
  const prog = new NamedProgram(uniqueComm('bqb'));
  const engine = await Engine.open();
  let bt: Bpftrace | undefined;
  try {
    host.env();
    bt = await Bpftrace.start(`tracepoint:sched:sched_process_exec /comm == "${prog.comm}"/ { @[cgroup] = count(); }`);
    const containers = [host.container('docker'), host.container('containerd'), host.container('cri-o')];
    const outcome = await during(engine,
      `SELECT cgroup_id, container_id, count(*) AS n FROM exec WHERE comm = '${prog.comm}' GROUP BY cgroup_id, container_id`,
      async () => {
        await Promise.all(containers.map((c, i) => execs(c, prog, 4 + 3 * i)));
      });
    const out = await bt.stop();
    const theirs = new Map([...out.matchAll(/^@\[(\d+)\]: (\d+)$/gm)].map((m) => [BigInt(m[1]!), Number(m[2])]));
    const ours = new Map(rows(outcome).map((r) => [BigInt(r[0] as number), Number(r[2])]));
    assert.deepEqual(ours, theirs, out);
    assert.deepEqual(containers.map((c) => [ours.get(c.cgroupId), rows(outcome).find((r) => BigInt(r[0] as number) === c.cgroupId)?.[1]]),
      containers.map((c, i) => [4 + 3 * i, c.id]));
    for (const c of containers) await c.remove();
  } finally {
    bt?.kill();
    await engine.close();
    prog.remove();
    host.remove();
  }
});
