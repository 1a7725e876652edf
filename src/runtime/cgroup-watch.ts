// Reads the cgroup_mkdir and cgroup_rmdir events of the v2 hierarchy while a query runs (the
// programs are bpf-templates/cgroup-events.ts). Attached before the tree is walked, so a cgroup is
// in the walk, in the events, or in both; never in neither.
import { assemble } from '../bpf/index.js';
import { CGROUP_EVENT_KINDS, CGROUP_EVENTS_MAP, CGROUP_PATH_BYTES, CGROUP_RECORD, cgroupEventProgram, cgroupEventRawProgram, cgroupEventsMap } from '../bpf-templates/cgroup-events.js';
import type { CgroupBtfOffsets, CgroupEventKind } from '../bpf-templates/cgroup-events.js';
import { parseFormat } from '../catalog/format.js';
import { attachRawTracepoint, attachTracepoint } from '../kernel/attach.js';
import { vmlinuxBtf } from '../kernel/btf.js';
import { KernelError } from '../kernel/errors.js';
import { Collection } from '../kernel/collection.js';
import { RingBuffer } from '../kernel/ringbuf.js';
import type { Closeable } from '../kernel/scope.js';
import { KernelScope } from '../kernel/scope.js';
import { readFormat } from '../kernel/tracefs.js';
import { readCString } from './decode-aggregates.js';

export interface CgroupEvent {
  readonly kind: CgroupEventKind;
  readonly id: bigint;
  /** From the hierarchy's root, as the cgroup text column shows it. */
  readonly path: string;
  /** CLOCK_MONOTONIC ns. */
  readonly mono: bigint;
}

export class CgroupWatch implements Closeable {
  private constructor(private readonly scope: KernelScope, private readonly ring: RingBuffer) {}

  /**
   * Loads and attaches both programs, on the raw tracepoints where the kernel's BTF gives the
   * cgroup's fields (a BPF link each: detached in microseconds at exit), else on the classic
   * ones; a KernelError (nothing left open) when the kernel refuses.
   */
  static start(): CgroupWatch {
    const scope = new KernelScope();
    try {
      const offsets = cgroupOffsets();
      const loaded = scope.add(Collection.load({
        maps: [cgroupEventsMap],
        programs: CGROUP_EVENT_KINDS.map((kind) => ({
          name: `bpfql_cg_${kind}`,
          type: offsets === undefined ? 'tracepoint' : 'raw_tracepoint',
          assembled: assemble(offsets === undefined ? cgroupEventProgram(kind, parseFormat(readFormat('cgroup', `cgroup_${kind}`))) : cgroupEventRawProgram(kind, offsets)),
          license: 'GPL',
        })),
        mapNamePrefix: 'bpfql_',
      }));
      CGROUP_EVENT_KINDS.forEach((kind, i) => {
        const prog = loaded.programs[i]!;
        scope.add(offsets === undefined ? attachTracepoint(prog, 'cgroup', `cgroup_${kind}`) : attachRawTracepoint(prog, `cgroup_${kind}`));
      });
      const ring = scope.add(new RingBuffer(loaded.maps.get(CGROUP_EVENTS_MAP)!));
      return new CgroupWatch(scope, ring);
    } catch (e) {
      scope.closeAll();
      throw e;
    }
  }

  /** The events written since the last read, oldest first. */
  read(): CgroupEvent[] {
    const out: CgroupEvent[] = [];
    let bytes: Buffer | undefined;
    this.ring.poll((view, offset) => {
      bytes ??= Buffer.from(view.buffer, view.byteOffset, view.byteLength);
      out.push({
        kind: CGROUP_EVENT_KINDS[Number(bytes.readBigUInt64LE(offset + CGROUP_RECORD.kind))] ?? 'mkdir',
        id: bytes.readBigUInt64LE(offset + CGROUP_RECORD.id),
        mono: bytes.readBigUInt64LE(offset + CGROUP_RECORD.time),
        path: readCString(bytes, offset + CGROUP_RECORD.path, CGROUP_PATH_BYTES),
      });
    });
    return out;
  }

  close(): void {
    this.scope.closeAll();
  }
}

/** The cgroup's fields in the running kernel's BTF; undefined without readable BTF. */
function cgroupOffsets(): CgroupBtfOffsets | undefined {
  try {
    const btf = vmlinuxBtf();
    return {
      root: btf.memberOffset('cgroup', 'root'),
      kn: btf.memberOffset('cgroup', 'kn'),
      hierarchyId: btf.memberOffset('cgroup_root', 'hierarchy_id'),
      knId: btf.memberOffset('kernfs_node', 'id'),
    };
  } catch (e) {
    if (e instanceof KernelError && e.op === 'BTF') return undefined;
    throw e;
  }
}
