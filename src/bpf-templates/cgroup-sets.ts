// Cgroup sets: a filter on a cgroup text column (`container_id = '…'`, `pod_name = '…'`,
// `cgroup LIKE '/kubepods.slice/%'`) runs in the kernel as a test of the task's cgroup id against
// the ids of the cgroups that match, which user space keeps current: those that match when the
// query starts and those made while it runs (runtime/cgroup-run.ts). The text is never in the kernel.
//
// Most such filters match one cgroup or a few (a container's scope and its own sub-cgroups), so a
// set is first CGROUP_SET_SLOTS ids in a one-entry array: its lookup the verifier turns into an
// address computation, and each slot is one load and one compare (about a nanosecond), where a
// hash lookup hashes the key and walks a bucket (tens of nanoseconds). Only when more cgroups
// match than there are slots does user space raise the value's `more` flag and keep every id in
// a hash map too, which the program then looks in for ids no slot holds. The ids cannot be
// immediates in the program: no text filter matches a fixed set of cgroups for ever (a path made
// again, a container restarted, a sub-cgroup made in a container all get new ids), and the
// program cannot change once loaded. An empty slot is 0, which is no cgroup's id.
import type { MapSpec } from '../bpf/map-spec.js';
import type { CgroupFilter, Column } from '../catalog/column.js';

/** Ids a set's array holds before it needs its hash map. */
export const CGROUP_SET_SLOTS = 8;
/** The array value: the slots, then the `more` flag (a u64: 1 once the hash map is in use). */
export const CGROUP_SET_VALUE_BYTES = (CGROUP_SET_SLOTS + 1) * 8;
export const CGROUP_SET_MORE_OFFSET = CGROUP_SET_SLOTS * 8;
/** Cgroups one set holds at most: far more containers than a host runs. */
export const CGROUP_SET_ENTRIES = 65536;
/** Map flag: allocate elements on insert; a preallocated map of 65536 keys takes tens of ms to make and to free. */
const BPF_F_NO_PREALLOC = 1;

export interface CgroupSet {
  /** The array of slots; the hash map is hashMapOf(map). */
  readonly map: string;
  readonly filter: CgroupFilter;
}

/** The hash map of the set whose array is `map` (cgsetN → cghashN: map names are kept short). */
export function hashMapOf(map: string): string {
  return map.replace(/^cgset/, 'cghash');
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
  return cgroupSets(columns).flatMap((s): MapSpec[] => [
    { name: s.map, type: 'array', keySize: 4, valueSize: CGROUP_SET_VALUE_BYTES, maxEntries: 1 },
    // The key is the u64 cgroup id; the value says nothing (a hash map needs one byte at least).
    { name: hashMapOf(s.map), type: 'hash', keySize: 8, valueSize: 1, maxEntries: CGROUP_SET_ENTRIES, flags: BPF_F_NO_PREALLOC },
  ]);
}
