// The tables the differential generator queries, as the generator needs them: for each integer
// column the range its values lie in (for every event of the workload's processes), so that the
// expressions it writes never leave 64 bits, and values that really occur, so that constants hit;
// for each string column the values and prefixes that occur.
import { AT_FDCWD, BACK_SEEKS, BAD_FD, childComm, CHOWNS, EXEC_TIMES, EXIT_CODES, FILES, IO_SIZES, KILLS, MAX_OFFSET, OPENS, SEEK_FDS, SEEKS, STATS, type WorkloadNames } from './workload-spec.js';

export interface IntColumn {
  readonly name: string;
  readonly lo: bigint;
  readonly hi: bigint;
  /** UBIGINT in DuckDB (unsigned 64-bit): its expressions must never go below zero there. */
  readonly u64: boolean;
  /** Values events have, for constants. */
  readonly samples: readonly bigint[];
}

export interface StringColumn {
  readonly name: string;
  readonly samples: readonly string[];
  readonly prefixes: readonly string[];
  /** Shown as text from a raw integer: constants must be names the decoder knows. */
  readonly decoded: boolean;
}

export interface DiffTable {
  readonly name: string;
  /** The table's own integer columns (the generator prefers them), and those every table has. */
  readonly ints: readonly IntColumn[];
  readonly commonInts: readonly IntColumn[];
  /** String columns, own and common. */
  readonly strings: readonly StringColumn[];
  /** The comms whose events the table has (the restriction picks among them). */
  readonly comms: readonly string[];
  /**
   * Run both sides within the workload's cgroup (the engines' cgroupId): the table has too many
   * events machine-wide for the streamed side to take them all.
   */
  readonly scoped: boolean;
}

const int = (name: string, lo: bigint, hi: bigint, samples: readonly (number | bigint)[], u64 = false): IntColumn => ({
  name, lo, hi, u64, samples: samples.map((s) => BigInt(s)),
});
const str = (name: string, samples: readonly string[], prefixes: readonly string[], decoded = false): StringColumn => ({ name, samples, prefixes, decoded });

const PID_MAX = 1n << 22n;
const INT_MIN = -(1n << 31n);
const INT_MAX = (1n << 31n) - 1n;
const LOOPBACKS = ['127.0.0.1', '::1', '0.0.0.0', '::', '10.0.0.1'];
const ADDRESS_PREFIXES = ['127.', '::', '0.', '1', 'zz'];
const V6_SAMPLES = ['::1', '::', '::ffff:127.0.0.1', 'fe80::1'];
const TCP_STATES = ['ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN'];

function common(names: WorkloadNames, comms: readonly string[]): { ints: IntColumn[]; strings: StringColumn[] } {
  const c = names.container;
  return {
    ints: [
      int('pid', 1n, PID_MAX, [1, 1000, 100000]),
      int('tid', 1n, PID_MAX, [1, 1000, 100000]),
      int('ppid', 0n, PID_MAX, [1, 1000]),
      int('cpu', 0n, 4095n, [0, 1, 2]),
      int('uid', 0n, (1n << 32n) - 1n, [0, 1000]),
      int('gid', 0n, (1n << 32n) - 1n, [0, 1000]),
    ],
    strings: [
      str('comm', [...comms, 'node', 'bash'], [names.comm, `${names.comm}e`, names.comm.slice(0, 3), 'zz']),
      // The cgroup columns, named in user space from the cgroup id: the kernel takes = and LIKE as
      // a set of cgroup ids, and a 12-character container_id as the prefix `docker ps` shows.
      str('cgroup', [c.cgroup, c.cgroup.slice(0, c.cgroup.lastIndexOf('/')), '/'], [c.cgroup.slice(0, 12), `${c.cgroup.slice(0, c.cgroup.lastIndexOf('/'))}/docker-`, '/', 'zz']),
      str('container_id', [c.id, c.id.slice(0, 12), c.id.slice(0, 11)], [c.id.slice(0, 4), '0', 'zz']),
      str('container_name', [c.name, 'web'], [c.name.slice(0, 3), 'diff', 'zz']),
    ],
  };
}

function children(names: WorkloadNames): string[] {
  return EXEC_TIMES.map((_, i) => childComm(names, i));
}

export function diffTables(names: WorkloadNames): readonly DiffTable[] {
  const all = [names.comm, ...children(names)];
  const table = (name: string, comms: readonly string[], ints: IntColumn[], strings: StringColumn[], scoped = false): DiffTable => {
    const c = common(names, comms);
    return { name, comms, ints, commonInts: c.ints, strings: [...strings, ...c.strings], scoped };
  };
  const flags = [...new Set(OPENS.map((o) => o.flags)), 0x80000];
  const paths = [...new Set([...FILES, ...OPENS.map((o) => o.path), '/etc/ld.so.cache', '/dev/zero', '/dev/null'])];
  const offsets = SEEKS.filter((_, i) => i % 20 === 0).map((s) => s.offset);
  const ioFds = [0, 1, 2, 3, 4, 5, BAD_FD];
  return [
    table('open', all, [
      int('flags', 0n, 1n << 21n, flags),
      int('dfd', -100n, 1n << 16n, [-100, 3, 4]),
      int('ret', -4095n, 1n << 16n, [-2, -17, -20, 3, 4, 5, 6]),
    ], [str('filename', paths, ['a', 'sub/', 'missing', '/', '/dev/', '/etc/', 'b', 'zz'])]),
    // Only the workload itself seeks; offset is a signed off_t (backward seeks), fd and whence unsigned ints.
    table('tracepoint.syscalls.sys_enter_lseek', [names.comm], [
      int('fd', 0n, 1n << 16n, [...SEEK_FDS, BAD_FD]),
      int('offset', -MAX_OFFSET, MAX_OFFSET, [0, 1, 100, 4096, ...offsets, ...BACK_SEEKS.map((s) => s.offset)]),
      int('whence', 0n, 2n, [0, 1, 2]),
    ], []),
    // Signed ints: negative pids (process groups) and invalid negative signals.
    table('tracepoint.syscalls.sys_enter_kill', [names.comm], [
      int('tp_pid', INT_MIN, INT_MAX, KILLS.map((k) => k.pid)),
      int('sig', INT_MIN, INT_MAX, [0, -5, -1, 15]),
    ], []),
    // dfd is a signed int (AT_FDCWD = -100); node stats files all the time: scoped.
    table('tracepoint.syscalls.sys_enter_newfstatat', [names.comm], [
      int('dfd', INT_MIN, INT_MAX, [...STATS.map((c) => c.dfd ?? 4), -5, 3]),
      int('flag', INT_MIN, INT_MAX, [...STATS.map((c) => c.flag), 0x1000]),
    ], [str('filename', [...STATS.map((c) => c.path), '', '/etc/ld.so.cache'], ['a', 'b', 'missing', '/', 'zz'])], true),
    // dfd and flag are signed ints (user and group, SQL keywords, are left out).
    table('tracepoint.syscalls.sys_enter_fchownat', [names.comm], [
      int('dfd', INT_MIN, INT_MAX, [...CHOWNS.map((c) => c.dfd ?? 4), AT_FDCWD]),
      int('flag', INT_MIN, INT_MAX, CHOWNS.map((c) => c.flag)),
    ], [str('filename', CHOWNS.map((c) => c.path), ['a', 'a1', 'zz'])]),
    // Loopback connections over IPv4 and IPv6 (ports chosen by the kernel each round). Addresses
    // are compared in the kernel only with addresses (a constant must be one: `decoded`).
    table('tcp_connect', [names.comm], [int('dport', 0n, 65535n, [0, 22, 443, 32768])], [
      str('family', ['AF_INET', 'AF_INET6'], ['AF_', 'AF_INET6', 'zz'], true),
      str('saddr', LOOPBACKS, ADDRESS_PREFIXES, true),
      str('daddr', LOOPBACKS, ADDRESS_PREFIXES, true),
    ]),
    table('tcp_state', [names.comm], [
      int('sport', 0n, 65535n, [0, 22, 32768]),
      int('dport', 0n, 65535n, [0, 22, 443, 32768]),
    ], [
      str('family', ['AF_INET', 'AF_INET6'], ['AF_', 'AF_INET6', 'zz'], true),
      str('saddr', LOOPBACKS, ADDRESS_PREFIXES, true),
      str('daddr', LOOPBACKS, ADDRESS_PREFIXES, true),
      str('oldstate', TCP_STATES, ['SYN', 'CLOSE', 'E', 'zz'], true),
      str('newstate', TCP_STATES, ['SYN', 'CLOSE', 'E', 'zz'], true),
    ]),
    // The raw tracepoint: __u8[4] and __u8[16] address arrays, states and ports as integers.
    table('tracepoint.sock.inet_sock_set_state', [names.comm], [
      int('oldstate', INT_MIN, INT_MAX, [1, 2, 3, 7, 10, 12]),
      int('newstate', INT_MIN, INT_MAX, [1, 2, 3, 7, 10, 12]),
      int('sport', 0n, 65535n, [0, 32768]),
      int('dport', 0n, 65535n, [0, 32768]),
      int('family', 0n, 65535n, [2, 10]),
      int('protocol', 0n, 65535n, [6, 17]),
    ], [
      str('saddr', ['127.0.0.1', '0.0.0.0', '10.0.0.1'], ['127.', '0.', '1', 'zz'], true),
      str('daddr', ['127.0.0.1', '0.0.0.0', '10.0.0.1'], ['127.', '0.', '1', 'zz'], true),
      str('saddr_v6', V6_SAMPLES, ['::', '::ffff:', 'fe80', 'zz'], true),
      str('daddr_v6', V6_SAMPLES, ['::', '::ffff:', 'fe80', 'zz'], true),
    ]),
    table('read', all, [
      int('fd', 0n, (1n << 32n) - 1n, ioFds),
      int('requested', 0n, 1n << 20n, [...IO_SIZES, 10, 30, 832], true),
      int('returned', -4095n, 1n << 20n, [...IO_SIZES, -9, -21, 832]),
    ], []),
    // The children (true) write nothing.
    table('write', [names.comm], [
      int('fd', 0n, (1n << 32n) - 1n, ioFds),
      int('requested', 0n, 1n << 20n, [...IO_SIZES, 20], true),
      int('returned', -4095n, 1n << 20n, [...IO_SIZES, -9]),
    ], []),
    table('exec', all, [], [str('filename', [...children(names).map((c) => `./${c}`), 'x'], ['./', `./${names.comm}`, '/', '/tmp/', 'zz'])]),
    table('exit', all, [
      int('exit_code', 0n, 65535n, [...EXIT_CODES.map((c) => c << 8), 15]),
      int('last_thread', 0n, 1n, [0, 1]),
    ], []),
    // The workload forks for each exec and exit; a child starts with its parent's comm.
    table('fork', all, [int('child_pid', 1n, PID_MAX, [1, 1000])], [str('child_comm', all, [names.comm, 'zz'])]),
    table('signals', all, [
      int('signo', 1n, 64n, [10, 12, 15, 17]),
      int('target_pid', 0n, PID_MAX, [1, 1000]),
      int('code', -128n, 255n, [0, -6, 1, 2]),
      int('result', 0n, 4n, [0, 1, 2]),
    ], [
      str('signal', ['SIGUSR1', 'SIGUSR2', 'SIGCHLD', 'SIGTERM', 'SIGKILL'], ['SIGU', 'SIGC', 'S'], true),
      str('target_comm', all, [names.comm, `${names.comm}e`, 'zz']),
    ]),
    // Faults and switches happen everywhere all the time: scoped.
    table('page_faults', all, [
      int('address', 0n, 1n << 48n, [0, 4096], true),
      int('ip', 0n, 1n << 48n, [0, 4096], true),
      int('error_code', 0n, 0xffffn, [4, 6, 7, 0x14, 0x15], true),
    ], [], true),
    table('sched_switch', all, [
      int('prev_pid', 0n, PID_MAX, [0, 1000]),
      int('prev_prio', 0n, 139n, [120, 100]),
      int('prev_state', 0n, 0xffffn, [0, 1, 2, 0x100]),
      int('next_pid', 0n, PID_MAX, [0, 1000]),
      int('next_prio', 0n, 139n, [120, 100]),
    ], [
      str('prev_comm', all, [names.comm, 'zz']),
      str('next_comm', ['swapper/0', 'swapper/1', 'node', ...all], ['swapper/', 'n', names.comm, 'zz']),
    ], true),
    // Node calls getppid for every read of process.ppid: other programs on the machine may make millions.
    table('tracepoint.syscalls.sys_enter_getppid', [names.comm], [int('__syscall_nr', 0n, 511n, [110, 39])], [], true),
    table('syscalls', all, [
      int('id', -1n, 511n, [0, 1, 3, 8, 9, 39, 62, 110, 257]),
      int('ret', -4095n, 1n << 48n, [0, -2, -9, 3, 4, 5]),
    ], [str('syscall', ['openat', 'read', 'write', 'lseek', 'getppid', 'mmap', 'close', 'kill', 'wait4', 'execve', 'brk'], ['open', 'w', 'l', 'x'], true)], true),
  ];
}
