// Where cgroup names come from on this machine: the cgroup v2 tree itself, and the files the
// container runtimes and kubelet keep on the node. Those files are other programs' (and, in a
// container's config, partly its owner's) text: reads are bounded, never follow a link out of
// the directory they are looked for in, and what does not parse is no name (NULL), not an error.
// The directories can be moved for tests and unusual installs: BPFQL_DOCKER_ROOT (default
// /var/lib/docker), BPFQL_PODS_LOG_DIR (/var/log/pods), BPFQL_CONTAINERS_LOG_DIR (/var/log/containers).
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerRef } from '../catalog/containers.js';
import { cgroupDirs } from '../kernel/cgroup.js';
import { parseContainerLogName, parsePodLogDir } from '../catalog/containers.js';
import type { CgroupSources } from './cgroup-names.js';

export interface ContainerDirs {
  readonly dockerRoot: string;
  readonly podsLogDir: string;
  readonly containersLogDir: string;
}

export function containerDirsFromEnv(env: NodeJS.ProcessEnv = process.env): ContainerDirs {
  return {
    dockerRoot: env['BPFQL_DOCKER_ROOT'] ?? '/var/lib/docker',
    podsLogDir: env['BPFQL_PODS_LOG_DIR'] ?? '/var/log/pods',
    containersLogDir: env['BPFQL_CONTAINERS_LOG_DIR'] ?? '/var/log/containers',
  };
}

/** A config.v2.json is a few kB; one this large is not Docker's. */
const MAX_CONFIG_BYTES = 1 << 20;
/** Deeper than any runtime nests cgroups; a bound on the walk all the same. */
const MAX_DEPTH = 32;

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Every cgroup under `mountPoint` (the v2 hierarchy), depth first. Cgroups that go during the walk are left out. */
function* walkTree(mountPoint: string): Iterable<{ id: bigint; path: string }> {
  for (const c of cgroupDirs(mountPoint, MAX_DEPTH)) {
    let id: bigint;
    try {
      id = statSync(c.dir, { bigint: true }).ino;
    } catch {
      continue; // removed since its parent was read
    }
    yield { id, path: c.path };
  }
}

/**
 * The bytes of `dir/name` (name may have slashes), at most `max`, when it is a regular file whose
 * real path is inside `dir`: no link leads the read elsewhere.
 */
export function readInside(dir: string, name: string, max: number): Buffer | undefined {
  let fd: number | undefined;
  try {
    const base = realpathSync(dir);
    const path = join(base, name);
    if (!realpathSync(path).startsWith(`${base}/`)) return undefined;
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > max) return undefined;
    const buf = Buffer.alloc(st.size);
    const n = readSync(fd, buf, 0, st.size, 0);
    return buf.subarray(0, n);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Docker's name for a container (config.v2.json's "Name", without its leading slash). */
function dockerName(dockerRoot: string, id: string): string | undefined {
  const bytes = readInside(dockerRoot, join('containers', id, 'config.v2.json'), MAX_CONFIG_BYTES);
  if (!bytes) return undefined;
  let config: unknown;
  try {
    config = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  const name = typeof config === 'object' && config !== null && 'Name' in config ? config.Name : undefined;
  return typeof name === 'string' && name !== '' ? name.replace(/^\//, '') : undefined;
}

export function procCgroupSources(mountPoint: string, dirs: ContainerDirs): CgroupSources {
  let criNames: Map<string, string> | undefined;
  return {
    walk: () => walkTree(mountPoint),
    pods() {
      const out = new Map<string, { name: string; namespace: string }>();
      for (const e of entries(dirs.podsLogDir)) {
        const p = parsePodLogDir(e);
        if (p) out.set(p.uid, { name: p.pod, namespace: p.namespace });
      }
      return out;
    },
    containerName(c: ContainerRef) {
      if (c.id === undefined) return undefined;
      switch (c.runtime) {
        case 'docker': return dockerName(dirs.dockerRoot, c.id);
        // Kubelet's log links are the node's only record of a CRI container's name.
        case 'containerd': case 'cri-o': {
          criNames ??= new Map(entries(dirs.containersLogDir).flatMap((e) => {
            const l = parseContainerLogName(e);
            return l ? [[l.id, l.container] as const] : [];
          }));
          return criNames.get(c.id);
        }
        case 'podman': case 'systemd': return undefined;
      }
    },
  };
}
