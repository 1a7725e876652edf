// Errors raised by the kernel layer. Every failed syscall becomes a KernelError that names the
// operation, the errno and its symbolic code, and — where the cause is usually the same — a hint
// that tells the user what to do about it. A rejected program becomes a VerifierError that keeps
// the verifier's whole log.
import { getSystemErrorMap } from 'node:util';

/** Errno numbers the kernel layer reacts to (Linux, all architectures bpfql runs on). */
export const Errno = {
  EPERM: 1,
  ENOENT: 2,
  EINTR: 4,
  E2BIG: 7,
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  ENODEV: 19,
  EINVAL: 22,
  EMFILE: 24,
  ENOSPC: 28,
  ENOSYS: 38,
  EOPNOTSUPP: 95,
  /** Kernel-internal "not supported", which bpf() lets escape to user space (e.g. unknown batch ops). */
  ENOTSUPP: 524,
} as const;

const kernelOnlyNames: ReadonlyMap<number, readonly [string, string]> = new Map([
  [Errno.ENOTSUPP, ['ENOTSUPP', 'operation not supported by this kernel']],
]);

function describe(errno: number): readonly [string, string] {
  return getSystemErrorMap().get(-errno) ?? kernelOnlyNames.get(errno) ?? [`E${errno}`, `error ${errno}`];
}

/** The symbolic name of an errno, e.g. 1 → 'EPERM'. */
export function errnoName(errno: number): string {
  return describe(errno)[0];
}

/**
 * What tracing the kernel takes, as one sentence. Measured on kernel 6.18: CAP_BPF loads programs
 * and maps, CAP_PERFMON opens tracepoint perf events, and CAP_DAC_READ_SEARCH reads tracefs
 * (mode 0700, root's), where tracepoint ids and formats come from.
 */
export const PRIVILEGES_NEEDED = 'bpfql needs root, or the capabilities CAP_BPF, CAP_PERFMON and CAP_DAC_READ_SEARCH, to trace the kernel';

/** Whether an operation that failed with `errno` was refused for want of privileges. */
function refusedForPrivileges(op: string, errno: number): boolean {
  if (errno !== Errno.EPERM && errno !== Errno.EACCES) return false;
  return op.startsWith('BPF_') || op.startsWith('perf_event_open') || op.startsWith('ioctl(PERF_') || op === 'tracefs' || op.startsWith('tracepoint ');
}

/** The usual cause of an errno for an operation, phrased as what to do; undefined when there is none. */
function hintFor(op: string, errno: number): string | undefined {
  if (refusedForPrivileges(op, errno)) return PRIVILEGES_NEEDED;
  switch (errno) {
    case Errno.E2BIG:
      if (op === 'BPF_MAP_UPDATE_ELEM') return 'the map is full: give it a larger max_entries';
      if (op === 'BPF_MAP_CREATE') return 'the key or value is too large for this map type, or max_entries is too large';
      if (op === 'BPF_PROG_LOAD') return 'the program has more instructions than this kernel accepts';
      return undefined;
    case Errno.ENOMEM:
      return op === 'BPF_MAP_CREATE'
        ? 'not enough memory for the map: lower its max_entries (kernels before 5.11 also count it against RLIMIT_MEMLOCK)'
        : undefined;
    case Errno.ENOSPC:
      return op === 'BPF_MAP_UPDATE_ELEM' ? 'the map is full: give it a larger max_entries' : undefined;
    case Errno.EINVAL:
      return op === 'BPF_MAP_CREATE' ? "this kernel rejects the map's type, key/value sizes, max_entries or flags" : undefined;
    case Errno.EEXIST:
      return op === 'ioctl(PERF_EVENT_IOC_SET_BPF)' ? 'a BPF program is already attached to this perf event' : undefined;
    case Errno.ENODEV:
      return op.startsWith('perf_event_open') ? 'this CPU or event source does not exist (an offline CPU?)' : undefined;
    case Errno.EMFILE:
      return 'too many open file descriptors: raise the limit (ulimit -n)';
    case Errno.ENOSYS:
    case Errno.EOPNOTSUPP:
    case Errno.ENOTSUPP:
      return `this kernel does not support ${op}`;
    default:
      return undefined;
  }
}

export interface KernelErrorOptions {
  /** What the operation was applied to, e.g. "map 'counts'": "<op> failed for <subject>: …". */
  readonly subject?: string;
  /** Replaces the default message "<op> failed[ for <subject>]: <CODE> (<text>)". */
  readonly message?: string;
  /** Replaces the hint chosen from the op and errno (undefined: the chosen one). */
  readonly hint?: string | undefined;
}

/**
 * A KernelError whose whole story is missing privileges: the user needs to hear what to run
 * bpfql with, not which syscall was refused. A verifier rejection (EACCES with a log) is not one.
 */
export function isPrivilegeRefusal(e: KernelError): boolean {
  return !(e instanceof VerifierError) && refusedForPrivileges(e.op, e.errno);
}

export class KernelError extends Error {
  readonly op: string;
  readonly errno: number;
  readonly code: string;
  /** What to do about it; undefined where nothing useful can be said. */
  readonly hint: string | undefined;

  constructor(op: string, errno: number, options: KernelErrorOptions = {}) {
    const [code, text] = describe(errno);
    const failed = options.subject === undefined ? `${op} failed` : `${op} failed for ${options.subject}`;
    super(options.message ?? `${failed}: ${code} (${text})`);
    this.name = 'KernelError';
    this.op = op;
    this.errno = errno;
    this.code = code;
    const hint = options.hint ?? hintFor(op, errno);
    if (hint !== undefined) this.hint = hint;
  }
}

/** The verifier's verdict line: the last line that is not the closing statistics. */
function verdict(log: string): string {
  const lines = log.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (!line.startsWith('processed ') && !line.startsWith('verification time')) return line;
  }
  return 'no verifier log';
}

/** BPF_PROG_LOAD failed and the verifier said why: `log` is everything it wrote. */
export class VerifierError extends KernelError {
  readonly log: string;
  readonly program: string;
  /** The log says why; a guess from the errno (EACCES: "needs root") would mislead. */
  override readonly hint: undefined = undefined;

  constructor(program: string, errno: number, log: string) {
    super('BPF_PROG_LOAD', errno, {
      message: `the kernel verifier rejected program '${program}' (${errnoName(errno)}): ${verdict(log)}`,
    });
    this.name = 'VerifierError';
    this.program = program;
    this.log = log;
  }

  /** The last `lines` non-empty lines of the log, where the verifier states what went wrong. */
  tail(lines: number): string {
    const all = this.log.split('\n').filter((l) => l.trim() !== '');
    return all.slice(Math.max(0, all.length - lines)).join('\n');
  }
}
