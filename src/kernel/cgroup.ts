// The cgroup v2 a traced command runs in (`bpfql run`). Every process the command starts inherits
// its cgroup, and bpf_get_current_cgroup_id() returns the id of that cgroup (the inode number of
// its directory), so one comparison in the kernel keeps the command's events and drops the rest.
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Errno, KernelError } from './errors.js';

export interface MountEntry {
  /** Where the mount is, with mountinfo's octal escapes (`\040` for a space) undone. */
  readonly mountPoint: string;
  /** The directory of the filesystem that is mounted there (`/` for the whole hierarchy). */
  readonly root: string;
  readonly fsType: string;
}

function unescapeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/**
 * The mounts listed in /proc/<pid>/mountinfo. A line is
 * `id parent major:minor root mount-point options [optional fields...] - fstype source super-options`;
 * the optional fields vary in number, so the filesystem type is found after the ` - ` separator.
 */
export function parseMountinfo(text: string): MountEntry[] {
  const mounts: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-', 6);
    if (separator < 0 || fields.length < separator + 2) continue;
    mounts.push({ root: unescapeOctal(fields[3]!), mountPoint: unescapeOctal(fields[4]!), fsType: fields[separator + 1]! });
  }
  return mounts;
}

/**
 * Where the cgroup v2 hierarchy is mounted: `/sys/fs/cgroup` on a pure v2 system,
 * `/sys/fs/cgroup/unified` on a hybrid one. A mount of the whole hierarchy is preferred over a
 * mount of one of its subdirectories (as containers get).
 */
export function cgroup2MountPoint(mountinfo: string): string | undefined {
  const v2 = parseMountinfo(mountinfo).filter((m) => m.fsType === 'cgroup2');
  return (v2.find((m) => m.root === '/') ?? v2[0])?.mountPoint;
}

/** A cgroup made for one command, removed again when the command is done. */
export class CommandCgroup {
  private constructor(
    readonly dir: string,
    /** What bpf_get_current_cgroup_id() returns for processes inside it. */
    readonly id: bigint,
  ) {}

  /** Creates `<mountPoint>/<name>`. Throws a KernelError saying what to do when it can't. */
  static create(mountPoint: string, name: string): CommandCgroup {
    const dir = join(mountPoint, name);
    try {
      mkdirSync(dir);
    } catch (e) {
      throw new KernelError('mkdir', errnoOf(e), {
        message: `cannot create the cgroup ${dir} for the command: ${e instanceof Error ? e.message : String(e)}`,
        hint: 'bpfql run needs root to create a cgroup v2 for the command it traces',
      });
    }
    return new CommandCgroup(dir, statSync(dir, { bigint: true }).ino);
  }

  /** The file a process writes its pid to in order to move into this cgroup. */
  get procsFile(): string {
    return join(this.dir, 'cgroup.procs');
  }

  /** Pids of the processes in the cgroup and the cgroups below it (those the command made) now. */
  processes(): number[] {
    return [...cgroupDirs(this.dir)].flatMap(({ dir }) => {
      try {
        return readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter((l) => l !== '').map(Number);
      } catch (e) {
        if (errnoOf(e) === Errno.ENOENT) return []; // removed meanwhile
        throw e;
      }
    });
  }

  /**
   * Removes the directory and the cgroups the command made below it, deepest first. The kernel
   * refuses (EBUSY) while a process or a child cgroup is in one, and an exited process may take a
   * moment to leave, so this retries until `timeoutMs` have passed. Returns false when processes
   * the command left behind are still in it; the cgroups without any are removed all the same.
   */
  async remove(timeoutMs = 1000): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      if (removeTree(this.dir)) return true;
      if (Date.now() >= end) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** A cgroup found by cgroupDirs: its directory, its path from the walk's start (`/` for the start), how deep. */
export interface CgroupDir {
  readonly dir: string;
  readonly path: string;
  readonly depth: number;
}

/**
 * `dir` and every cgroup below it (a cgroup's children are its subdirectories), each before the
 * cgroups below it, at most `maxDepth` levels down. Without recursion: the tree's depth is
 * whatever the traced processes made it. Cgroups that go during the walk are left out.
 */
export function* cgroupDirs(dir: string, maxDepth = Number.POSITIVE_INFINITY): Iterable<CgroupDir> {
  const stack: CgroupDir[] = [{ dir, path: '/', depth: 0 }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    yield top;
    if (top.depth >= maxDepth) continue;
    let subdirs: string[];
    try {
      subdirs = readdirSync(top.dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch {
      continue;
    }
    for (const name of subdirs) stack.push({ dir: join(top.dir, name), path: top.path === '/' ? `/${name}` : `${top.path}/${name}`, depth: top.depth + 1 });
  }
}

/** Removes `dir`'s cgroups deepest first; whether `dir` is gone (a busy one keeps its ancestors). */
function removeTree(dir: string): boolean {
  // Each cgroup comes before those below it, so reversed the deepest go first.
  for (const { dir: d } of [...cgroupDirs(dir)].reverse()) {
    try {
      rmdirSync(d);
    } catch (e) {
      const errno = errnoOf(e);
      if (errno !== Errno.EBUSY && errno !== Errno.ENOENT) throw e;
    }
  }
  return !existsSync(dir);
}

/** The errno of a failed node:fs call (its `errno` is negative), or EINVAL when it has none. */
function errnoOf(e: unknown): number {
  return e instanceof Error && 'errno' in e && typeof e.errno === 'number' ? Math.abs(e.errno) : Errno.EINVAL;
}

/**
 * Where cgroup v2 is mounted on this machine; a KernelError when it is not, saying what needed it
 * (`purpose`, after "and").
 */
export function findCgroup2(purpose = 'bpfql run traces a command through its own cgroup v2'): string {
  const mountPoint = cgroup2MountPoint(readFileSync('/proc/self/mountinfo', 'utf8'));
  if (mountPoint === undefined) {
    throw new KernelError('cgroup2', Errno.ENOENT, {
      message: `no cgroup v2 hierarchy is mounted, and ${purpose}`,
      hint: 'mount one: mkdir -p /sys/fs/cgroup/unified && mount -t cgroup2 none /sys/fs/cgroup/unified',
    });
  }
  return mountPoint;
}

/**
 * The id of an existing cgroup v2 directory (what bpf_get_current_cgroup_id() returns for its
 * processes: the directory's inode number), or why `dir` is not one.
 */
export function cgroupV2Id(dir: string): bigint | string {
  const mountPoint = cgroup2MountPoint(readFileSync('/proc/self/mountinfo', 'utf8'));
  if (mountPoint === undefined) return 'no cgroup v2 hierarchy is mounted';
  let real: string;
  try {
    real = realpathSync(dir);
  } catch (e) {
    return `cannot find ${dir}: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (real !== mountPoint && !real.startsWith(`${mountPoint}/`)) return `${dir} is not under the cgroup v2 hierarchy (${mountPoint})`;
  if (!existsSync(join(real, 'cgroup.procs'))) return `${dir} is not a cgroup (it has no cgroup.procs)`;
  return statSync(real, { bigint: true }).ino;
}
