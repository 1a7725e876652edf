// A getppid(2) storm of an exact number of calls, from a C program the test compiles and names,
// so a query filtered on its comm has a known answer. The calls are split between `procs`
// processes (the parent and forked children, one comm), so they land on several CPUs at once.
import { spawn } from 'node:child_process';
import { CProgram } from './c-program.js';

const STORM_SOURCE = `
#include <stdlib.h>
#include <time.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
static void calls(long n, long pause_ns) {
  struct timespec pause = {pause_ns / 1000000000L, pause_ns % 1000000000L};
  for (long i = 0; i < n; i++) {
    syscall(SYS_getppid);
    if (pause_ns > 0) nanosleep(&pause, NULL);
  }
}
int main(int argc, char **argv) {
  long total = atol(argv[1]);
  int procs = atoi(argv[2]);
  long pause_ns = atol(argv[3]);
  long share = total / procs;
  for (int p = 1; p < procs; p++) {
    if (fork() == 0) {
      calls(share, pause_ns);
      return 0;
    }
  }
  /* The parent makes its share and the remainder. */
  calls(total - share * (procs - 1), pause_ns);
  int status, failed = 0;
  while (wait(&status) > 0) failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
  return failed;
}
`;

export class GetppidStorm {
  private readonly program: CProgram;

  /** `comm` is the binary's name and so the comm of every process of the storm (15 characters at most). */
  constructor(readonly comm: string) {
    this.program = new CProgram(comm, STORM_SOURCE, ['-O1']);
  }

  /**
   * Makes exactly `calls` getppid calls from `procs` processes, each pausing `pauseUs` after every
   * call (0: none, a storm); resolves when all have exited.
   */
  run(calls: number, procs = 2, pauseUs = 0): Promise<void> {
    const child = spawn(this.program.path, [String(calls), String(procs), String(pauseUs * 1000)], { stdio: 'ignore' });
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`getppid storm exited with ${code ?? signal}`))));
    });
  }

  remove(): void {
    this.program.remove();
  }
}
