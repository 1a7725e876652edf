// One cgroup set of a running query, as the program reads it (bpf-templates/cgroup-sets.ts): the
// ids in the array's slots while they fit, every id in the hash map too once they do not. Slots of
// removed cgroups are freed (an id is never used again), so a filter on one container that is
// restarted again and again keeps to its slots.
import { CGROUP_SET_MORE_OFFSET, CGROUP_SET_SLOTS, CGROUP_SET_VALUE_BYTES } from '../bpf-templates/cgroup-sets.js';
import type { CgroupFilter } from '../catalog/column.js';
import type { BpfMap } from '../kernel/map.js';

export class KernelCgroupSet {
  /** The array's one value; an update writes it whole, but only the changed slot differs, so a program reading meanwhile sees a slot old or new. */
  private readonly value = Buffer.alloc(CGROUP_SET_VALUE_BYTES);
  private readonly zeroKey = Buffer.alloc(4);
  private readonly key = Buffer.alloc(8);
  private readonly one = Buffer.from([1]);
  private readonly ids = new Set<bigint>();
  private more = false;

  constructor(readonly filter: CgroupFilter, private readonly slots: BpfMap, private readonly hash: BpfMap) {}

  add(id: bigint): void {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    if (this.more) {
      this.hashAdd(id);
      return;
    }
    const free = this.slotOf(0n);
    if (free !== undefined) {
      this.writeSlot(free, id);
      return;
    }
    // Full: every id into the hash map first, then the flag that sends the program there.
    for (const known of this.ids) this.hashAdd(known);
    this.more = true;
    this.value.writeBigUInt64LE(1n, CGROUP_SET_MORE_OFFSET);
    this.slots.update(this.zeroKey, this.value);
  }

  remove(id: bigint): void {
    if (!this.ids.delete(id)) return;
    const slot = this.slotOf(id);
    if (slot !== undefined) this.writeSlot(slot, 0n);
    if (this.more) {
      this.key.writeBigUInt64LE(id);
      this.hash.delete(this.key);
    }
  }

  private slotOf(id: bigint): number | undefined {
    for (let i = 0; i < CGROUP_SET_SLOTS; i++) if (this.value.readBigUInt64LE(i * 8) === id) return i;
    return undefined;
  }

  private writeSlot(i: number, id: bigint): void {
    this.value.writeBigUInt64LE(id, i * 8);
    this.slots.update(this.zeroKey, this.value);
  }

  private hashAdd(id: bigint): void {
    this.key.writeBigUInt64LE(id);
    this.hash.update(this.key, this.one);
  }
}
