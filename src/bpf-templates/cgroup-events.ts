// The programs that keep cgroup names current while a query runs: on cgroup:cgroup_mkdir and
// cgroup:cgroup_rmdir of the v2 hierarchy they write the cgroup's id, the time and its path to a
// ring buffer, which user space reads (runtime/cgroup-watch.ts). A container made and removed
// during the query is named all the same, though its directory is gone by the time its rows are.
import type { Item } from '../bpf/index.js';
import { Helper, add, and, call, comment, exit, jeq, jne, label, ldMap, ldx, mov, st, stx } from '../bpf/index.js';
import { R0, R1, R2, R3, R6, R7, R10 } from '../bpf/register.js';
import type { MapSpec } from '../bpf/map-spec.js';
import type { TracepointFormat } from '../catalog/format.js';

export const CGROUP_EVENTS_MAP = 'cgroup_events';
/** Room for thousands of events between two reads, which come every few milliseconds. */
export const CGROUP_EVENTS_BYTES = 1 << 20;
/** Bytes of a path kept; a longer one is cut (the kernel's own tracepoint keeps at most PATH_MAX). */
export const CGROUP_PATH_BYTES = 256;

export type CgroupEventKind = 'mkdir' | 'rmdir';
export const CGROUP_EVENT_KINDS: readonly CgroupEventKind[] = ['mkdir', 'rmdir'];

/** A record: u64 kind (its index in CGROUP_EVENT_KINDS), u64 cgroup id, u64 CLOCK_MONOTONIC ns, the NUL-terminated path. */
export const CGROUP_RECORD = { kind: 0, id: 8, time: 16, path: 24, size: 24 + CGROUP_PATH_BYTES } as const;

/** BPF_RB_NO_WAKEUP: user space reads on its own clock. */
const RB_NO_WAKEUP = 1;
/** /proc/<pid>/cgroup lists the v2 hierarchy as hierarchy 0; v1 hierarchies have ids of 1 and up. */
const V2_HIERARCHY = 0;

export const cgroupEventsMap: MapSpec = { name: CGROUP_EVENTS_MAP, type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: CGROUP_EVENTS_BYTES };

function fieldOffset(format: TracepointFormat, name: string): number {
  const f = format.fields.find((x) => x.name === name);
  if (!f) throw new Error(`cgroup:${format.name} has no field '${name}'`);
  return f.offset;
}

/**
 * Where the raw tracepoint's values are, from the kernel's BTF: its arguments are (struct cgroup
 * *cgrp, const char *path), and the classic record's `root` and `id` are cgrp->root->hierarchy_id
 * and cgrp->kn->id.
 */
export interface CgroupBtfOffsets {
  /** struct cgroup: root, kn */
  readonly root: number;
  readonly kn: number;
  /** struct cgroup_root: hierarchy_id (an int) */
  readonly hierarchyId: number;
  /** struct kernfs_node: id (a u64) */
  readonly knId: number;
}

/**
 * The program for one of the two events on its raw tracepoint, which a BPF link attaches and
 * detaches in microseconds; the classic tracepoint's perf event takes tens of milliseconds to
 * release, which a query with a container filter paid at exit (bench: SIGINT → exit 179 ms).
 * The cgroup's fields are read through bpf_probe_read_kernel at the offsets BTF gives.
 */
export function cgroupEventRawProgram(kind: CgroupEventKind, o: CgroupBtfOffsets): Item[] {
  const scratch = -8;
  return cgroupEventSkeleton(kind, {
    hierarchy: [
      comment('cgrp->root', st.dw(R10, scratch, 0)),
      mov.reg(R1, R10), add.imm(R1, scratch), mov.imm(R2, 8),
      ldx.dw(R3, R6, 0), add.imm(R3, o.root),
      call(Helper.probeReadKernel),
      comment('->hierarchy_id', ldx.dw(R3, R10, scratch)),
      st.dw(R10, scratch, 0),
      mov.reg(R1, R10), add.imm(R1, scratch), mov.imm(R2, 4), add.imm(R3, o.hierarchyId),
      call(Helper.probeReadKernel),
      jne.imm(R0, 0, 'out'),
      ldx.w(R1, R10, scratch),
    ],
    id: [
      comment('cgrp->kn', mov.reg(R1, R7)), add.imm(R1, CGROUP_RECORD.id), mov.imm(R2, 8),
      ldx.dw(R3, R6, 0), add.imm(R3, o.kn),
      call(Helper.probeReadKernel),
      comment('->id', ldx.dw(R3, R7, CGROUP_RECORD.id)),
      mov.reg(R1, R7), add.imm(R1, CGROUP_RECORD.id), mov.imm(R2, 8), add.imm(R3, o.knId),
      call(Helper.probeReadKernel),
    ],
    path: [comment('path: the second argument', ldx.dw(R3, R6, 8))],
  });
}

/** The program for one of the two events on the classic tracepoint, whose record layout `format` gives. */
export function cgroupEventProgram(kind: CgroupEventKind, format: TracepointFormat): Item[] {
  const root = fieldOffset(format, 'root');
  const id = fieldOffset(format, 'id');
  const path = fieldOffset(format, 'path');
  return cgroupEventSkeleton(kind, {
    hierarchy: [ldx.w(R1, R6, root)],
    id: [ldx.dw(R1, R6, id), stx.dw(R7, CGROUP_RECORD.id, R1)],
    path: [comment('path: __data_loc string, its offset in the low 16 bits', ldx.w(R3, R6, path)), and.imm(R3, 0xffff), add.reg(R3, R6)],
  });
}

/**
 * What both hooks' programs do, with the parts that read the event: `hierarchy` leaves the
 * cgroup's hierarchy id in R1 (or jumps to 'out'), `id` writes the cgroup id into the record at
 * R7, `path` leaves the address of the path's text in R3. R6 holds the context.
 */
function cgroupEventSkeleton(kind: CgroupEventKind, read: { readonly hierarchy: readonly Item[]; readonly id: readonly Item[]; readonly path: readonly Item[] }): Item[] {
  return [
    comment('r6 = context', mov.reg(R6, R1)),
    ...read.hierarchy,
    comment('v2 hierarchy only', jne.imm(R1, V2_HIERARCHY, 'out')),
    comment('reserve a record', ldMap(R1, CGROUP_EVENTS_MAP)),
    mov.imm(R2, CGROUP_RECORD.size),
    mov.imm(R3, 0),
    call(Helper.ringbufReserve),
    jeq.imm(R0, 0, 'out'),
    mov.reg(R7, R0),
    st.dw(R7, CGROUP_RECORD.kind, CGROUP_EVENT_KINDS.indexOf(kind)),
    ...read.id,
    call(Helper.ktimeGetNs),
    stx.dw(R7, CGROUP_RECORD.time, R0),
    ...read.path,
    mov.reg(R1, R7),
    add.imm(R1, CGROUP_RECORD.path),
    mov.imm(R2, CGROUP_PATH_BYTES),
    call(Helper.probeReadKernelStr),
    mov.reg(R1, R7),
    mov.imm(R2, RB_NO_WAKEUP),
    call(Helper.ringbufSubmit),
    label('out'),
    mov.imm(R0, 0),
    exit(),
  ];
}
