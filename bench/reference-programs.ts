// Programs the bench loads itself on the syscall-entry hook, as floors and references for bpfql's
// own: an empty program (what any tool pays for being on the hook at all), on the classic and on
// the raw tracepoint, and count-by-comm written by hand the way a libbpf C program compiles, on
// the classic tracepoint, the raw one and tp_btf (where bpfql puts its own count by comm):
//
//   char comm[16]; bpf_get_current_comm(comm, 16);
//   u64 *v = bpf_map_lookup_elem(&counts, comm);
//   if (v) *v += 1; else { u64 one = 1; bpf_map_update_elem(&counts, comm, &one, BPF_ANY); }
import { Helper, R0, R1, R2, R3, R4, R10, add, assemble, call, encode, exit, jeq, ja, label, ldMap, ldx, mov, st, stx } from '../src/bpf/index.js';
import type { Item } from '../src/bpf/index.js';
import { attachBtfTracepoint, attachRawTracepoint, attachTracepoint } from '../src/kernel/attach.js';
import { kernelCatalogEnv } from '../src/runtime/kernel-env.js';
import { BpfMap } from '../src/kernel/map.js';
import { BpfProgram } from '../src/kernel/program.js';
import { KernelScope } from '../src/kernel/scope.js';

export type ReferenceProgram = 'empty-tracepoint' | 'empty-raw-tracepoint' | 'hand-count-by-comm' | 'hand-count-by-comm-raw' | 'hand-count-by-comm-btf';

/** The same size bpfql gives its aggregation maps by default, so the hash tables compare. */
const COUNT_MAP_ENTRIES = 65536;

function emptyProgram(): Item[] {
  return [mov.imm(R0, 0), exit()];
}

function countByComm(): Item[] {
  return [
    mov.reg(R1, R10),
    add.imm(R1, -16),
    mov.imm(R2, 16),
    call(Helper.getCurrentComm),
    ldMap(R1, 'counts'),
    mov.reg(R2, R10),
    add.imm(R2, -16),
    call(Helper.mapLookupElem),
    jeq.imm(R0, 0, 'miss'),
    ldx.dw(R1, R0, 0),
    add.imm(R1, 1),
    stx.dw(R0, 0, R1),
    ja('out'),
    label('miss'),
    st.dw(R10, -24, 1),
    ldMap(R1, 'counts'),
    mov.reg(R2, R10),
    add.imm(R2, -16),
    mov.reg(R3, R10),
    add.imm(R3, -24),
    mov.imm(R4, 0),
    call(Helper.mapUpdateElem),
    label('out'),
    mov.imm(R0, 0),
    exit(),
  ];
}

/** Loads and attaches one reference program to syscall entry; close the scope to detach. */
export function attachReference(which: ReferenceProgram): KernelScope {
  const scope = new KernelScope();
  try {
    switch (which) {
      case 'empty-tracepoint': {
        const prog = scope.add(load('bench_empty', 'tracepoint', emptyProgram(), new Map()));
        scope.add(attachTracepoint(prog, 'raw_syscalls', 'sys_enter'));
        break;
      }
      case 'empty-raw-tracepoint': {
        const prog = scope.add(load('bench_empty_raw', 'raw_tracepoint', emptyProgram(), new Map()));
        scope.add(attachRawTracepoint(prog, 'sys_enter'));
        break;
      }
      case 'hand-count-by-comm': {
        const counts = scope.add(BpfMap.create({ name: 'bench_counts', type: 'percpu_hash', keySize: 16, valueSize: 8, maxEntries: COUNT_MAP_ENTRIES }));
        const prog = scope.add(load('bench_by_comm', 'tracepoint', countByComm(), new Map([['counts', counts.fd]])));
        scope.add(attachTracepoint(prog, 'raw_syscalls', 'sys_enter'));
        break;
      }
      case 'hand-count-by-comm-btf': {
        const counts = scope.add(BpfMap.create({ name: 'bench_counts', type: 'percpu_hash', keySize: 16, valueSize: 8, maxEntries: COUNT_MAP_ENTRIES }));
        const btfId = kernelCatalogEnv.btfTracepoint?.('sys_enter');
        if (btfId === undefined) throw new Error('no BTF for sys_enter');
        const prog = scope.add(BpfProgram.load({ name: 'bench_by_comm_b', type: 'tracing', attachBtfId: btfId, insns: encode(assemble(countByComm()), new Map([['counts', counts.fd]])), license: 'GPL' }));
        scope.add(attachBtfTracepoint(prog, 'sys_enter'));
        break;
      }
      case 'hand-count-by-comm-raw': {
        const counts = scope.add(BpfMap.create({ name: 'bench_counts', type: 'percpu_hash', keySize: 16, valueSize: 8, maxEntries: COUNT_MAP_ENTRIES }));
        const prog = scope.add(load('bench_by_comm_r', 'raw_tracepoint', countByComm(), new Map([['counts', counts.fd]])));
        scope.add(attachRawTracepoint(prog, 'sys_enter'));
        break;
      }
    }
    return scope;
  } catch (e) {
    scope.closeAll();
    throw e;
  }
}

function load(name: string, type: 'tracepoint' | 'raw_tracepoint', items: Item[], fds: ReadonlyMap<string, number>): BpfProgram {
  return BpfProgram.load({ name, type, insns: encode(assemble(items), fds), license: 'GPL' });
}
