// Memory the kernel could still give this process: what /proc/meminfo calls available, and, when
// bpfql's cgroup has a memory limit (BPF maps are charged to it), what is left under it.
import { readFileSync } from 'node:fs';

/** MemAvailable from /proc/meminfo text, in bytes; undefined if absent. */
export function parseMemAvailable(meminfo: string): number | undefined {
  const m = /^MemAvailable:\s+(\d+) kB$/m.exec(meminfo);
  return m ? Number(m[1]) * 1024 : undefined;
}

/** The memory cgroup of /proc/self/cgroup text: v2's path ("0::/a/b") or v1's ("4:memory:/a/b"). */
export function memoryCgroupOf(cgroups: string): { readonly version: 1 | 2; readonly path: string } | undefined {
  const v1 = /^\d+:(?:[^:]*,)?memory(?:,[^:]*)?:(.*)$/m.exec(cgroups);
  if (v1) return { version: 1, path: v1[1]! };
  const v2 = /^0::(.*)$/m.exec(cgroups);
  return v2 ? { version: 2, path: v2[1]! } : undefined;
}

function readNumber(path: string): number | undefined {
  try {
    const text = readFileSync(path, 'latin1').trim();
    return /^\d+$/.test(text) ? Number(text) : undefined;
  } catch {
    return undefined;
  }
}

/** Bytes left under this process's memory cgroup limit; undefined when there is no limit (or it can't be read). */
function cgroupRoom(): number | undefined {
  let cg;
  try {
    cg = memoryCgroupOf(readFileSync('/proc/self/cgroup', 'latin1'));
  } catch {
    return undefined;
  }
  if (!cg) return undefined;
  const dir = cg.version === 2 ? `/sys/fs/cgroup${cg.path}` : `/sys/fs/cgroup/memory${cg.path}`;
  const limit = readNumber(cg.version === 2 ? `${dir}/memory.max` : `${dir}/memory.limit_in_bytes`);
  const usage = readNumber(cg.version === 2 ? `${dir}/memory.current` : `${dir}/memory.usage_in_bytes`);
  // "max" (v2) reads as no number; v1 says "no limit" with a number near 2^63.
  if (limit === undefined || usage === undefined || limit >= 2 ** 62) return undefined;
  return Math.max(0, limit - usage);
}

/** Bytes the kernel could still allocate for this process, or undefined if it can't be told. */
export function memoryAvailable(): number | undefined {
  let available: number | undefined;
  try {
    available = parseMemAvailable(readFileSync('/proc/meminfo', 'latin1'));
  } catch {
    available = undefined;
  }
  const room = cgroupRoom();
  if (available === undefined) return room;
  return room === undefined ? available : Math.min(available, room);
}
