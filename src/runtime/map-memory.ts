// Kernel memory a query's maps may take, checked before any is created. Maps are sized by options
// (--max-keys) and by value layouts that can be large (a quantile's state is ~30 KiB per key per
// CPU); a preallocated map takes all of it at creation, one without preallocation as keys arrive,
// and either can push the machine into the OOM killer. So a query whose maps could take more than
// half of what the machine has available does not start.
import type { MapSpec } from '../kernel/map.js';
import { isPerCpu } from '../kernel/map.js';
import { Errno, KernelError } from '../kernel/errors.js';

/** Bytes the kernel keeps per hash element besides key and value (struct htab_elem, rounded up). */
const HTAB_ELEM_OVERHEAD = 56;
/** Bytes per hash bucket (struct bucket: list head and lock). */
const HTAB_BUCKET = 16;
/** Bytes per stack_trace bucket besides the frames (struct stack_map_bucket and its pointer). */
const STACK_BUCKET_OVERHEAD = 40;

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

function powerOfTwoAtLeast(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, n)));
}

/** The most kernel memory one map can take, full, in bytes. */
export function mapBytes(m: MapSpec, cpus: number): number {
  const value = align8(m.valueSize) * (isPerCpu(m.type) ? cpus : 1);
  switch (m.type) {
    case 'hash':
    case 'lru_hash':
    case 'percpu_hash':
    case 'lru_percpu_hash':
      // A per-CPU element holds a pointer to its values, which live in per-CPU memory.
      return m.maxEntries * (align8(m.keySize) + HTAB_ELEM_OVERHEAD + value + (isPerCpu(m.type) ? 8 : 0)) + powerOfTwoAtLeast(m.maxEntries) * HTAB_BUCKET;
    case 'array':
    case 'percpu_array':
      return m.maxEntries * value;
    case 'ringbuf':
      return m.maxEntries;
    case 'stack_trace':
      return m.maxEntries * (value + STACK_BUCKET_OVERHEAD);
    case 'array_of_maps':
      // Pointers only: the inner maps are specs of their own and counted as such.
      return m.maxEntries * 8;
  }
}

function size(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let u = 0;
  let v = bytes;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${bytes} bytes` : `${v.toFixed(1)} ${units[u]}`;
}

/**
 * Throws a KernelError (exit 1) when `maps` could take more than half of `available` bytes; the
 * message names the largest map and what makes it large. Nothing is checked when `available` is unknown.
 */
export function checkMapMemory(maps: readonly MapSpec[], cpus: number, available: number | undefined): void {
  if (available === undefined || maps.length === 0) return;
  const sizes = maps.map((m) => ({ m, bytes: mapBytes(m, cpus) }));
  const total = sizes.reduce((n, s) => n + s.bytes, 0);
  if (total <= available / 2) return;
  const largest = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const m = largest.m;
  const perCpu = isPerCpu(m.type) ? ` × ${cpus} CPUs` : '';
  throw new KernelError('BPF_MAP_CREATE', Errno.ENOMEM, {
    message:
      `the query's maps could take ${size(total)} of kernel memory, more than half of the ${size(available)} this machine has available ` +
      `(map '${m.name}': ${m.maxEntries} entries of ${m.valueSize} bytes${perCpu})`,
    hint: 'lower --max-keys (the number of groups the kernel keeps), or aggregate fewer or smaller values per group',
  });
}
