// Watching another process (bpfql's CLI, bpftrace) from outside until its program has counted its
// first event: the maps it holds (seen through /proc/<pid>/fd and fdinfo) are opened by id; a
// hash map is asked for a first key, a ring buffer for a producer position past zero. Either
// changes on the first event after attach, so this is "attached and counting", the same test
// for every tool.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { BpfCmd, MapElem, fillElemAttr, objIdAttr, ObjId } from '../src/kernel/bpf-cmd.js';
import { Errno } from '../src/kernel/errors.js';
import { sys } from '../src/kernel/sys.js';
import { sleep, type Tracked } from './procs.js';

/** enum bpf_map_type values of hash maps (plain, per-CPU, LRU, LRU per-CPU): the ones that start empty. */
const HASH_TYPES: ReadonlySet<number> = new Set([1, 5, 9, 10]);
const RINGBUF_TYPE = 27;
const PROT_READ = 1;
const MAP_SHARED = 1;

interface HeldMap {
  readonly id: number;
  readonly type: number;
  readonly keySize: number;
}

/** The BPF maps and programs (by id) a process holds fds for; empty lists once it is gone. */
function bpfObjects(pid: number): { maps: HeldMap[]; programs: number[] } {
  const maps: HeldMap[] = [];
  const programs: number[] = [];
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return { maps, programs };
  }
  for (const fd of fds) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed since the directory was read
    }
    if (target !== 'anon_inode:bpf-map' && target !== 'anon_inode:bpf-prog') continue;
    let info: string;
    try {
      info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
    } catch {
      continue;
    }
    const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)$`, 'm').exec(info)?.[1] ?? NaN);
    if (target === 'anon_inode:bpf-prog') programs.push(field('prog_id'));
    else maps.push({ id: field('map_id'), type: field('map_type'), keySize: field('key_size') });
  }
  return { maps, programs };
}

/** Opens maps by id once and asks whether anything was recorded in them. */
class MapPeeker {
  private readonly fds = new Map<number, number>();
  /** Ring buffers' producer pages, mapped read-only: the producer position is their first u64. */
  private readonly producerPages = new Map<number, { address: bigint; position: BigUint64Array }>();
  private readonly attr = Buffer.alloc(MapElem.size);
  /** Where GET_NEXT_KEY writes a key: a member, so it stays alive while the kernel holds its address. */
  private nextKey = Buffer.alloc(64);

  /** True when a hash map holds a key or a ring buffer has had a record. */
  recorded(m: HeldMap): boolean {
    if (HASH_TYPES.has(m.type)) return this.hasKey(m);
    if (m.type === RINGBUF_TYPE) return this.hasProduced(m);
    return false;
  }

  private fd(m: HeldMap): number | undefined {
    let fd = this.fds.get(m.id);
    if (fd === undefined) {
      fd = sys().bpf(BpfCmd.MAP_GET_FD_BY_ID, objIdAttr(m.id), ObjId.size);
      if (fd < 0) return undefined; // freed meanwhile
      this.fds.set(m.id, fd);
    }
    return fd;
  }

  private hasKey(m: HeldMap): boolean {
    const fd = this.fd(m);
    if (fd === undefined) return false;
    const s = sys();
    if (this.nextKey.length < m.keySize) this.nextKey = Buffer.alloc(m.keySize);
    fillElemAttr(this.attr, fd, 0n, s.address(this.nextKey), 0);
    const r = s.bpf(BpfCmd.MAP_GET_NEXT_KEY, this.attr, MapElem.size);
    if (r === 0) return true;
    if (r === -Errno.ENOENT) return false;
    throw new Error(`BPF_MAP_GET_NEXT_KEY on map ${m.id} failed: errno ${-r}`);
  }

  private hasProduced(m: HeldMap): boolean {
    let page = this.producerPages.get(m.id);
    if (page === undefined) {
      const fd = this.fd(m);
      if (fd === undefined) return false;
      const s = sys();
      const address = s.mmap(s.pageSize(), PROT_READ, MAP_SHARED, fd, s.pageSize());
      page = { address, position: new BigUint64Array(s.view(address, 8)) };
      this.producerPages.set(m.id, page);
    }
    return Atomics.load(page.position, 0) > 0n;
  }

  close(): void {
    const s = sys();
    for (const page of this.producerPages.values()) s.munmap(page.address, s.pageSize());
    this.producerPages.clear();
    for (const fd of this.fds.values()) s.close(fd);
    this.fds.clear();
  }
}

/** Ids of the BPF programs a process holds. */
export function heldProgramIds(pid: number): number[] {
  return bpfObjects(pid).programs;
}

export interface Counted {
  /** Milliseconds from `since` until the process held a BPF program. */
  readonly loadedMs: number;
  /** Milliseconds from `since` until one of its hash maps had a key or a ring buffer a record. */
  readonly countedMs: number;
}

/**
 * Polls every ~1 ms until the process holds a map with something recorded. Events must be happening
 * (the caller runs the ticker workload). Throws if the process exits or `timeoutMs` passes.
 */
export async function waitUntilCounted(t: Tracked, since: number, timeoutMs: number): Promise<Counted> {
  let exited = false;
  void t.exited.then(() => (exited = true));
  const peeker = new MapPeeker();
  let loadedAt: number | undefined;
  try {
    for (;;) {
      const { maps, programs } = bpfObjects(t.pid);
      const now = performance.now();
      if (programs.length > 0) loadedAt ??= now;
      if (maps.some((m) => peeker.recorded(m))) {
        return { loadedMs: (loadedAt ?? now) - since, countedMs: now - since };
      }
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by the child's exit handler
      if (exited) throw new Error(`${t.child.spawnfile} exited before counting an event`);
      if (now - since > timeoutMs) throw new Error(`${t.child.spawnfile} counted no event within ${timeoutMs} ms`);
      await sleep(1);
    }
  } finally {
    peeker.close();
  }
}
