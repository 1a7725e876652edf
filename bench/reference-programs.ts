// Programs the bench loads itself on the syscall-entry hook, as floors and references for bpfql's
// own: an empty program (what any tool pays for being on the hook at all), on the classic and on
// the raw tracepoint, and count-by-comm written by hand the way a libbpf C program compiles, on
// the classic tracepoint, the raw one and tp_btf (where bpfql puts its own count by comm):
//
//   char comm[16]; bpf_get_current_comm(comm, 16);
//   u64 *v = bpf_map_lookup_elem(&counts, comm);
//   if (v) *v += 1; else { u64 one = 1; bpf_map_update_elem(&counts, comm, &one, BPF_ANY); }
//
// and, on tp_btf, the filtered count by syscall id the same way, comm compared as two words
// (bpf_get_current_comm pads the name with NULs):
//
//   if (((u64 *)comm)[0] != W0 || ((u64 *)comm)[1] != W1) return 0;
//   u64 id = ctx[1]; then the lookup and update above, keyed by id
//
// and the count by comm kept to one cgroup, the bench's own (the workload inherits it):
//
//   if (bpf_get_current_cgroup_id() != ID) return 0; then the count by comm
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Helper, R0, R1, R2, R3, R4, R6, R10, add, assemble, call, encode, exit, jeq, jne, ja, label, lddw, ldMap, ldx, mov, st, stx } from '../src/bpf/index.js';
import type { Item } from '../src/bpf/index.js';
import { attachBtfTracepoint, attachRawTracepoint, attachTracepoint } from '../src/kernel/attach.js';
import { kernelCatalogEnv } from '../src/runtime/kernel-env.js';
import { BpfMap } from '../src/kernel/map.js';
import { BpfProgram } from '../src/kernel/program.js';
import { KernelScope } from '../src/kernel/scope.js';
import { cgroup2MountPoint } from '../src/kernel/cgroup.js';
import { vmlinuxBtf } from '../src/kernel/btf.js';
import { WORKLOAD_COMM } from './workload.js';

export type ReferenceProgram =
  | 'empty-tracepoint' | 'empty-raw-tracepoint' | 'hand-count-by-comm' | 'hand-count-by-comm-raw' | 'hand-count-by-comm-btf' | 'hand-count-by-comm-btf-copy' | 'hand-filtered-count-btf' | 'hand-cgroup-count-by-comm-btf' | 'hand-cgroup-task-count-by-comm-btf' | 'first-on-hook-btf';

/** The name each reference program is loaded under (at most 15 characters, as the kernel keeps). */
export const REFERENCE_NAMES: { readonly [P in ReferenceProgram]: string } = {
  'empty-tracepoint': 'bench_empty',
  'empty-raw-tracepoint': 'bench_empty_raw',
  'hand-count-by-comm': 'bench_by_comm',
  'hand-count-by-comm-raw': 'bench_by_comm_r',
  'hand-count-by-comm-btf': 'bench_by_comm_b',
  'hand-count-by-comm-btf-copy': 'bench_by_comm_c',
  'hand-filtered-count-btf': 'bench_filter_b',
  'hand-cgroup-count-by-comm-btf': 'bench_cgroup_b',
  'hand-cgroup-task-count-by-comm-btf': 'bench_cgtask_b',
  'first-on-hook-btf': 'bench_first_b',
};

/** The same size bpfql gives its aggregation maps by default, so the hash tables compare. */
const COUNT_MAP_ENTRIES = 65536;

function emptyProgram(): Item[] {
  return [mov.imm(R0, 0), exit()];
}

/**
 * The map update every hand-written count ends with, for the key on the stack at `keyAt`: look it
 * up, add 1 in place, or insert it with a count of 1 (built at `oneAt`); then exit.
 */
function countKey(keyAt: number, oneAt: number): Item[] {
  return [
    ldMap(R1, 'counts'),
    mov.reg(R2, R10),
    add.imm(R2, keyAt),
    call(Helper.mapLookupElem),
    jeq.imm(R0, 0, 'miss'),
    ldx.dw(R1, R0, 0),
    add.imm(R1, 1),
    stx.dw(R0, 0, R1),
    ja('out'),
    label('miss'),
    st.dw(R10, oneAt, 1),
    ldMap(R1, 'counts'),
    mov.reg(R2, R10),
    add.imm(R2, keyAt),
    mov.reg(R3, R10),
    add.imm(R3, oneAt),
    mov.imm(R4, 0),
    call(Helper.mapUpdateElem),
    label('out'),
    mov.imm(R0, 0),
    exit(),
  ];
}

function countByComm(): Item[] {
  return [mov.reg(R1, R10), add.imm(R1, -16), mov.imm(R2, 16), call(Helper.getCurrentComm), ...countKey(-16, -24)];
}

/** The workload's comm as the two words bpf_get_current_comm leaves (NUL-padded to 16 bytes). */
function commWords(): [bigint, bigint] {
  const b = Buffer.alloc(16);
  b.write(WORKLOAD_COMM, 'latin1');
  return [b.readBigUInt64LE(0), b.readBigUInt64LE(8)];
}

/** The cgroup v2 id of this process's cgroup: the inode number of its directory. */
function ownCgroupId(): bigint {
  const mount = cgroup2MountPoint(readFileSync('/proc/self/mountinfo', 'utf8'));
  const line = readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((l) => l.startsWith('0::'));
  if (mount === undefined || line === undefined) throw new Error('no cgroup v2 here');
  return statSync(join(mount, line.slice(3)), { bigint: true }).ino;
}

/** Goes to 'out' unless the current task is in this process's cgroup. */
function inOwnCgroup(): Item[] {
  return [call(Helper.getCurrentCgroupId), lddw(R1, ownCgroupId()), jne.reg(R0, R1, 'out')];
}

/**
 * The same test without bpf_get_current_cgroup_id: the id read through the current task's BTF
 * pointers (task->cgroups->dfl_cgrp->kn->id), as a tp_btf program may.
 */
function inOwnCgroupByTask(): Item[] {
  const btf = vmlinuxBtf();
  return [
    call(Helper.getCurrentTaskBtf),
    ldx.dw(R1, R0, btf.memberOffset('task_struct', 'cgroups')),
    ldx.dw(R1, R1, btf.memberOffset('css_set', 'dfl_cgrp')),
    ldx.dw(R1, R1, btf.memberOffset('cgroup', 'kn')),
    ldx.dw(R1, R1, btf.memberOffset('kernfs_node', 'id')),
    lddw(R2, ownCgroupId()),
    jne.reg(R1, R2, 'out'),
  ];
}

/** tp_btf on sys_enter: the context is the u64 arguments, the syscall id the second. */
function filteredCountById(): Item[] {
  const [w0, w1] = commWords();
  return [
    mov.reg(R6, R1),
    mov.reg(R1, R10),
    add.imm(R1, -16),
    mov.imm(R2, 16),
    call(Helper.getCurrentComm),
    ldx.dw(R1, R10, -16),
    lddw(R2, w0),
    jne.reg(R1, R2, 'out'),
    ldx.dw(R1, R10, -8),
    lddw(R2, w1),
    jne.reg(R1, R2, 'out'),
    ldx.dw(R1, R6, 8),
    stx.dw(R10, -24, R1),
    ...countKey(-24, -32),
  ];
}

/** Loads and attaches one reference program to syscall entry; close the scope to detach. */
export function attachReference(which: ReferenceProgram): KernelScope {
  const scope = new KernelScope();
  const name = REFERENCE_NAMES[which];
  const counts = (keySize: number): ReadonlyMap<string, number> =>
    new Map([['counts', scope.add(BpfMap.create({ name: 'bench_counts', type: 'percpu_hash', keySize, valueSize: 8, maxEntries: COUNT_MAP_ENTRIES })).fd]]);
  const onTracepoint = (items: Item[], fds: ReadonlyMap<string, number>): void => {
    const prog = scope.add(BpfProgram.load({ name, type: 'tracepoint', insns: encode(assemble(items), fds), license: 'GPL' }));
    scope.add(attachTracepoint(prog, 'raw_syscalls', 'sys_enter'));
  };
  const onRaw = (items: Item[], fds: ReadonlyMap<string, number>): void => {
    const prog = scope.add(BpfProgram.load({ name, type: 'raw_tracepoint', insns: encode(assemble(items), fds), license: 'GPL' }));
    scope.add(attachRawTracepoint(prog, 'sys_enter'));
  };
  const onBtf = (items: Item[], fds: ReadonlyMap<string, number>): void => {
    const btfId = kernelCatalogEnv.btfTracepoint?.('sys_enter');
    if (btfId === undefined) throw new Error('no BTF for sys_enter');
    const prog = scope.add(BpfProgram.load({ name, type: 'tracing', attachBtfId: btfId, insns: encode(assemble(items), fds), license: 'GPL' }));
    scope.add(attachBtfTracepoint(prog, 'sys_enter'));
  };
  try {
    switch (which) {
      case 'empty-tracepoint': onTracepoint(emptyProgram(), new Map()); break;
      case 'empty-raw-tracepoint': onRaw(emptyProgram(), new Map()); break;
      case 'hand-count-by-comm': onTracepoint(countByComm(), counts(16)); break;
      case 'hand-count-by-comm-raw': onRaw(countByComm(), counts(16)); break;
      case 'hand-count-by-comm-btf': onBtf(countByComm(), counts(16)); break;
      case 'hand-count-by-comm-btf-copy': onBtf(countByComm(), counts(16)); break;
      case 'hand-filtered-count-btf': onBtf(filteredCountById(), counts(8)); break;
      case 'hand-cgroup-count-by-comm-btf': onBtf([...inOwnCgroup(), ...countByComm()], counts(16)); break;
      case 'hand-cgroup-task-count-by-comm-btf': onBtf([...inOwnCgroupByTask(), ...countByComm()], counts(16)); break;
      case 'first-on-hook-btf': onBtf(countByComm(), counts(16)); break;
    }
    return scope;
  } catch (e) {
    scope.closeAll();
    throw e;
  }
}
