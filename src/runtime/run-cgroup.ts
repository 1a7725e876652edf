// The cgroup of one `bpfql run`: named after bpfql's pid, removed when the run is over. The
// CLI's way to the kernel's cgroups (kernel/cgroup.ts).
import { CommandCgroup, findCgroup2 } from '../kernel/cgroup.js';
import { Errno, KernelError } from '../kernel/errors.js';
import type { CgroupTree } from '../planner/cgroup-filters.js';

export type { CommandCgroup };

/**
 * Creates `bpfql-run-<pid>-<n>` under the cgroup v2 mount, n counting past leftovers of a
 * crashed run. Throws a KernelError when cgroup v2 is not mounted or the cgroup cannot be made.
 */
export function createRunCgroup(): CommandCgroup {
  const mountPoint = findCgroup2();
  for (let n = 1; ; n++) {
    try {
      return CommandCgroup.create(mountPoint, `bpfql-run-${process.pid}-${n}`);
    } catch (e) {
      if (!(e instanceof KernelError && e.errno === Errno.EEXIST) || n >= 100) throw e;
    }
  }
}

/**
 * What the run's queries are kept to: its cgroup, made right under the hierarchy's root (level
 * 1), and every cgroup the command makes below it (the containers it starts).
 */
export function runCgroupTree(cgroup: CommandCgroup): CgroupTree {
  return { id: cgroup.id, level: 1 };
}

/**
 * Removes the cgroup and those the command made below it. Processes the command started and left
 * running keep theirs alive: say so (they were traced only until the command exited) and leave
 * them.
 */
export async function releaseRunCgroup(cgroup: CommandCgroup, log: (line: string) => void): Promise<void> {
  if (await cgroup.remove()) return;
  const pids = cgroup.processes();
  log(pids.length > 0
    ? `warning: ${pids.length} process(es) the command started are still running (pid ${pids.join(', ')}); ` +
      `they were traced until the command exited, and their cgroup ${cgroup.dir} is left in place`
    : `warning: the cgroup ${cgroup.dir} (or one the command made below it) could not be removed; it holds no process`);
}
