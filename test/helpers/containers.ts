// "Containers" the tests make: a cgroup v2 directory named the way a runtime names the one it
// makes for a container, under a parent cgroup of the test's own, with processes started in it
// under `unshare` with their own pid, mount, uts and network namespaces. Beside it, the node files
// a runtime and kubelet would write (Docker's config.v2.json, /var/log/pods), in a temp dir the
// query is pointed at (BPFQL_DOCKER_ROOT, BPFQL_PODS_LOG_DIR).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCgroup2 } from '../../src/kernel/cgroup.js';
import { shell, type ShellRun } from './workload.js';

export type Runtime = 'docker' | 'containerd' | 'cri-o';

export class ContainerHost {
  readonly v2 = findCgroup2();
  /** The test's parent cgroup, from the hierarchy's root. */
  readonly parent = `/bpfql-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  readonly files = mkdtempSync(join(tmpdir(), 'bpfql-node-'));
  private readonly made: string[] = [];

  constructor() {
    mkdirSync(join(this.v2, this.parent));
    mkdirSync(join(this.files, 'docker', 'containers'), { recursive: true });
    mkdirSync(join(this.files, 'pods'));
  }

  /** What the query reads the node's files from. */
  env(): void {
    process.env['BPFQL_DOCKER_ROOT'] = join(this.files, 'docker');
    process.env['BPFQL_PODS_LOG_DIR'] = join(this.files, 'pods');
    process.env['BPFQL_CONTAINERS_LOG_DIR'] = join(this.files, 'containers');
  }

  /** A container's cgroup (its directory made now) and, for Docker, its config; in a pod when `pod` is given. */
  container(runtime: Runtime, opts: { readonly name?: string; readonly pod?: Pod; readonly id?: string } = {}): Container {
    const id = opts.id ?? randomBytes(32).toString('hex');
    const scope = { 'docker': `docker-${id}.scope`, 'containerd': `cri-containerd-${id}.scope`, 'cri-o': `crio-${id}.scope` }[runtime];
    const path = opts.pod ? `${opts.pod.path}/${scope}` : `${this.parent}/${scope}`;
    if (runtime === 'docker' && opts.name !== undefined) {
      mkdirSync(join(this.files, 'docker', 'containers', id));
      writeFileSync(join(this.files, 'docker', 'containers', id, 'config.v2.json'), JSON.stringify({ ID: id, Name: `/${opts.name}` }));
    }
    const dir = join(this.v2, path);
    mkdirSync(dir);
    this.made.push(dir);
    return new Container(this, id, path, dir, statSync(dir, { bigint: true }).ino);
  }

  /** A pod's cgroup, as kubelet's systemd driver names it, and its /var/log/pods directory. */
  pod(namespace: string, name: string): Pod {
    const uid = randomUUID();
    const path = `${this.parent}/kubepods-besteffort-pod${uid.replaceAll('-', '_')}.slice`;
    mkdirSync(join(this.v2, path));
    this.made.push(join(this.v2, path));
    mkdirSync(join(this.files, 'pods', `${namespace}_${name}_${uid}`));
    return { uid, path };
  }

  /** Removes what is left, innermost first, and the files. */
  remove(): void {
    for (const dir of [...this.made].reverse()) rmdirQuietly(dir);
    rmdirQuietly(join(this.v2, this.parent));
    rmSync(this.files, { recursive: true, force: true });
    delete process.env['BPFQL_DOCKER_ROOT'];
    delete process.env['BPFQL_PODS_LOG_DIR'];
    delete process.env['BPFQL_CONTAINERS_LOG_DIR'];
  }

  forget(dir: string): void {
    this.made.splice(this.made.indexOf(dir), 1);
  }
}

export interface Pod {
  readonly uid: string;
  readonly path: string;
}

export class Container {
  constructor(private readonly host: ContainerHost, readonly id: string, readonly path: string, readonly dir: string, readonly cgroupId: bigint) {}

  /**
   * Runs `script` in the container: the shell moves itself into the cgroup, then runs the script
   * under unshare in new pid, mount, uts and network namespaces.
   */
  run(script: string): ShellRun {
    const quoted = script.replaceAll("'", "'\\''");
    return shell(`echo $$ > ${join(this.dir, 'cgroup.procs')} && exec unshare --pid --mount --uts --net --fork /bin/sh -c '${quoted}'`);
  }

  /**
   * Removes the cgroup, as the runtime does when the container exits, and (unless `keepFiles`)
   * the runtime's files of it, as `docker rm` does.
   */
  async remove(opts: { readonly keepFiles?: boolean } = {}): Promise<void> {
    for (let i = 0; ; i++) {
      try {
        rmdirSync(this.dir);
        break;
      } catch (e) {
        // An exited process takes a moment to leave its cgroup.
        if (i >= 100) throw e;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    this.host.forget(this.dir);
    if (opts.keepFiles !== true) rmSync(join(this.host.files, 'docker', 'containers', this.id), { recursive: true, force: true });
  }
}

function rmdirQuietly(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Already gone, or a process a failed test left in it: the test's own failure says more.
  }
}
