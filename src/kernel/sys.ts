// The one door to the kernel: every syscall bpfql makes goes through the Sys returned by sys(),
// so unit tests can install a fake with setSys() and check exactly what would have been sent.
// This is the only file that imports koffi, and it loads it only when the real Sys is first
// needed: code that never makes a syscall (EXPLAIN, unit tests with a fake) does not pay for it.
import { createRequire } from 'node:module';
import type Koffi from 'koffi';
import { KernelError } from './errors.js';

type KoffiModule = typeof Koffi;

let loaded: { readonly koffi: KoffiModule; readonly libc: ReturnType<KoffiModule['load']> } | undefined;

/** koffi and glibc, loaded on first use and shared by every caller here. */
function native(): NonNullable<typeof loaded> {
  if (loaded === undefined) {
    const koffi = createRequire(import.meta.url)('koffi') as KoffiModule;
    loaded = { koffi, libc: koffi.load('libc.so.6') };
  }
  return loaded;
}

export interface Sys {
  /** bpf(2): the result (an fd, 0, …) or -errno. */
  bpf(cmd: number, attr: Buffer, size: number): number;
  /** perf_event_open(2): an fd or -errno. */
  perfEventOpen(attr: Buffer, pid: number, cpu: number, groupFd: number, flags: number): number;
  /** ioctl(2) with an integer argument: the result or -errno. */
  ioctl(fd: number, request: number, arg: number): number;
  close(fd: number): number;
  /** mmap(2) of an fd: the address, or throws KernelError. */
  mmap(length: number, prot: number, flags: number, fd: number, offset: number): bigint;
  munmap(address: bigint, length: number): number;
  /** A zero-copy ArrayBuffer over mapped memory; invalid once the memory is unmapped. */
  view(address: bigint, length: number): ArrayBuffer;
  /** The address of a Buffer's bytes, for the u64 pointer fields of bpf_attr. */
  address(buf: Buffer): bigint;
  /** The kernel's page size in bytes (ring buffer mappings are page-granular). */
  pageSize(): number;
  /**
   * Resolves true when `fd` becomes readable, false after `timeoutMs` or when `signal` aborts,
   * without blocking the event loop. Absent when the FFI cannot watch fds; callers then poll on a timer.
   */
  waitReadable?(fd: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
}

/** Syscall numbers per architecture (bpfql is measured on x86_64; arm64 Linux uses the generic table). */
const syscallNumbers: Readonly<Record<string, { readonly bpf: number; readonly perfEventOpen: number }>> = {
  x64: { bpf: 321, perfEventOpen: 298 },
  arm64: { bpf: 280, perfEventOpen: 241 },
};
const _SC_PAGESIZE = 30;
const MAP_FAILED = 0xffffffffffffffffn;

function createRealSys(): Sys {
  const nr = syscallNumbers[process.arch];
  if (nr === undefined) throw new Error(`bpfql does not know the syscall numbers of ${process.arch}`);
  const { koffi, libc } = native();
  // glibc's syscall() is variadic; declared with fixed integer/pointer parameters it is still
  // called correctly (on x86_64 and Linux arm64 integer args go in the same registers either
  // way) and costs less per call.
  const syscallBpf = libc.func('syscall', 'long', ['long', 'long', 'void *', 'long']);
  const syscallPerf = libc.func('syscall', 'long', ['long', 'void *', 'long', 'long', 'long', 'long']);
  const ioctl = libc.func('ioctl', 'int', ['int', 'unsigned long', 'unsigned long']);
  const close = libc.func('close', 'int', ['int']);
  const mmap = libc.func('mmap', 'void *', ['void *', 'size_t', 'int', 'int', 'int', 'int64_t']);
  const munmap = libc.func('munmap', 'int', ['uint64_t', 'size_t']);
  const sysconf = libc.func('sysconf', 'long', ['int']);
  let page = 0;

  // Read errno right after the call, before anything else can overwrite it.
  const check = (r: number): number => (r < 0 ? -koffi.errno() : r);

  const sys: Sys = {
    bpf: (cmd, attr, size) => check(syscallBpf(nr.bpf, cmd, attr, size) as number),
    perfEventOpen: (attr, pid, cpu, groupFd, flags) =>
      check(syscallPerf(nr.perfEventOpen, attr, pid, cpu, groupFd, flags) as number),
    ioctl: (fd, request, arg) => check(ioctl(fd, request, arg) as number),
    close: (fd) => check(close(fd) as number),
    mmap: (length, prot, flags, fd, offset) => {
      const addr = mmap(null, length, prot, flags, fd, offset) as bigint | null;
      if (addr === null || addr === MAP_FAILED) throw new KernelError('mmap', koffi.errno());
      return addr;
    },
    munmap: (address, length) => check(munmap(address, length) as number),
    view: (address, length) => koffi.view(address, length),
    address: (buf) => koffi.address(buf),
    pageSize: () => {
      if (page === 0) page = sysconf(_SC_PAGESIZE) as number;
      return page;
    },
  };
  // koffi.node.poll watches an fd from libuv's own epoll, so waiting costs no thread.
  // Older koffi builds lack koffi.node although its typings declare it.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  if (typeof koffi.node?.poll === 'function') {
    sys.waitReadable = (fd, timeoutMs, signal) => waitWithLibuv(koffi, fd, timeoutMs, signal);
  }
  return sys;
}

function waitWithLibuv(koffi: KoffiModule, fd: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve(false);
      return;
    }
    let done = false;
    const finish = (ready: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      handle.close();
      resolve(ready);
    };
    const onAbort = (): void => finish(false);
    const handle = koffi.node.poll(fd, { readable: true }, () => finish(true));
    const timer = setTimeout(() => finish(false), timeoutMs);
    signal?.addEventListener('abort', onAbort);
  });
}

/** The socket calls of unix-datagram.ts: each the result or -errno. Not part of Sys: no query makes them. */
export interface LibcSockets {
  socket(domain: number, type: number, protocol: number): number;
  connect(fd: number, addr: Buffer, length: number): number;
  bind(fd: number, addr: Buffer, length: number): number;
  send(fd: number, data: Buffer, length: number, flags: number): number;
  recv(fd: number, into: Buffer, length: number, flags: number): number;
  close(fd: number): number;
}

let sockets: LibcSockets | undefined;

export function libcSockets(): LibcSockets {
  if (sockets !== undefined) return sockets;
  const { koffi, libc } = native();
  const check = (r: number): number => (r < 0 ? -koffi.errno() : r);
  const socket = libc.func('socket', 'int', ['int', 'int', 'int']);
  const connect = libc.func('connect', 'int', ['int', 'void *', 'uint32']);
  const bind = libc.func('bind', 'int', ['int', 'void *', 'uint32']);
  const send = libc.func('send', 'long', ['int', 'void *', 'size_t', 'int']);
  const recv = libc.func('recv', 'long', ['int', 'void *', 'size_t', 'int']);
  const close = libc.func('close', 'int', ['int']);
  sockets = {
    socket: (domain, type, protocol) => check(socket(domain, type, protocol) as number),
    connect: (fd, addr, length) => check(connect(fd, addr, length) as number),
    bind: (fd, addr, length) => check(bind(fd, addr, length) as number),
    send: (fd, data, length, flags) => check(send(fd, data, length, flags) as number),
    recv: (fd, into, length, flags) => check(recv(fd, into, length, flags) as number),
    close: (fd) => check(close(fd) as number),
  };
  return sockets;
}

let trim: ((pad: number) => unknown) | undefined;

/**
 * glibc's malloc_trim(0): hands the free pages of every malloc arena back to the kernel; says
 * whether any were. A long-running server needs it: Node's threads (V8's workers, libuv's pool)
 * and the native code around DuckDB allocate from per-thread arenas, and glibc gives a non-main
 * arena's memory back only when it is free at the arena's top, so pages freed in its middle stay
 * in the RSS for good. Not part of Sys: no query makes it.
 */
export function mallocTrim(): boolean {
  trim ??= native().libc.func('malloc_trim', 'int', ['size_t']) as (pad: number) => unknown;
  return trim(0) === 1;
}

let arenaMax: ((param: number, value: number) => unknown) | undefined;

/** glibc's M_ARENA_MAX (malloc.h): mallopt's parameter for the most malloc arenas. */
const M_ARENA_MAX = -8;

/**
 * mallopt(M_ARENA_MAX, n): threads that first allocate from now on share at most `n` malloc
 * arenas, instead of glibc's 8 per core. Each arena keeps its own free pages and fragments on
 * its own, so for a long-running server that trims them (mallocTrim) fewer arenas are less memory
 * held. Threads that already have an arena keep it. Says whether glibc took it.
 */
export function limitMallocArenas(n: number): boolean {
  arenaMax ??= native().libc.func('mallopt', 'int', ['int', 'int']) as (param: number, value: number) => unknown;
  return arenaMax(M_ARENA_MAX, n) === 1;
}

let real: Sys | undefined;
let current: Sys | undefined;

/** The Sys in use: a fake installed by setSys, else the real one (created on first use). */
export function sys(): Sys {
  if (current !== undefined) return current;
  real ??= createRealSys();
  return real;
}

/** Installs a fake Sys for tests; undefined restores the real one. */
export function setSys(s: Sys | undefined): void {
  current = s;
}
