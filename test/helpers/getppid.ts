// Exactly counted getppid(2) calls from a process with a chosen comm, so a query on
// tracepoint.syscalls.sys_enter_getppid filtered to that comm has a known answer. Node reads
// process.ppid with one getppid syscall per read and makes no other getppid call (checked with
// strace); setting process.title sets the comm first.
import { spawn } from 'node:child_process';

export interface GetppidRun {
  readonly pid: number;
  readonly done: Promise<void>;
}

/** A node process named `comm` that calls getppid `n` times and exits. */
export function getppidTimes(comm: string, n: number): GetppidRun {
  const script = `process.title = ${JSON.stringify(comm)}; for (let i = 0; i < ${n}; i++) void process.ppid;`;
  const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`getppid workload exited with ${code}`))));
  });
  return { pid: child.pid!, done };
}
