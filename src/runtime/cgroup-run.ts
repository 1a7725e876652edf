// The cgroups of one run, for queries that name the cgroup text columns or filter on them: the
// v2 hierarchy found wherever it is mounted, its mkdir/rmdir events watched from before the walk
// of its tree, names kept for every cgroup seen, and the query's cgroup sets (see
// bpf-templates/cgroup-sets.ts) filled with the ids that match, at the start and as cgroups are made.
import { cgroupSets, hashMapOf } from '../bpf-templates/cgroup-sets.js';
import type { CgroupFilter, Column } from '../catalog/column.js';
import { containerIdMatches, likeMatches } from '../catalog/containers.js';
import { findCgroup2 } from '../kernel/cgroup.js';
import type { BpfMap } from '../kernel/map.js';
import type { Closeable } from '../kernel/scope.js';
import { attrText, type CgroupInfo, CgroupNames, type CgroupSources } from './cgroup-names.js';
import { containerDirsFromEnv, procCgroupSources } from './cgroup-sources.js';
import { CgroupWatch } from './cgroup-watch.js';
import { KernelCgroupSet } from './cgroup-set-maps.js';
import { monotonicToWallOffset } from './clock.js';

/** How often the events are read while the query runs: a container made now is in its sets this much later. */
const READ_MS = 5;

/** Whether a query over these columns needs the cgroup names. */
export function needsCgroups(columns: readonly Column[]): boolean {
  return columns.some((c) => c.source.kind === 'cgroup' || c.source.kind === 'cgroup-set');
}

/** Whether cgroup `i` is one filter `f` keeps, as DuckDB would decide it on the text (NULL keeps nothing). */
export function cgroupFilterMatches(f: CgroupFilter, i: CgroupInfo): boolean {
  const text = attrText(i, f.attr);
  if (text === null) return false;
  if (f.match === 'like') return likeMatches(text, f.value);
  return f.attr === 'container_id' ? containerIdMatches(text, f.value) : text === f.value;
}

export class CgroupRun implements Closeable {
  private sets: KernelCgroupSet[] = [];
  private readonly timer: NodeJS.Timeout;

  readonly names: CgroupNames;

  private constructor(private readonly watch: CgroupWatch, sources: CgroupSources, private readonly wallOffset: bigint) {
    this.names = new CgroupNames(sources, () => BigInt(Date.now()) * 1_000_000n, () => this.catchUp());
    this.timer = setInterval(() => this.catchUp(), READ_MS);
    this.timer.unref();
  }

  /** Starts watching and walks the tree. A KernelError when there is no cgroup v2 or the kernel refuses the programs. */
  static start(): CgroupRun {
    const mountPoint = findCgroup2('the query names cgroups, containers or pods, which are read from it');
    const watch = CgroupWatch.start();
    try {
      return new CgroupRun(watch, procCgroupSources(mountPoint, containerDirsFromEnv()), monotonicToWallOffset());
    } catch (e) {
      watch.close();
      throw e;
    }
  }

  /** Fills the sets the program's columns test with the ids that match now; later ones follow as they are made. */
  fillSets(columns: readonly Column[], maps: ReadonlyMap<string, BpfMap>): void {
    this.sets = cgroupSets(columns).map((set) => new KernelCgroupSet(set.filter, maps.get(set.map)!, maps.get(hashMapOf(set.map))!));
    this.catchUp();
    for (const i of this.names.all()) if (i.removed === null) this.addToSets(i);
  }

  /** Every cgroup seen so far, for the `cgroups` table. */
  all(): CgroupInfo[] {
    this.catchUp();
    return this.names.all();
  }

  /** Reads the events written since the last read into the names and the sets. */
  catchUp(): void {
    for (const e of this.watch.read()) {
      const at = e.mono + this.wallOffset;
      if (e.kind === 'rmdir') {
        this.names.removed(e.id, at);
        for (const set of this.sets) set.remove(e.id);
        continue;
      }
      this.names.made(e.id, e.path, at);
      // Named now, while the runtime's files for it are there: `docker rm` takes them away.
      const info = this.names.info(e.id)!;
      if (this.sets.length > 0) this.addToSets(info);
    }
  }

  private addToSets(i: CgroupInfo): void {
    for (const set of this.sets) if (cgroupFilterMatches(set.filter, i)) set.add(i.id);
  }

  close(): void {
    clearInterval(this.timer);
    this.watch.close();
  }
}
