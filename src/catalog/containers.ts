// What a cgroup v2 path says about the container and the pod a process runs in. Container
// runtimes name the cgroup they make for a container after the container's id, and kubelet names
// a pod's cgroup after the pod's uid, so the path alone names both; the names people know them by
// (a Docker container's name, a pod's name and namespace) are in node-local files the runtime
// reads (runtime/cgroup-names.ts). Pure: paths in, fields out.

/** The text columns made from a cgroup id in user space, by the column's name. */
export type CgroupAttr = 'cgroup' | 'container_id' | 'container_runtime' | 'container_name' | 'pod_uid' | 'pod_name' | 'pod_namespace';

export const CGROUP_ATTRS: readonly CgroupAttr[] = ['cgroup', 'container_id', 'container_runtime', 'container_name', 'pod_uid', 'pod_name', 'pod_namespace'];

export type ContainerRuntime = 'docker' | 'containerd' | 'cri-o' | 'podman' | 'systemd';

export interface ContainerRef {
  readonly runtime: ContainerRuntime;
  /** The runtime's id (64 hex digits); a systemd service has none. */
  readonly id?: string;
  /** A systemd service's unit name without `.service`; other runtimes' names come from their files. */
  readonly name?: string;
}

export interface CgroupPathInfo {
  /** The innermost container the path is in (a container's own sub-cgroups are still in it). */
  readonly container?: ContainerRef;
  /** The uid of the Kubernetes pod whose cgroup the path is in, with dashes (as /var/log/pods names it). */
  readonly podUid?: string;
}

const HEX_ID = '[0-9a-f]{64}';

/** One path component's container, by the runtimes' naming of their scopes. */
const SCOPES: readonly { readonly runtime: ContainerRuntime; readonly pattern: RegExp }[] = [
  { runtime: 'docker', pattern: new RegExp(`^docker-(${HEX_ID})\\.scope$`) },
  { runtime: 'containerd', pattern: new RegExp(`^cri-containerd-(${HEX_ID})\\.scope$`) },
  { runtime: 'cri-o', pattern: new RegExp(`^crio-(${HEX_ID})\\.scope$`) },
  { runtime: 'podman', pattern: new RegExp(`^libpod-(${HEX_ID})\\.scope$`) },
];

const BARE_ID = new RegExp(`^${HEX_ID}$`);
/** A systemd service unit; its name may not itself contain a slash. */
const SERVICE = /^(.+)\.service$/;
/** kubelet's pod cgroup: `kubepods-<qos>-pod<uid>.slice` (systemd driver, uid with _) or `pod<uid>` (cgroupfs driver). */
const POD = /^(?:kubepods(?:-[a-z]+)?-pod([0-9a-f_]{36})\.slice|pod([0-9a-f-]{36}))$/;

function containerOf(component: string, parent: string | undefined): ContainerRef | undefined {
  for (const s of SCOPES) {
    const m = s.pattern.exec(component);
    if (m) return { runtime: s.runtime, id: m[1]! };
  }
  // Docker's cgroupfs driver: /docker/<id>.
  if (parent === 'docker' && BARE_ID.test(component)) return { runtime: 'docker', id: component };
  const service = SERVICE.exec(component);
  return service ? { runtime: 'systemd', name: service[1]! } : undefined;
}

/** The container and pod a cgroup v2 path (`/`-separated, from the hierarchy's root) is in. */
export function parseCgroupPath(path: string): CgroupPathInfo {
  const parts = path.split('/').filter((p) => p !== '');
  let container: ContainerRef | undefined;
  let podUid: string | undefined;
  parts.forEach((part, i) => {
    const c = containerOf(part, parts[i - 1]);
    // A runtime's container wins over a systemd service it runs (a container's own init.scope or units).
    if (c && !(c.runtime === 'systemd' && container !== undefined && container.runtime !== 'systemd')) container = c;
    const pod = POD.exec(part);
    if (pod) podUid = (pod[1] ?? pod[2]!).replaceAll('_', '-');
  });
  return { ...(container ? { container } : {}), ...(podUid !== undefined ? { podUid } : {}) };
}

/**
 * A `/var/log/pods` directory name, `<namespace>_<pod>_<uid>`: namespaces and pod names are DNS
 * labels and subdomains, which have no `_`, so the split is unambiguous.
 */
export function parsePodLogDir(name: string): { readonly namespace: string; readonly pod: string; readonly uid: string } | undefined {
  const parts = name.split('_');
  if (parts.length !== 3 || parts.some((p) => p === '')) return undefined;
  const [namespace, pod, uid] = parts as [string, string, string];
  return /^[0-9a-f-]{36}$/.test(uid) ? { namespace, pod, uid } : undefined;
}

/**
 * `/var/log/containers/<pod>_<namespace>_<container>-<id>.log`, kubelet's link to a container's
 * log: the only node-local place a CRI container's id meets its name.
 */
export function parseContainerLogName(name: string): { readonly container: string; readonly id: string } | undefined {
  const m = new RegExp(`^[^_]+_[^_]+_(.+)-(${HEX_ID})\\.log$`).exec(name);
  return m ? { container: m[1]!, id: m[2]! } : undefined;
}

/**
 * Whether `text` matches SQL LIKE `pattern` (`%` any run, `_` one character; no escape
 * character), as DuckDB decides it: the whole text, case-sensitively. Greedy with one point to
 * return to (the last `%`), so a hostile pattern costs at most text × pattern steps, never the
 * exponential time of a backtracking regular expression.
 */
export function likeMatches(text: string, pattern: string): boolean {
  const t = Array.from(text);
  const p = Array.from(pattern);
  let i = 0;
  let j = 0;
  let star = -1;
  let resume = 0;
  while (i < t.length) {
    if (j < p.length && p[j] !== '%' && (p[j] === '_' || p[j] === t[i])) {
      i++;
      j++;
    } else if (j < p.length && p[j] === '%') {
      star = j++;
      resume = i;
    } else if (star >= 0) {
      j = star + 1;
      i = ++resume;
    } else {
      return false;
    }
  }
  while (j < p.length && p[j] === '%') j++;
  return j === p.length;
}

/** The shortest prefix of a container id that `container_id = '<prefix>'` accepts, as `docker ps` shows ids. */
export const CONTAINER_ID_PREFIX = 12;

/** Whether `value` names container `id`: the whole id, or a prefix of at least CONTAINER_ID_PREFIX characters. */
export function containerIdMatches(id: string, value: string): boolean {
  return id === value || (value.length >= CONTAINER_ID_PREFIX && id.startsWith(value));
}
