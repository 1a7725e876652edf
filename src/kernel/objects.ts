// The BPF programs and maps loaded in the kernel (by anyone), by id. Tests use this to prove that
// nothing bpfql loaded outlives its query.
import {
  BpfCmd,
  MapInfo,
  ObjId,
  ObjInfo,
  ProgInfo,
  objIdAttr,
  objInfoAttr,
  readObjectName,
} from './bpf-cmd.js';
import { Errno, KernelError } from './errors.js';
import { readProgInfo } from './prog-info.js';
import { sys } from './sys.js';

export interface LoadedProgram {
  readonly id: number;
  /** The kernel's copy of the name: at most 15 characters. */
  readonly name: string;
  /** enum bpf_prog_type. */
  readonly type: number;
}

export interface LoadedMap {
  readonly id: number;
  readonly name: string;
  /** enum bpf_map_type. */
  readonly type: number;
}

interface ObjectKind {
  readonly what: string;
  readonly nextIdCmd: number;
  readonly fdByIdCmd: number;
  readonly infoSize: number;
  readonly typeAt: number;
  readonly nameAt: number;
}

const programs: ObjectKind = {
  what: 'PROG',
  nextIdCmd: BpfCmd.PROG_GET_NEXT_ID,
  fdByIdCmd: BpfCmd.PROG_GET_FD_BY_ID,
  infoSize: ProgInfo.size,
  typeAt: ProgInfo.type,
  nameAt: ProgInfo.name,
};

const maps: ObjectKind = {
  what: 'MAP',
  nextIdCmd: BpfCmd.MAP_GET_NEXT_ID,
  fdByIdCmd: BpfCmd.MAP_GET_FD_BY_ID,
  infoSize: MapInfo.size,
  typeAt: MapInfo.type,
  nameAt: MapInfo.name,
};

function list(kind: ObjectKind): { id: number; name: string; type: number }[] {
  const s = sys();
  const out: { id: number; name: string; type: number }[] = [];
  const info = Buffer.alloc(kind.infoSize);
  for (let id = 0; ; ) {
    const next = objIdAttr(id);
    const r = s.bpf(kind.nextIdCmd, next, ObjId.size);
    if (r === -Errno.ENOENT) return out;
    if (r < 0) throw new KernelError(`BPF_${kind.what}_GET_NEXT_ID`, -r);
    id = next.readUInt32LE(ObjId.nextId);
    const fd = s.bpf(kind.fdByIdCmd, objIdAttr(id), ObjId.size);
    if (fd === -Errno.ENOENT) continue; // freed since GET_NEXT_ID saw it
    if (fd < 0) throw new KernelError(`BPF_${kind.what}_GET_FD_BY_ID`, -fd);
    info.fill(0);
    const r2 = s.bpf(BpfCmd.OBJ_GET_INFO_BY_FD, objInfoAttr(fd, s.address(info), info.length), ObjInfo.size);
    s.close(fd);
    if (r2 < 0) throw new KernelError('BPF_OBJ_GET_INFO_BY_FD', -r2);
    out.push({ id, name: readObjectName(info, kind.nameAt), type: info.readUInt32LE(kind.typeAt) });
  }
}

export function listPrograms(): LoadedProgram[] {
  return list(programs);
}

export function listMaps(): LoadedMap[] {
  return list(maps);
}

/** How long a program has run in all and how many times, while run-time statistics were on. */
export interface RunStats {
  readonly runTimeNs: number;
  readonly runCount: number;
}

/**
 * bpf_prog_info.run_time_ns and run_cnt of the program with this id (anyone's), at the offsets BTF
 * gives; undefined once it is gone. Counted only while statistics are on (enableRunTimeStats).
 */
export function programRunStats(id: number): RunStats | undefined {
  const s = sys();
  const fd = s.bpf(BpfCmd.PROG_GET_FD_BY_ID, objIdAttr(id), ObjId.size);
  if (fd === -Errno.ENOENT) return undefined;
  if (fd < 0) throw new KernelError('BPF_PROG_GET_FD_BY_ID', -fd);
  let u64: (member: string) => number;
  try {
    u64 = readProgInfo(fd, `program ${id}`);
  } finally {
    s.close(fd);
  }
  return { runTimeNs: u64('run_time_ns'), runCount: u64('run_cnt') };
}
