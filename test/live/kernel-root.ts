// Shared by the kernel tests: why they skip, and the syscalls they trigger on purpose.
import koffi, { type LibraryHandle } from 'koffi';

/** A skip reason when not root, else false (node:test's `skip` option). */
export const needsRoot: string | false =
  process.getuid?.() === 0 ? false : 'loading BPF programs needs root (or CAP_BPF and CAP_PERFMON)';

let libc: LibraryHandle | undefined;

function lib(): LibraryHandle {
  libc ??= koffi.load('libc.so.6');
  return libc;
}

/** getppid(2) from this process, uncached (process.ppid may not reach the kernel). */
export function callGetppid(times: number): void {
  const getppid = lib().func('int getppid()');
  for (let i = 0; i < times; i++) getppid();
}

/** getpgid(2) from this process with each argument in turn (the syscall's argument is what is traced). */
export function callGetpgid(args: readonly number[]): void {
  const getpgid = lib().func('int getpgid(int)');
  for (const a of args) getpgid(a);
}
