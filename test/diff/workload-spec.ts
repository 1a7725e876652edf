// What the differential workload does, as data: the generator draws constants from it (so WHERE
// clauses and groups hit real events) and workload-source.ts turns it into the C program. Every
// value is fixed here, so a round's events are the same from one run to the next.
import { createHash } from 'node:crypto';
import { Rng } from '../fuzz/rng.js';

export interface Seek {
  readonly fd: number;
  readonly offset: bigint;
  readonly whence: 0 | 1 | 2;
}

/** An openat(2) call, `times` times; `inSub` opens relative to a descriptor of the `sub` directory. */
export interface OpenCall {
  readonly path: string;
  readonly flags: number;
  readonly inSub: boolean;
  readonly times: number;
  /** Keep the descriptors open until the end, so later opens return other numbers. */
  readonly keep: boolean;
}

/** Files the round's directory holds before the workload starts (paths relative to it). */
export const FILES: readonly string[] = ['a0', 'a1', 'a2', 'sub/b0', 'sub/b1'];

/** Descriptors lseek is called on (all on one file), and one that is not open. */
export const SEEK_FDS: readonly number[] = [5, 6, 7, 8];
export const BAD_FD = 77;

/** Offsets stay below 2^36, so sums of them and small multiples of them stay far from 64 bits. */
export const MAX_OFFSET = 1n << 36n;

function makeSeeks(): Seek[] {
  // A fixed seed: the list is part of the spec, not of a run.
  const r = new Rng(0x5eed);
  const fds = [...SEEK_FDS, BAD_FD];
  const out: Seek[] = [];
  for (let i = 0; i < 240; i++) {
    const kind = r.int(10);
    const offset = kind < 4 ? BigInt(r.int(101)) : kind < 7 ? BigInt(r.int(4097)) * 4096n : (BigInt(r.next()) << 4n) | BigInt(r.int(16));
    out.push({ fd: fds[r.int(fds.length)]!, offset: offset % MAX_OFFSET, whence: r.pick([0, 0, 0, 1, 2] as const) });
  }
  return out;
}

export const SEEKS: readonly Seek[] = makeSeeks();

/** lseek(fd, -k, SEEK_CUR): offset is a signed off_t (the result may be EINVAL, which matters not). */
export const BACK_SEEKS: readonly Seek[] = [1n, 7n, 100n, 4096n, 1n << 20n, MAX_OFFSET - 1n].flatMap((k, i) => [{ fd: SEEK_FDS[i % SEEK_FDS.length]!, offset: -k, whence: 1 as const }, { fd: BAD_FD, offset: -k, whence: 1 as const }]);

/** kill(pid, sig) with signal 0 (nothing is sent) or an invalid one (EINVAL): pid and sig are signed ints. */
export interface KillCall {
  readonly pid: number;
  readonly sig: number;
  readonly times: number;
}

export const KILLS: readonly KillCall[] = [
  { pid: -77, sig: 0, times: 3 },
  { pid: -99999, sig: 0, times: 2 },
  { pid: -2147483648, sig: 0, times: 1 },
  { pid: -4096, sig: -5, times: 2 },
  { pid: 2147483647, sig: 0, times: 1 },
  { pid: -1, sig: -1, times: 2 },
];

/** newfstatat(dfd, path, &st, flag); dfd -100 is AT_FDCWD, -5 is bad (EBADF), null means the `sub` directory. */
export interface StatCall {
  readonly dfd: number | null;
  readonly path: string;
  readonly flag: number;
  readonly times: number;
}

export const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100;

export const STATS: readonly StatCall[] = [
  { dfd: AT_FDCWD, path: 'a0', flag: 0, times: 4 },
  { dfd: -5, path: 'a0', flag: 0, times: 2 },
  { dfd: null, path: 'b0', flag: AT_SYMLINK_NOFOLLOW, times: 3 },
  { dfd: AT_FDCWD, path: 'missing0', flag: -1, times: 1 },
];

/** fchownat(dfd, path, -1, -1, flag): owner and group -1 change nothing; uid_t and gid_t are unsigned. */
export const CHOWNS: readonly StatCall[] = [
  { dfd: AT_FDCWD, path: 'a1', flag: 0, times: 2 },
  { dfd: -7, path: 'a1', flag: AT_SYMLINK_NOFOLLOW, times: 1 },
  { dfd: AT_FDCWD, path: 'a2', flag: -1, times: 2 },
];

/**
 * TCP connections over loopback to listeners the workload makes (ports chosen by the kernel):
 * each accepted, then closed with a reset (SO_LINGER 0), so no socket lingers in TIME_WAIT and
 * every state change happens before the workload exits.
 */
export const CONNECTS_V4 = 3;
export const CONNECTS_V6 = 2;

/** Pauses between the workload's phases, so that its events span several EVERY windows. */
export const PHASE_PAUSE_MS = 60;
export const PHASES = 4;

const O_WRONLY = 0x1;
const O_RDWR = 0x2;
const O_CREAT = 0x40;
const O_EXCL = 0x80;
const O_APPEND = 0x400;
const O_NONBLOCK = 0x800;
const O_DIRECTORY = 0x10000;
const O_CLOEXEC = 0x80000;

export const OPENS: readonly OpenCall[] = [
  { path: 'a0', flags: 0, inSub: false, times: 5, keep: false },
  { path: 'a0', flags: O_CLOEXEC, inSub: false, times: 3, keep: true },
  { path: 'a1', flags: O_WRONLY | O_APPEND, inSub: false, times: 2, keep: false },
  { path: 'a1', flags: O_RDWR, inSub: false, times: 4, keep: true },
  { path: 'a2', flags: O_NONBLOCK, inSub: false, times: 1, keep: false },
  { path: 'a2', flags: O_DIRECTORY, inSub: false, times: 2, keep: false }, // ENOTDIR
  { path: 'a2', flags: O_CREAT | O_EXCL | O_WRONLY, inSub: false, times: 3, keep: false }, // EEXIST
  { path: 'c0', flags: O_CREAT | O_WRONLY, inSub: false, times: 2, keep: false },
  { path: 'sub/b0', flags: 0, inSub: false, times: 6, keep: false },
  { path: 'sub/b1', flags: O_CLOEXEC, inSub: false, times: 1, keep: true },
  { path: 'b0', flags: 0, inSub: true, times: 3, keep: false },
  { path: 'b1', flags: O_RDWR, inSub: true, times: 2, keep: true },
  { path: 'missing0', flags: 0, inSub: false, times: 4, keep: false }, // ENOENT
  { path: 'sub/missing1', flags: O_CLOEXEC, inSub: false, times: 2, keep: false },
  { path: 'missing2', flags: 0, inSub: true, times: 1, keep: false },
  { path: 'sub', flags: O_DIRECTORY, inSub: false, times: 2, keep: false },
];

/** read(2) from /dev/zero and write(2) to /dev/null of these sizes, the i-th (i % 3) + 1 times. */
export const IO_SIZES: readonly number[] = [0, 1, 7, 64, 100, 512, 4096, 4097, 65536];
/** Bad reads and writes: on BAD_FD (EBADF) and reading a directory (EISDIR). */
export const BAD_IO_TIMES = 3;

export const GETPPID_CALLS = 37;

/** Children exec'd by the workload: `<comm>e<i>` (copies of true), each EXEC_TIMES[i] times. */
export const EXEC_TIMES: readonly number[] = [3, 2, 1];

/** Forked children exiting with these statuses, and one killed by SIGTERM. */
export const EXIT_CODES: readonly number[] = [0, 1, 2, 3, 42];

/** Signals the workload sends itself: SIGUSR1 (handled) with kill, SIGUSR2 (blocked, so pending) with raise. */
export const SIGUSR1_TIMES = 4;
export const SIGUSR2_TIMES = 3;

/** Fresh anonymous pages the workload writes to (a user page fault each), and 1 ms sleeps (context switches). */
export const TOUCHED_PAGES = 16;
export const SLEEPS = 3;

/** Names the generator needs: the workload's comm and what it execs. */
export interface WorkloadNames {
  /** The workload's comm (its file name); at most 12 characters, so `<comm>e<i>` fits in 15. */
  readonly comm: string;
  /** The "container" the workload runs in: a cgroup named as Docker names one, and its Docker name. */
  readonly container: DiffContainer;
}

export interface DiffContainer {
  /** 64 hex digits. */
  readonly id: string;
  /** From the cgroup v2 root: `/<parent>/docker-<id>.scope`. */
  readonly cgroup: string;
  readonly name: string;
}

/** The container of this process's runs: the same in every round, so that a seed's query is too. */
export function diffContainer(pid: number): DiffContainer {
  const id = createHash('sha256').update(`bpfql-diff-${pid}`).digest('hex');
  return { id, cgroup: `/bpfql-diff-${pid}/docker-${id}.scope`, name: `diffbox${pid % 1000}` };
}

export function childComm(names: WorkloadNames, i: number): string {
  return `${names.comm}e${i}`;
}
