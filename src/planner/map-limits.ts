// Sizes of the maps a plan asks for: the kernel's limits on them, and bpfql's defaults within those.
import { align8 } from './layout.js';

const DEFAULT_MAX_ENTRIES = 65536;
/** Bytes of one CPU's value the kernel accepts in a per-CPU map (PCPU_MIN_UNIT_SIZE). */
export const MAX_PERCPU_VALUE = 32768;
/** Bytes per CPU an aggregation map may take unless told otherwise: large states get fewer keys. */
const MAP_BYTES_PER_CPU = 8 * 1024 * 1024;
export const DEFAULT_RING_BYTES = 8 * 1024 * 1024;

/** Keys an aggregation map holds by default: DEFAULT_MAX_ENTRIES, or fewer when values are large. */
export function defaultMaxEntries(valueSize: number): number {
  return Math.min(DEFAULT_MAX_ENTRIES, Math.floor(MAP_BYTES_PER_CPU / align8(valueSize)));
}
