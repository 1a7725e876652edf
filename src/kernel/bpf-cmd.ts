// bpf(2) command numbers and the layout of `union bpf_attr` for each command bpfql uses. Every
// offset lives here and nowhere else. Each builder returns (or fills) a zeroed buffer of exactly
// the bytes its command reads; that length is what goes to the kernel as `size`, and the kernel
// treats everything past it as zero.

export const BpfCmd = {
  MAP_CREATE: 0,
  MAP_LOOKUP_ELEM: 1,
  MAP_UPDATE_ELEM: 2,
  MAP_DELETE_ELEM: 3,
  MAP_GET_NEXT_KEY: 4,
  PROG_LOAD: 5,
  PROG_TEST_RUN: 10,
  PROG_GET_NEXT_ID: 11,
  MAP_GET_NEXT_ID: 12,
  PROG_GET_FD_BY_ID: 13,
  MAP_GET_FD_BY_ID: 14,
  OBJ_GET_INFO_BY_FD: 15,
  RAW_TRACEPOINT_OPEN: 17,
  MAP_LOOKUP_BATCH: 24,
  MAP_LOOKUP_AND_DELETE_BATCH: 25,
  LINK_CREATE: 28,
  ENABLE_STATS: 32,
} as const;

/** Update flags of MAP_UPDATE_ELEM. */
export const UpdateFlags = { ANY: 0, NOEXIST: 1, EXIST: 2 } as const;

/** Object names (maps, programs) are 16 bytes: at most 15 characters of [A-Za-z0-9_.] and a NUL. */
export const OBJ_NAME_LEN = 16;

/** The name as the kernel will accept it: other characters become '_', cut to 15. */
export function kernelObjectName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.]/g, '_').slice(0, OBJ_NAME_LEN - 1);
}

/**
 * One allocation holding an attr of `size` bytes followed by a NUL-terminated string. A pointer
 * field of the attr can point at the string, and passing the attr to the kernel then keeps the
 * string alive through the call (a separate Buffer could be collected once its address is taken).
 */
export function attrWithString(size: number, text: string): { readonly attr: Buffer; readonly text: Buffer } {
  const mem = Buffer.alloc(size + Buffer.byteLength(text, 'utf8') + 1);
  mem.write(text, size, 'utf8');
  return { attr: mem.subarray(0, size), text: mem.subarray(size) };
}

function writeName(attr: Buffer, offset: number, name: string): void {
  attr.write(kernelObjectName(name), offset, OBJ_NAME_LEN - 1, 'latin1');
}

// ---- BPF_MAP_CREATE -------------------------------------------------------------------------

export const MapCreate = {
  mapType: 0,
  keySize: 4,
  valueSize: 8,
  maxEntries: 12,
  mapFlags: 16,
  innerMapFd: 20,
  mapName: 28,
  size: 44,
} as const;

export interface MapCreateFields {
  readonly mapType: number;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags: number;
  readonly name: string;
  /** Map-in-map types: a map whose type and layout every map stored in this one has. */
  readonly innerMapFd?: number;
}

export function mapCreateAttr(f: MapCreateFields): Buffer {
  const attr = Buffer.alloc(MapCreate.size);
  attr.writeUInt32LE(f.mapType, MapCreate.mapType);
  attr.writeUInt32LE(f.keySize, MapCreate.keySize);
  attr.writeUInt32LE(f.valueSize, MapCreate.valueSize);
  attr.writeUInt32LE(f.maxEntries, MapCreate.maxEntries);
  attr.writeUInt32LE(f.flags, MapCreate.mapFlags);
  attr.writeUInt32LE(f.innerMapFd ?? 0, MapCreate.innerMapFd);
  writeName(attr, MapCreate.mapName, f.name);
  return attr;
}

// ---- BPF_MAP_{LOOKUP,UPDATE,DELETE}_ELEM, BPF_MAP_GET_NEXT_KEY ----------------------------------

export const MapElem = { mapFd: 0, key: 8, value: 16, flags: 24, size: 32 } as const;

/** Fills a reusable MapElem.size buffer; `value` is next_key for GET_NEXT_KEY. 0n means NULL. */
export function fillElemAttr(attr: Buffer, mapFd: number, key: bigint, value: bigint, flags: number): void {
  attr.writeUInt32LE(mapFd, MapElem.mapFd);
  attr.writeUInt32LE(0, MapElem.mapFd + 4);
  attr.writeBigUInt64LE(key, MapElem.key);
  attr.writeBigUInt64LE(value, MapElem.value);
  attr.writeBigUInt64LE(BigInt(flags), MapElem.flags);
}

// ---- BPF_MAP_LOOKUP_BATCH, BPF_MAP_LOOKUP_AND_DELETE_BATCH ------------------------------------

export const MapBatch = {
  inBatch: 0,
  outBatch: 8,
  keys: 16,
  values: 24,
  count: 32,
  mapFd: 36,
  elemFlags: 40,
  flags: 48,
  size: 56,
} as const;

export interface MapBatchFields {
  /** Address of the token from the previous call's out_batch; 0n on the first call. */
  readonly inBatch: bigint;
  readonly outBatch: bigint;
  readonly keys: bigint;
  readonly values: bigint;
  /** Capacity of the key/value buffers in entries; the kernel overwrites it with the number filled. */
  readonly count: number;
  readonly mapFd: number;
}

export function fillBatchAttr(attr: Buffer, f: MapBatchFields): void {
  attr.writeBigUInt64LE(f.inBatch, MapBatch.inBatch);
  attr.writeBigUInt64LE(f.outBatch, MapBatch.outBatch);
  attr.writeBigUInt64LE(f.keys, MapBatch.keys);
  attr.writeBigUInt64LE(f.values, MapBatch.values);
  attr.writeUInt32LE(f.count, MapBatch.count);
  attr.writeUInt32LE(f.mapFd, MapBatch.mapFd);
  attr.writeBigUInt64LE(0n, MapBatch.elemFlags);
  attr.writeBigUInt64LE(0n, MapBatch.flags);
}

/** Entries the kernel filled in, read back after the call (valid even when it returned ENOENT). */
export function batchCount(attr: Buffer): number {
  return attr.readUInt32LE(MapBatch.count);
}

// ---- BPF_PROG_LOAD ----------------------------------------------------------------------------

export const ProgLoad = {
  progType: 0,
  insnCnt: 4,
  insns: 8,
  license: 16,
  logLevel: 24,
  logSize: 28,
  logBuf: 32,
  kernVersion: 40,
  progFlags: 44,
  progName: 48,
  expectedAttachType: 68,
  attachBtfId: 108,
  logTrueSize: 140,
  size: 144,
} as const;

export const INSN_SIZE = 8;

export interface ProgLoadFields {
  readonly progType: number;
  readonly insns: bigint;
  readonly insnCount: number;
  readonly license: bigint;
  readonly name: string;
  /** 0 = no log; 1 = the verifier explains a rejection. */
  readonly logLevel: number;
  readonly logBuf: bigint;
  readonly logSize: number;
  /** Tracing programs: the attach type they are loaded for and the BTF id of what they attach to. */
  readonly attach?: { readonly type: number; readonly btfId: number };
}

/** Fills a zeroed ProgLoad.size buffer (see attrWithString for the license). */
export function fillProgLoadAttr(attr: Buffer, f: ProgLoadFields): void {
  attr.writeUInt32LE(f.progType, ProgLoad.progType);
  attr.writeUInt32LE(f.insnCount, ProgLoad.insnCnt);
  attr.writeBigUInt64LE(f.insns, ProgLoad.insns);
  attr.writeBigUInt64LE(f.license, ProgLoad.license);
  attr.writeUInt32LE(f.logLevel, ProgLoad.logLevel);
  attr.writeUInt32LE(f.logSize, ProgLoad.logSize);
  attr.writeBigUInt64LE(f.logBuf, ProgLoad.logBuf);
  writeName(attr, ProgLoad.progName, f.name);
  if (f.attach) {
    attr.writeUInt32LE(f.attach.type, ProgLoad.expectedAttachType);
    attr.writeUInt32LE(f.attach.btfId, ProgLoad.attachBtfId);
  }
}

/** The log size the kernel needed (kernels from 6.4 fill it in; older ones leave 0). */
export function logTrueSize(attr: Buffer): number {
  return attr.readUInt32LE(ProgLoad.logTrueSize);
}

// ---- BPF_PROG_TEST_RUN ------------------------------------------------------------------------

/** The `test` member of union bpf_attr (the fields a raw-tracepoint run reads, and retval). */
export const ProgTestRun = { progFd: 0, retval: 4, ctxSizeIn: 40, ctxIn: 48, flags: 64, cpu: 68, size: 80 } as const;

/** BPF_F_TEST_RUN_ON_CPU: run on `cpu` rather than the calling one. */
export const TEST_RUN_ON_CPU = 1;

/** A zeroed ProgTestRun.size buffer running `progFd` on the context at `ctxIn` (raw tracepoints: u64 arguments). */
export function progTestRunAttr(progFd: number, ctxIn: bigint, ctxSize: number, cpu: number | undefined): Buffer {
  const attr = Buffer.alloc(ProgTestRun.size);
  attr.writeUInt32LE(progFd, ProgTestRun.progFd);
  attr.writeUInt32LE(ctxSize, ProgTestRun.ctxSizeIn);
  attr.writeBigUInt64LE(ctxIn, ProgTestRun.ctxIn);
  if (cpu !== undefined) {
    attr.writeUInt32LE(TEST_RUN_ON_CPU, ProgTestRun.flags);
    attr.writeUInt32LE(cpu, ProgTestRun.cpu);
  }
  return attr;
}

// ---- BPF_RAW_TRACEPOINT_OPEN ------------------------------------------------------------------

export const RawTracepointOpen = { name: 0, progFd: 8, size: 16 } as const;

/** Fills a zeroed RawTracepointOpen.size buffer (see attrWithString for the name). */
export function fillRawTracepointOpenAttr(attr: Buffer, name: bigint, progFd: number): void {
  attr.writeBigUInt64LE(name, RawTracepointOpen.name);
  attr.writeUInt32LE(progFd, RawTracepointOpen.progFd);
}

// ---- BPF_LINK_CREATE --------------------------------------------------------------------------

/** The fields common to every link kind; a perf-event link needs nothing past them. */
export const LinkCreate = { progFd: 0, targetFd: 4, attachType: 8, flags: 12, size: 16 } as const;

/** enum bpf_attach_type values of the links bpfql creates (TRACE_RAW_TP: tp_btf programs). */
export const AttachType = { TRACE_RAW_TP: 23, PERF_EVENT: 41 } as const;

export function linkCreateAttr(progFd: number, targetFd: number, attachType: number): Buffer {
  const attr = Buffer.alloc(LinkCreate.size);
  attr.writeUInt32LE(progFd, LinkCreate.progFd);
  attr.writeUInt32LE(targetFd, LinkCreate.targetFd);
  attr.writeUInt32LE(attachType, LinkCreate.attachType);
  return attr;
}

// ---- BPF_{PROG,MAP}_GET_NEXT_ID, BPF_{PROG,MAP}_GET_FD_BY_ID, BPF_OBJ_GET_INFO_BY_FD ----------

/** start_id / prog_id / map_id share offset 0; next_id is written back at 4. */
export const ObjId = { id: 0, nextId: 4, size: 12 } as const;

export function objIdAttr(id: number): Buffer {
  const attr = Buffer.alloc(ObjId.size);
  attr.writeUInt32LE(id, ObjId.id);
  return attr;
}

export const ObjInfo = { bpfFd: 0, infoLen: 4, info: 8, size: 16 } as const;

export function objInfoAttr(fd: number, info: bigint, infoLen: number): Buffer {
  const attr = Buffer.alloc(ObjInfo.size);
  attr.writeUInt32LE(fd, ObjInfo.bpfFd);
  attr.writeUInt32LE(infoLen, ObjInfo.infoLen);
  attr.writeBigUInt64LE(info, ObjInfo.info);
  return attr;
}

/** The fields of struct bpf_prog_info bpfql reads, and the prefix length that covers them. */
export const ProgInfo = { type: 0, id: 4, name: 64, size: 80 } as const;

/** The fields of struct bpf_map_info bpfql reads, and the prefix length that covers them. */
export const MapInfo = { type: 0, id: 4, keySize: 8, valueSize: 12, maxEntries: 16, name: 24, size: 40 } as const;

/** A NUL-padded object name field. */
export function readObjectName(buf: Buffer, offset: number): string {
  const field = buf.subarray(offset, offset + OBJ_NAME_LEN);
  const end = field.indexOf(0);
  return field.toString('latin1', 0, end === -1 ? OBJ_NAME_LEN : end);
}

// ---- BPF_ENABLE_STATS -----------------------------------------------------------------------

/** attr.enable_stats: the kind of statistics; BPF_STATS_RUN_TIME (0) is the only one. */
export const EnableStats = { type: 0, size: 4, RUN_TIME: 0 } as const;
