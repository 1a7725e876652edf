// `bpfql run` of a command that starts containers: cgroup v2 directories it makes below its own
// cgroup, named as Docker and containerd name theirs, each running execs under `unshare` in its
// own namespaces. The kernel keeps the queries to the command's whole cgroup tree (an ancestor
// test), the rows name the containers, and the report lists them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContainerHost } from '../helpers/containers.js';
import { fromRoot } from '../helpers/paths.js';
import { kernelSkip, NamedProgram, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();
const CLI = fromRoot('dist', 'src', 'cli', 'main.js');

function bpfqlRun(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'run', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/**
 * Shell that makes `scope` below the command's own cgroup, runs `n` execs of `prog` in it under
 * unshare (new pid, mount, uts and network namespaces), and removes it.
 */
function containerScript(v2: string, scope: string, prog: string, n: number): string {
  // In the outer shell's double quotes: its $ are the inner shell's.
  const inner = `i=0; while [ \\$i -lt ${n} ]; do ${prog}; i=\\$((i+1)); done`;
  return `d=${v2}$(sed -n 's/^0:://p' /proc/self/cgroup)/${scope}; mkdir $d && ` +
    `sh -c "echo \\$\\$ > $d/cgroup.procs && exec unshare --pid --mount --uts --net --fork /bin/sh -c '${inner}'" && rmdir $d`;
}

interface Report {
  readonly assertions: readonly { readonly passed: boolean; readonly values: Record<string, unknown> }[];
  readonly containers: readonly { readonly cgroup: string; readonly runtime: string; readonly id: string | null; readonly name: string | null }[];
}

test('bpfql run counts exactly per container the command starts, and its report lists them', { skip }, async () => {
  const host = new ContainerHost();
  const prog = new NamedProgram(uniqueComm('bqr'));
  try {
    host.env();
    const docker = randomBytes(32).toString('hex');
    const containerd = randomBytes(32).toString('hex');
    mkdirSync(join(host.files, 'docker', 'containers', docker));
    writeFileSync(join(host.files, 'docker', 'containers', docker, 'config.v2.json'), JSON.stringify({ ID: docker, Name: '/web' }));
    // Execs of the same program outside the command's tree, at the same time: never counted.
    const outside = host.container('docker');
    const busy = outside.run(`i=0; while [ $i -lt 40 ]; do ${prog.path}; i=$((i+1)); done`);
    const command = [
      `${prog.path}; ${prog.path}; ${prog.path}`,
      `(${containerScript(host.v2, `docker-${docker}.scope`, prog.path, 11)}) &`,
      `(${containerScript(host.v2, `cri-containerd-${containerd}.scope`, prog.path, 17)}) &`,
      'wait',
    ].join('\n');
    const report = join(host.files, 'report.json');
    const sql = `SELECT container_runtime, container_id, container_name, count(*) AS n FROM exec WHERE comm = '${prog.comm}' GROUP BY container_runtime, container_id, container_name`;
    const r = await bpfqlRun([
      '-e', `CREATE TABLE per AS ${sql}`,
      '--assert', "SELECT true AS ok, list(concat_ws(' ', coalesce(container_runtime, '-'), coalesce(container_id, '-'), coalesce(container_name, '-'), n) ORDER BY n) AS rows FROM per",
      '--report', report,
      '--', 'sh', '-c', command,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await busy.done, 0);
    const j = JSON.parse(readFileSync(report, 'utf8')) as Report;
    assert.deepEqual(j.assertions[0]?.values['rows'], ['- - - 3', `docker ${docker} web 11`, `containerd ${containerd} - 17`], r.stderr);
    assert.deepEqual(j.containers, [
      { cgroup: `/cri-containerd-${containerd}.scope`, runtime: 'containerd', id: containerd, name: null, podName: null, podNamespace: null },
      { cgroup: `/docker-${docker}.scope`, runtime: 'docker', id: docker, name: 'web', podName: null, podNamespace: null },
    ]);
    assert.match(r.stderr, new RegExp(`== containers the command started \\(2\\)\\n  containerd ${containerd} /cri-containerd-${containerd}\\.scope\\n  docker ${docker} /docker-${docker}\\.scope \\(name web\\)`));
    await outside.remove();
  } finally {
    prog.remove();
    host.remove();
  }
});

/** `bpfql run` with its pid, so that the test knows the cgroup it makes (bpfql-run-<pid>-1). */
function bpfqlRunPid(args: readonly string[]): { pid: number; done: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [CLI, 'run', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
  return { pid: child.pid!, done };
}

test('bpfql run removes the cgroups the command made and left empty; one a process still holds is named and kept, its empty sibling removed', { skip }, async () => {
  const host = new ContainerHost();
  let left: number | undefined;
  try {
    const make = (scope: string): string => `d=${host.v2}$(sed -n 's/^0:://p' /proc/self/cgroup)/${scope}; mkdir -p $d`;
    // A container that exits and whose cgroup its runtime never removed, two deep.
    const first = bpfqlRunPid(['-e', 'SELECT count(*) FROM exec', '--', 'sh', '-c', `${make('pod.slice/docker-a.scope')} && sh -c "echo \\$\\$ > $d/cgroup.procs && exec true"`]);
    const empty = await first.done;
    assert.equal(empty.code, 0, empty.stderr);
    assert.doesNotMatch(empty.stderr, /warning/);
    const leftovers = (pid: number): string[] => readdirSync(host.v2).filter((n) => n.startsWith(`bpfql-run-${pid}-`));
    assert.deepEqual(leftovers(first.pid), []);
    // A process left running in one container; the other container is empty.
    const run = bpfqlRunPid(['-e', 'SELECT count(*) FROM exec', '--', 'sh', '-c',
      `${make('docker-b.scope')} && sh -c "echo \\$\\$ > $d/cgroup.procs && exec sleep 30" > /dev/null 2>&1 & ${make('docker-c.scope')}; sleep 0.2`]);
    const r = await run.done;
    assert.equal(r.code, 0, r.stderr);
    const m = /warning: 1 process\(es\) the command started are still running \(pid (\d+)\)/.exec(r.stderr);
    assert.ok(m, r.stderr);
    left = Number(m[1]);
    const dir = join(host.v2, `bpfql-run-${run.pid}-1`);
    assert.deepEqual(leftovers(run.pid), [`bpfql-run-${run.pid}-1`]);
    assert.deepEqual(readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name), ['docker-b.scope']);
    assert.equal(readFileSync(join(dir, 'docker-b.scope', 'cgroup.procs'), 'utf8').trim(), String(left));
    process.kill(left);
    left = undefined;
    for (let i = 0; i < 50 && readFileSync(join(dir, 'docker-b.scope', 'cgroup.procs'), 'utf8') !== ''; i++) await new Promise((r) => setTimeout(r, 20));
    rmdirSync(join(dir, 'docker-b.scope'));
    rmdirSync(dir);
  } finally {
    if (left !== undefined) process.kill(left);
    host.remove();
  }
});
