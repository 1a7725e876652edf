// A scripted stand-in for the kernel: records every call (with a copy of the attr as it was at
// call time) and lets a test answer bpf() the way the kernel would, including writing through the
// pointers in the attr. Addresses are handles into a table of the Buffers they came from.
import type { Sys } from '../../src/kernel/sys.js';

export interface BpfCall {
  readonly cmd: number;
  /** A copy of the attr at call time. */
  readonly attr: Buffer;
  readonly size: number;
}

export interface PerfOpenCall {
  readonly attr: Buffer;
  readonly pid: number;
  readonly cpu: number;
  readonly groupFd: number;
  readonly flags: number;
}

export class FakeSys implements Sys {
  readonly bpfCalls: BpfCall[] = [];
  readonly perfCalls: PerfOpenCall[] = [];
  readonly ioctlCalls: { fd: number; request: number; arg: number }[] = [];
  readonly closed: number[] = [];
  readonly unmapped: bigint[] = [];
  /** Answers bpf(); `attr` is the live buffer, so the answer may write results into it. */
  onBpf: (cmd: number, attr: Buffer, fake: FakeSys) => number = () => -38;
  onPerfEventOpen: (attr: Buffer, cpu: number) => number = () => -38;
  onIoctl: (fd: number, request: number) => number = () => 0;
  private readonly byAddress = new Map<bigint, Buffer>();
  private readonly addressOf = new Map<Buffer, bigint>();
  private readonly mapped = new Map<bigint, ArrayBuffer>();
  private nextAddress = 0x10000n;

  bpf(cmd: number, attr: Buffer, size: number): number {
    this.bpfCalls.push({ cmd, attr: Buffer.from(attr.subarray(0, size)), size });
    return this.onBpf(cmd, attr, this);
  }

  perfEventOpen(attr: Buffer, pid: number, cpu: number, groupFd: number, flags: number): number {
    this.perfCalls.push({ attr: Buffer.from(attr), pid, cpu, groupFd, flags });
    return this.onPerfEventOpen(attr, cpu);
  }

  ioctl(fd: number, request: number, arg: number): number {
    this.ioctlCalls.push({ fd, request, arg });
    return this.onIoctl(fd, request);
  }

  close(fd: number): number {
    this.closed.push(fd);
    return 0;
  }

  /** Tests provide the memory a mapping shows with `provideMapping`, in mmap call order. */
  readonly mappings: ArrayBuffer[] = [];
  readonly mmapCalls: { length: number; prot: number; flags: number; fd: number; offset: number }[] = [];

  mmap(length: number, prot: number, flags: number, fd: number, offset: number): bigint {
    this.mmapCalls.push({ length, prot, flags, fd, offset });
    const memory = this.mappings.shift();
    if (memory === undefined || memory.byteLength < length) throw new Error('FakeSys: no memory provided for this mmap');
    const address = this.fresh();
    this.mapped.set(address, memory);
    return address;
  }

  munmap(address: bigint): number {
    this.unmapped.push(address);
    return this.mapped.delete(address) ? 0 : -22;
  }

  view(address: bigint, length: number): ArrayBuffer {
    const memory = this.mapped.get(address);
    if (memory === undefined || memory.byteLength < length) throw new Error(`FakeSys: no mapping at ${address}`);
    return memory;
  }

  address(buf: Buffer): bigint {
    const known = this.addressOf.get(buf);
    if (known !== undefined) return known;
    const address = this.fresh();
    this.byAddress.set(address, buf);
    this.addressOf.set(buf, address);
    return address;
  }

  pageSize(): number {
    return 4096;
  }

  /** The Buffer behind an address handed out by address(); throws for 0 or unknown addresses. */
  deref(address: bigint): Buffer {
    const buf = this.byAddress.get(address);
    if (buf === undefined) throw new Error(`FakeSys: unknown address ${address}`);
    return buf;
  }

  private fresh(): bigint {
    const address = this.nextAddress;
    this.nextAddress += 0x10000n;
    return address;
  }
}

/** The NUL-terminated string at the start of a buffer. */
export function cString(buf: Buffer): string {
  const end = buf.indexOf(0);
  return buf.toString('utf8', 0, end === -1 ? buf.length : end);
}
