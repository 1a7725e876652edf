// The containers of a traced command's cgroup tree: the cgroups it makes below its own that a
// runtime's naming marks as containers (see catalog/containers.ts), watched from before it starts,
// so one it starts and removes again is in the report too, with its name.
import { basename } from 'node:path';
import { CgroupRun } from '../../runtime/cgroup-run.js';
import type { CommandCgroup } from '../../runtime/run-cgroup.js';

export interface ContainerReport {
  /** Its cgroup, from the command's cgroup (which is `/`). */
  readonly cgroup: string;
  readonly runtime: string;
  readonly id: string | null;
  readonly name: string | null;
  readonly podName: string | null;
  readonly podNamespace: string | null;
}

export class RunContainers {
  private constructor(private readonly cgroups: CgroupRun, private readonly root: string) {}

  /** Starts watching; the run's cgroup is right under the hierarchy's root (runtime/run-cgroup.ts). */
  static start(cgroup: CommandCgroup): RunContainers {
    return new RunContainers(CgroupRun.start(), `/${basename(cgroup.dir)}`);
  }

  /** The containers seen in the tree so far, by cgroup path. */
  seen(): ContainerReport[] {
    const out: ContainerReport[] = [];
    for (const i of this.cgroups.all()) {
      if (!i.path.startsWith(`${this.root}/`) || i.runtime === null) continue;
      out.push({
        cgroup: i.path.slice(this.root.length),
        runtime: i.runtime,
        id: i.containerId,
        name: i.containerName,
        podName: i.podName,
        podNamespace: i.podNamespace,
      });
    }
    return out.sort((a, b) => (a.cgroup < b.cgroup ? -1 : a.cgroup > b.cgroup ? 1 : 0));
  }

  close(): void {
    this.cgroups.close();
  }
}

/** The containers as lines for a person: a heading, then one line each. */
export function describeContainers(cs: readonly ContainerReport[]): string {
  const line = (c: ContainerReport): string => {
    const named = [c.name !== null ? `name ${c.name}` : '', c.podName !== null ? `pod ${c.podNamespace ?? ''}/${c.podName}` : ''].filter((s) => s !== '');
    return `  ${c.runtime} ${c.id ?? '-'} ${c.cgroup}${named.length > 0 ? ` (${named.join(', ')})` : ''}`;
  };
  return [`== containers the command started (${cs.length})`, ...cs.map(line)].join('\n');
}
