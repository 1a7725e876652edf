// The BPF programs, maps and links a process holds descriptors of, by id: each descriptor's kind
// from its /proc/<pid>/fd link (anon_inode:bpf-prog, -map, -link), its id from its fdinfo.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface HeldBpf {
  readonly progs: number[];
  readonly maps: number[];
  readonly links: number[];
}

const ID_FIELD = { 'anon_inode:bpf-prog': ['progs', 'prog_id'], 'anon_inode:bpf-map': ['maps', 'map_id'], 'anon_inode:bpf-link': ['links', 'link_id'] } as const;

/** What process `pid` (or this one) holds now; empty lists once it is gone. */
export function heldBpf(pid: number | 'self'): HeldBpf {
  const held: HeldBpf = { progs: [], maps: [], links: [] };
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return held;
  }
  for (const fd of fds) {
    try {
      const kind = ID_FIELD[readlinkSync(`/proc/${pid}/fd/${fd}`) as keyof typeof ID_FIELD] as (typeof ID_FIELD)[keyof typeof ID_FIELD] | undefined;
      if (kind === undefined) continue;
      const [list, field] = kind;
      const id = new RegExp(`^${field}:\\s+(\\d+)$`, 'm').exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
      if (id) held[list].push(Number(id[1]));
    } catch {
      // closed since the directory was read
    }
  }
  return held;
}
