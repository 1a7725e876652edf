// Waiting until every BPF program that is running now has finished.
//
// BPF programs on tracepoints, raw tracepoints and perf events run with preemption disabled
// inside an RCU read-side section, so an RCU grace period that starts after a moment ends only
// once every program that was running at that moment has returned. Storing a map in an
// array_of_maps from user space waits for exactly such a grace period before the bpf() call
// returns (see BpfMap.setMap); the kernel's own selftests use the same update to wait for one.
// So the wait is one update of a one-slot array of maps with a tiny map in it, both owned here.
import { BpfMap } from './map.js';

export class GracePeriod {
  private constructor(
    private readonly slot: BpfMap,
    private readonly inner: BpfMap,
  ) {}

  static create(): GracePeriod {
    const inner = BpfMap.create({ name: 'bpfql_gp_inner', type: 'array', keySize: 4, valueSize: 4, maxEntries: 1 });
    try {
      return new GracePeriod(BpfMap.create({ name: 'bpfql_gp', type: 'array_of_maps', keySize: 4, valueSize: 4, maxEntries: 1 }, inner), inner);
    } catch (e) {
      inner.close();
      throw e;
    }
  }

  /** Returns once every BPF program running when it was called has finished. */
  wait(): void {
    this.slot.setMap(0, this.inner);
  }

  close(): void {
    this.slot.close();
    this.inner.close();
  }
}
