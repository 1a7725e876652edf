// Names cgroup ids, as the symboliser names stack ids: the kernel's keys and records carry the id
// of the task's cgroup v2, and the cgroup text columns (cgroup, container_id, pod_name, …) are
// made here. The paths come from a walk of the hierarchy when the query starts and from the
// cgroup_mkdir events of the query's run (cgroup-watch.ts), so a container that exits during the
// query keeps its name; an id never seen either way makes one more walk before it reads NULL.
import type { CgroupAttr, ContainerRef } from '../catalog/containers.js';
import { parseCgroupPath } from '../catalog/containers.js';
import type { ColumnBatch } from '../catalog/types.js';
import { STRING, TIMESTAMP, U64 } from '../catalog/types.js';
import { assertNever } from '../diag/assert-never.js';

/** Text by cgroup id, as the decoders ask for it; null where the attribute does not apply. */
export interface CgroupText {
  text(attr: CgroupAttr, id: bigint): string | null;
}

/** What the names are read from; tests give their own. */
export interface CgroupSources {
  /** Every cgroup of the hierarchy now, by id (the directory's inode number) and path from its root. */
  walk(): Iterable<{ readonly id: bigint; readonly path: string }>;
  /** Pods by uid (as /var/log/pods names them). */
  pods(): ReadonlyMap<string, { readonly name: string; readonly namespace: string }>;
  /** A container's name, by its runtime's files; undefined when they do not say. */
  containerName(c: ContainerRef): string | undefined;
}

export interface CgroupInfo {
  readonly id: bigint;
  readonly path: string;
  readonly runtime: string | null;
  readonly containerId: string | null;
  readonly containerName: string | null;
  readonly podUid: string | null;
  readonly podName: string | null;
  readonly podNamespace: string | null;
  /** Wall-clock ns: when the query found it (its start) or saw it made. */
  readonly firstSeen: bigint;
  /** Wall-clock ns it was seen removed; null while it exists. */
  readonly removed: bigint | null;
}

interface Known {
  readonly path: string;
  readonly firstSeen: bigint;
  removed: bigint | null;
  info?: CgroupInfo;
}

export class CgroupNames implements CgroupText {
  private readonly known = new Map<bigint, Known>();
  private pods: ReadonlyMap<string, { readonly name: string; readonly namespace: string }> | undefined;
  private readonly containerNames = new Map<string, string | undefined>();
  /** Ids a walk was made for in vain (gone before they were seen, their events lost): one walk each. */
  private readonly missing = new Set<bigint>();

  /**
   * @param catchUp brings in cgroup events not read yet (cgroup-watch.ts), before an unknown id is
   * looked for by walking the tree.
   */
  constructor(private readonly sources: CgroupSources, private readonly now: () => bigint, private readonly catchUp: () => void = () => undefined) {
    this.walk();
  }

  /** A cgroup made at `at` (wall-clock ns); a cgroup made again under the same id is new. */
  made(id: bigint, path: string, at: bigint): void {
    this.known.set(id, { path, firstSeen: at, removed: null });
  }

  removed(id: bigint, at: bigint): void {
    const k = this.known.get(id);
    if (k) {
      k.removed = at;
      if (k.info) k.info = { ...k.info, removed: at };
    }
  }

  /** Every cgroup known so far. */
  all(): CgroupInfo[] {
    return [...this.known.keys()].map((id) => this.info(id)!);
  }

  text(attr: CgroupAttr, id: bigint): string | null {
    const i = this.info(id) ?? this.find(id);
    return i ? attrText(i, attr) : null;
  }

  /** The fields of a known cgroup, worked out once. */
  info(id: bigint): CgroupInfo | undefined {
    const k = this.known.get(id);
    if (!k) return undefined;
    k.info ??= this.describe(id, k);
    return k.info;
  }

  private find(id: bigint): CgroupInfo | undefined {
    this.catchUp();
    if (!this.known.has(id) && !this.missing.has(id)) {
      this.walk();
      if (!this.known.has(id)) this.missing.add(id);
    }
    return this.info(id);
  }

  private walk(): void {
    const at = this.now();
    for (const c of this.sources.walk()) {
      const k = this.known.get(c.id);
      if (!k || k.path !== c.path) this.known.set(c.id, { path: c.path, firstSeen: at, removed: null });
    }
  }

  private describe(id: bigint, k: Known): CgroupInfo {
    const { container, podUid } = parseCgroupPath(k.path);
    const pod = podUid === undefined ? undefined : this.pod(podUid);
    return {
      id,
      path: k.path,
      runtime: container?.runtime ?? null,
      containerId: container?.id ?? null,
      containerName: container ? this.nameOf(container) ?? null : null,
      podUid: podUid ?? null,
      podName: pod?.name ?? null,
      podNamespace: pod?.namespace ?? null,
      firstSeen: k.firstSeen,
      removed: k.removed,
    };
  }

  /** A pod by uid; a pod made since the pods were read is looked for again. */
  private pod(uid: string): { readonly name: string; readonly namespace: string } | undefined {
    const found = this.pods?.get(uid);
    if (found) return found;
    this.pods = this.sources.pods();
    return this.pods.get(uid);
  }

  private nameOf(c: ContainerRef): string | undefined {
    if (c.name !== undefined) return c.name;
    const key = `${c.runtime}/${c.id}`;
    if (!this.containerNames.has(key)) this.containerNames.set(key, this.sources.containerName(c));
    return this.containerNames.get(key);
  }
}

/** A cgroup's text for one cgroup column. */
export function attrText(i: CgroupInfo, attr: CgroupAttr): string | null {
  switch (attr) {
    case 'cgroup': return i.path;
    case 'container_id': return i.containerId;
    case 'container_runtime': return i.runtime;
    case 'container_name': return i.containerName;
    case 'pod_uid': return i.podUid;
    case 'pod_name': return i.podName;
    case 'pod_namespace': return i.podNamespace;
    default: return assertNever(attr);
  }
}

/** The columns of the `cgroups` table, in order. */
const CGROUPS_TABLE_COLUMNS = [
  { name: 'id', type: U64 },
  { name: 'path', type: STRING },
  { name: 'container_runtime', type: STRING },
  { name: 'container_id', type: STRING },
  { name: 'container_name', type: STRING },
  { name: 'pod_uid', type: STRING },
  { name: 'pod_name', type: STRING },
  { name: 'pod_namespace', type: STRING },
  { name: 'first_seen', type: TIMESTAMP },
  { name: 'removed', type: TIMESTAMP },
] as const;

/** Cgroups as rows of the `cgroups` table. */
export function cgroupsBatch(cgroups: readonly CgroupInfo[]): ColumnBatch {
  const str = (f: (c: CgroupInfo) => string | null): { kind: 'string'; values: (string | null)[] } => ({ kind: 'string', values: cgroups.map(f) });
  return {
    columns: CGROUPS_TABLE_COLUMNS,
    data: [
      { kind: 'int64', values: cgroups.map((c) => c.id) },
      str((c) => c.path), str((c) => c.runtime), str((c) => c.containerId), str((c) => c.containerName),
      str((c) => c.podUid), str((c) => c.podName), str((c) => c.podNamespace),
      { kind: 'int64', values: cgroups.map((c) => c.firstSeen) },
      { kind: 'int64', values: cgroups.map((c) => c.removed) },
    ],
    rowCount: cgroups.length,
  };
}
