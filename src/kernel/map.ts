// BPF maps: create, single-element access, and whole-map reads with batch commands into buffers
// that are allocated once and reused (each syscall through the FFI costs ~0.4 µs, so per-entry
// calls are the slow path, kept only for kernels without batch support).
import {
  BpfCmd,
  MapCreate,
  MapElem,
  MapBatch,
  UpdateFlags,
  batchCount,
  fillBatchAttr,
  fillElemAttr,
  mapCreateAttr,
} from './bpf-cmd.js';
import { possibleCpus } from './cpus.js';
import { Errno, KernelError } from './errors.js';
import { sys } from './sys.js';

import type { MapSpec, MapType } from '../bpf/map-spec.js';

export type { MapSpec, MapType };

/** enum bpf_map_type values. */
export const mapTypeIds: { readonly [T in MapType]: number } = {
  hash: 1,
  array: 2,
  percpu_hash: 5,
  percpu_array: 6,
  stack_trace: 7,
  lru_hash: 9,
  lru_percpu_hash: 10,
  array_of_maps: 12,
  ringbuf: 27,
};

export function isPerCpu(type: MapType): boolean {
  switch (type) {
    case 'percpu_hash':
    case 'percpu_array':
    case 'lru_percpu_hash':
      return true;
    case 'hash':
    case 'array':
    case 'lru_hash':
    case 'ringbuf':
    case 'stack_trace':
    case 'array_of_maps':
      return false;
  }
}

function isArray(type: MapType): boolean {
  return type === 'array' || type === 'percpu_array' || type === 'array_of_maps';
}

const roundUp8 = (n: number): number => (n + 7) & ~7;

/** Bytes of one per-CPU value as user space sees it: each CPU's slot rounded up to 8, × possible CPUs. */
export function perCpuValueSize(valueSize: number): number {
  return roundUp8(valueSize) * possibleCpus();
}

/**
 * The most bytes of keys and values one batch read takes (one entry more only when it alone is
 * larger). The buffers are kept from read to read, and each page the kernel writes into stays
 * resident: sized by entries alone, a map of p99 (15 KB a key and CPU, 682 keys) had a 21 MB value
 * buffer on two CPUs (it would be 1.3 GB on 128), and bpfql serve's RSS rose every time a window
 * held more keys than any before it (bench part 8, tenth session).
 */
export const MAX_BATCH_BYTES = 1 << 20;

export interface BatchOptions {
  /** Delete what is read (LOOKUP_AND_DELETE_BATCH); hash maps only. */
  readonly drain?: boolean;
  /**
   * Entries per syscall; default min(maxEntries, 4096), and never more than fit in MAX_BATCH_BYTES.
   * Grown automatically if a hash bucket needs more.
   */
  readonly batchSize?: number;
}

/**
 * Called once per batch. `keys` holds `count` keys of keySize bytes back to back, `values` the
 * matching values (valueBufferSize bytes each). Both buffers are reused for the next batch: copy
 * what must outlive the call.
 */
export type BatchCallback = (keys: Buffer, values: Buffer, count: number) => void;

interface BatchBuffers {
  readonly capacity: number;
  readonly keys: Buffer;
  readonly values: Buffer;
  /** Two opaque position tokens: the kernel reads one (in_batch) and writes the other (out_batch). */
  readonly tokens: readonly [Buffer, Buffer];
  readonly attr: Buffer;
}

export class BpfMap {
  readonly fd: number;
  readonly spec: MapSpec;
  /** Bytes a value buffer must have for lookup/update: valueSize, or perCpuValueSize for per-CPU maps. */
  readonly valueBufferSize: number;
  private readonly elemAttr = Buffer.alloc(MapElem.size);
  // The key and value of the element call in progress. Once their addresses are taken, nothing
  // else may reference them, and a GC during the call would free memory the kernel is using.
  private readonly pinned: [Buffer | undefined, Buffer | undefined] = [undefined, undefined];
  private batch: BatchBuffers | undefined;
  /** Set when the kernel refused batch reads, so later reads go straight to the per-entry path. */
  private batchUnsupported = false;
  private closed = false;

  private constructor(fd: number, spec: MapSpec) {
    this.fd = fd;
    this.spec = spec;
    this.valueBufferSize = isPerCpu(spec.type) ? perCpuValueSize(spec.valueSize) : spec.valueSize;
  }

  /** `inner`: for array_of_maps, the map whose type and layout every stored map has. */
  static create(spec: MapSpec, inner?: BpfMap): BpfMap {
    if ((spec.type === 'array_of_maps') !== (inner !== undefined)) {
      throw new Error(`map '${spec.name}': an inner map is given exactly for array_of_maps`);
    }
    const attr = mapCreateAttr({
      mapType: mapTypeIds[spec.type],
      keySize: spec.keySize,
      valueSize: spec.valueSize,
      maxEntries: spec.maxEntries,
      flags: spec.flags ?? 0,
      name: spec.name,
      ...(inner === undefined ? {} : { innerMapFd: inner.fd }),
    });
    const fd = sys().bpf(BpfCmd.MAP_CREATE, attr, MapCreate.size);
    if (fd < 0) throw new KernelError('BPF_MAP_CREATE', -fd, { subject: `map '${spec.name}'` });
    return new BpfMap(fd, spec);
  }

  /** Copies the value for `key` into `value`; false when the key is absent. */
  lookup(key: Buffer, value: Buffer): boolean {
    this.checkKey(key);
    this.checkValue(value);
    const r = this.elemCall(BpfCmd.MAP_LOOKUP_ELEM, key, value, 0);
    if (r === -Errno.ENOENT) return false;
    if (r < 0) throw this.error('BPF_MAP_LOOKUP_ELEM', -r);
    return true;
  }

  update(key: Buffer, value: Buffer, flags: number = UpdateFlags.ANY): void {
    this.checkKey(key);
    this.checkValue(value);
    const r = this.elemCall(BpfCmd.MAP_UPDATE_ELEM, key, value, flags);
    if (r < 0) throw this.error('BPF_MAP_UPDATE_ELEM', -r);
  }

  /**
   * array_of_maps: stores `map` in slot `index`. For map-in-map types the kernel returns from this
   * only after an RCU grace period (synchronize_rcu in maybe_wait_bpf_programs, kernel/bpf/syscall.c,
   * since 4.20): every program that was running when the slot changed has finished, so none can
   * still be using the map the slot held before.
   */
  setMap(index: number, map: BpfMap): void {
    if (this.spec.type !== 'array_of_maps') throw new Error(`map '${this.spec.name}' is a ${this.spec.type}, not an array_of_maps`);
    const key = Buffer.alloc(4);
    key.writeUInt32LE(index);
    const value = Buffer.alloc(4);
    value.writeUInt32LE(map.fd);
    this.update(key, value);
  }

  /** False when the key was absent. */
  delete(key: Buffer): boolean {
    this.checkKey(key);
    const r = this.elemCall(BpfCmd.MAP_DELETE_ELEM, key, undefined, 0);
    if (r === -Errno.ENOENT) return false;
    if (r < 0) throw this.error('BPF_MAP_DELETE_ELEM', -r);
    return true;
  }

  /**
   * Reads every entry, batch by batch, and returns how many were read. Uses
   * BPF_MAP_LOOKUP_BATCH (LOOKUP_AND_DELETE_BATCH when draining) and falls back to
   * GET_NEXT_KEY + LOOKUP_ELEM when the kernel has no batch support for this map.
   */
  forEachBatch(each: BatchCallback, opts: BatchOptions = {}): number {
    const drain = opts.drain ?? false;
    if (drain && isArray(this.spec.type)) {
      throw new Error(`cannot drain array map '${this.spec.name}': array entries cannot be deleted`);
    }
    if (this.spec.type === 'ringbuf' || this.spec.type === 'stack_trace') {
      throw new Error(`map '${this.spec.name}' is a ${this.spec.type}: it has no entries to read in batches`);
    }
    const entryBytes = Math.max(1, this.spec.keySize) + Math.max(1, this.valueBufferSize);
    const wanted = Math.max(1, Math.min(opts.batchSize ?? 4096, this.spec.maxEntries, Math.floor(MAX_BATCH_BYTES / entryBytes)));
    if (!this.batchUnsupported) {
      const total = this.readBatches(each, drain, wanted);
      if (total !== undefined) return total;
      this.batchUnsupported = true;
    }
    return this.readByKeys(each, drain, wanted);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    sys().close(this.fd);
  }

  /** One element command; `key` / `value` undefined send NULL. Returns the raw result. */
  private elemCall(cmd: number, key: Buffer | undefined, value: Buffer | undefined, flags: number): number {
    const s = sys();
    this.pinned[0] = key;
    this.pinned[1] = value;
    fillElemAttr(
      this.elemAttr,
      this.fd,
      key === undefined ? 0n : s.address(key),
      value === undefined ? 0n : s.address(value),
      flags,
    );
    const r = s.bpf(cmd, this.elemAttr, MapElem.size);
    this.pinned[0] = undefined;
    this.pinned[1] = undefined;
    return r;
  }

  /** The batch loop; undefined when the kernel does not support batch reads of this map. */
  private readBatches(each: BatchCallback, drain: boolean, wanted: number): number | undefined {
    const cmd = drain ? BpfCmd.MAP_LOOKUP_AND_DELETE_BATCH : BpfCmd.MAP_LOOKUP_BATCH;
    const op = drain ? 'BPF_MAP_LOOKUP_AND_DELETE_BATCH' : 'BPF_MAP_LOOKUP_BATCH';
    const s = sys();
    let b = this.batchBuffers(wanted);
    let total = 0;
    let inToken: Buffer | undefined;
    for (;;) {
      const outToken = inToken === b.tokens[0] ? b.tokens[1] : b.tokens[0];
      fillBatchAttr(b.attr, {
        inBatch: inToken === undefined ? 0n : s.address(inToken),
        outBatch: s.address(outToken),
        keys: s.address(b.keys),
        values: s.address(b.values),
        count: b.capacity,
        mapFd: this.fd,
      });
      const r = s.bpf(cmd, b.attr, MapBatch.size);
      if (r < 0 && r !== -Errno.ENOENT) {
        const errno = -r;
        if (total === 0 && inToken === undefined && unsupported(errno)) return undefined;
        // A hash bucket holds more entries than fit: grow the buffers and read the same bucket again.
        if (errno === Errno.ENOSPC && b.capacity < this.spec.maxEntries) {
          const carried = inToken === undefined ? undefined : Buffer.from(inToken);
          b = this.batchBuffers(Math.min(b.capacity * 2, this.spec.maxEntries));
          if (carried !== undefined) {
            carried.copy(b.tokens[0]);
            inToken = b.tokens[0];
          }
          continue;
        }
        throw this.error(op, errno);
      }
      // The last batch fails with ENOENT and may still carry entries: take them first.
      const count = batchCount(b.attr);
      if (count > 0) {
        each(b.keys, b.values, count);
        total += count;
      }
      if (r === -Errno.ENOENT) return total;
      inToken = outToken;
    }
  }

  /** The per-entry path: GET_NEXT_KEY + LOOKUP_ELEM (+ DELETE_ELEM when draining), in batches of `wanted`. */
  private readByKeys(each: BatchCallback, drain: boolean, wanted: number): number {
    const b = this.batchBuffers(wanted);
    const { keySize } = this.spec;
    const valueSize = this.valueBufferSize;
    const prev = Buffer.alloc(keySize);
    const next = Buffer.alloc(keySize);
    let total = 0;
    let filled = 0;
    let started = false;
    // Draining restarts from the first key each time (the previous one is gone); bound it by
    // max_entries so a map refilled as fast as it is drained still ends.
    for (let seen = 0; !drain || seen < this.spec.maxEntries; seen++) {
      const r = this.elemCall(BpfCmd.MAP_GET_NEXT_KEY, started && !drain ? prev : undefined, next, 0);
      if (r === -Errno.ENOENT) break;
      if (r < 0) throw this.error('BPF_MAP_GET_NEXT_KEY', -r);
      started = true;
      next.copy(prev);
      const value = b.values.subarray(filled * valueSize, (filled + 1) * valueSize);
      if (!this.lookup(next, value)) continue; // deleted between the two calls
      if (drain) this.delete(next);
      next.copy(b.keys, filled * keySize);
      filled++;
      if (filled === b.capacity) {
        each(b.keys, b.values, filled);
        total += filled;
        filled = 0;
      }
    }
    if (filled > 0) {
      each(b.keys, b.values, filled);
      total += filled;
    }
    return total;
  }

  private batchBuffers(capacity: number): BatchBuffers {
    if (this.batch?.capacity !== capacity) {
      const tokenSize = Math.max(8, this.spec.keySize);
      this.batch = {
        capacity,
        keys: Buffer.alloc(capacity * Math.max(1, this.spec.keySize)),
        values: Buffer.alloc(capacity * Math.max(1, this.valueBufferSize)),
        tokens: [Buffer.alloc(tokenSize), Buffer.alloc(tokenSize)],
        attr: Buffer.alloc(MapBatch.size),
      };
    }
    return this.batch;
  }

  // The kernel writes keySize / valueBufferSize bytes through these pointers: a shorter buffer
  // would be overrun, so refuse it before the call.
  private checkKey(key: Buffer): void {
    if (key.length < this.spec.keySize) {
      throw new RangeError(`key for map '${this.spec.name}' has ${key.length} bytes; it needs ${this.spec.keySize}`);
    }
  }

  private checkValue(value: Buffer): void {
    if (value.length < this.valueBufferSize) {
      throw new RangeError(
        `value for map '${this.spec.name}' has ${value.length} bytes; it needs ${this.valueBufferSize}` +
          (isPerCpu(this.spec.type) ? ` (${this.spec.valueSize} rounded up to 8, × ${possibleCpus()} possible CPUs)` : ''),
      );
    }
  }

  private error(op: string, errno: number): KernelError {
    const hint =
      op === 'BPF_MAP_UPDATE_ELEM' && (errno === Errno.E2BIG || errno === Errno.ENOSPC)
        ? `map '${this.spec.name}' is full (max_entries ${this.spec.maxEntries}): give it a larger max_entries`
        : undefined;
    return new KernelError(op, errno, { subject: `map '${this.spec.name}'`, hint });
  }
}

function unsupported(errno: number): boolean {
  return errno === Errno.EINVAL || errno === Errno.ENOTSUPP || errno === Errno.EOPNOTSUPP;
}
