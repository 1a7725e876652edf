// Runs the differential workload: compiled once per process, then run once per round from a fresh
// directory holding the files it opens, itself under the round's comm (a symlink: comm is the
// name exec was given) and its children (symlinks to true, named `<comm>e<i>`). It runs in a cgroup
// of its own, so that queries of tables with too many events machine-wide to stream them all can
// be scoped to it (see DiffTable.scoped); the cgroup is named as Docker names a container's, with
// Docker's file giving its name, so the cgroup columns (cgroup, container_id, container_name) have values.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { joinScript } from '../../src/cli/run/launch.js';
import { CommandCgroup, findCgroup2 } from '../../src/kernel/cgroup.js';
import { childComm, diffContainer, EXEC_TIMES, FILES, type WorkloadNames } from './workload-spec.js';
import { workloadSource } from './workload-source.js';

export class DiffWorkload {
  private constructor(private readonly dir: string, private readonly binary: string, private readonly parent: CommandCgroup, private readonly cgroup: CommandCgroup) {}

  /** Compiles the workload (gcc) and makes its cgroup. */
  static compile(): DiffWorkload {
    const dir = mkdtempSync(join(tmpdir(), 'bpfql-diff-'));
    const source = join(dir, 'workload.c');
    const binary = join(dir, 'workload');
    writeFileSync(source, workloadSource());
    // Frame pointers: its user stacks are walked through its own functions, as the stack columns show them.
    execFileSync('gcc', ['-O1', '-fno-omit-frame-pointer', '-Wall', '-Werror', '-o', binary, source], { stdio: 'pipe' });
    const container = diffContainer(process.pid);
    const parent = CommandCgroup.create(findCgroup2(), container.cgroup.split('/')[1]!);
    let cgroup: CommandCgroup;
    try {
      cgroup = CommandCgroup.create(parent.dir, basename(container.cgroup));
    } catch (e) {
      void parent.remove();
      throw e;
    }
    // Docker's file naming the container, where the queries read it from.
    const docker = join(dir, 'docker');
    mkdirSync(join(docker, 'containers', container.id), { recursive: true });
    writeFileSync(join(docker, 'containers', container.id, 'config.v2.json'), JSON.stringify({ ID: container.id, Name: `/${container.name}` }));
    process.env['BPFQL_DOCKER_ROOT'] = docker;
    return new DiffWorkload(dir, binary, parent, cgroup);
  }

  /** The id of the cgroup the workload runs in. */
  get cgroupId(): bigint {
    return this.cgroup.id;
  }

  /** Runs the workload as `names.comm` in a fresh directory; resolves once it has exited (with 0). */
  async run(names: WorkloadNames): Promise<void> {
    const dir = mkdtempSync(join(this.dir, 'round-'));
    try {
      mkdirSync(join(dir, 'sub'));
      for (const f of FILES) writeFileSync(join(dir, f), `${f}\n`);
      const self = join(dir, names.comm);
      symlinkSync(this.binary, self);
      const children = EXEC_TIMES.map((_, i) => {
        const name = childComm(names, i);
        symlinkSync('/bin/true', join(dir, name));
        return `./${name}`;
      });
      const code = await new Promise<number | null>((resolve, reject) => {
        // A shell joins the cgroup and becomes the workload.
        const child = spawn('/bin/sh', ['-c', joinScript(this.cgroup.procsFile), 'sh', self, ...children], { cwd: dir, stdio: 'ignore' });
        child.on('error', reject);
        child.on('exit', (c, signal) => resolve(signal ? null : c));
      });
      if (code !== 0) throw new Error(`the differential workload exited with ${code ?? 'a signal'}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async remove(): Promise<void> {
    rmSync(this.dir, { recursive: true, force: true });
    delete process.env['BPFQL_DOCKER_ROOT'];
    await this.cgroup.remove();
    await this.parent.remove();
  }
}
