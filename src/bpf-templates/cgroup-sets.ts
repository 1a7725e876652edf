// Cgroup sets: a filter on a cgroup text column (`container_id = '…'`, `pod_name = '…'`,
// `cgroup LIKE '/kubepods.slice/%'`) runs in the kernel as one lookup of the task's cgroup id in
// a hash map, which user space fills with the ids of the cgroups that match when the query starts
// and adds to as cgroups are made (runtime/cgroup-set-filler.ts). The text is never in the kernel.
import type { MapSpec } from '../bpf/map-spec.js';
import type { CgroupFilter, Column } from '../catalog/column.js';

/** Cgroups one set holds at most: far more containers than a host runs. */
export const CGROUP_SET_ENTRIES = 65536;

export interface CgroupSet {
  readonly map: string;
  readonly filter: CgroupFilter;
}

/** The sets the program's columns test, once each. */
export function cgroupSets(columns: readonly Column[]): CgroupSet[] {
  const out: CgroupSet[] = [];
  for (const c of columns) {
    const s = c.source;
    if (s.kind === 'cgroup-set' && !out.some((o) => o.map === s.map)) out.push({ map: s.map, filter: s.filter });
  }
  return out;
}

export function cgroupSetMaps(columns: readonly Column[]): MapSpec[] {
  // The key is the u64 cgroup id; the value says nothing (a hash map needs one byte at least).
  return cgroupSets(columns).map((s) => ({ name: s.map, type: 'hash', keySize: 8, valueSize: 1, maxEntries: CGROUP_SET_ENTRIES }));
}
