// Small C programs tests compile for themselves (gcc), so probes and stacks have known functions.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * -O0 keeps every call; frame pointers let the kernel walk user stacks; without CET's endbr64 a
 * function starts with `push %rbp` (0x55), which tests check at the offsets the ELF reader finds.
 */
export const DEFAULT_CFLAGS = ['-O0', '-fno-omit-frame-pointer', '-fcf-protection=none'];

export class CProgram {
  readonly dir: string;
  readonly path: string;

  /** `name` is the binary's file name, and so its comm (keep it to 15 characters). */
  constructor(readonly name: string, source: string, flags: readonly string[] = DEFAULT_CFLAGS) {
    this.dir = mkdtempSync(join(tmpdir(), 'bpfql-c-'));
    this.path = join(this.dir, name);
    const src = join(this.dir, `${name}.c`);
    writeFileSync(src, source);
    execFileSync('gcc', [...flags, '-o', this.path, src], { stdio: 'pipe' });
  }

  bytes(): Buffer {
    return readFileSync(this.path);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** What binutils' nm says of a file's functions (text symbols), by name without version: an independent reading to compare with. */
export function nmFunctions(path: string, dynamic = false): Map<string, { address: number; size: number }> {
  const out = new Map<string, { address: number; size: number }>();
  for (const line of execFileSync('nm', ['-S', ...(dynamic ? ['-D'] : []), path], { encoding: 'utf8' }).split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) [tTwWi] ([^@\s]+)/.exec(line);
    if (m && !out.has(m[3]!)) out.set(m[3]!, { address: Number.parseInt(m[1]!, 16), size: Number.parseInt(m[2]!, 16) });
  }
  return out;
}

/** A function called `calls` times (from argv[1]) with six arguments: (base + i, 7, 8, 9, 10, 11). */
export const UPROBE_TARGET_SOURCE = `
#include <stdlib.h>
__attribute__((noinline)) long target(long a, long b, long c, long d, long e, long f) {
  return a + b + c + d + e + f;
}
int main(int argc, char **argv) {
  int calls = atoi(argv[1]);
  long base = atol(argv[2]);
  long sum = 0;
  for (int i = 0; i < calls; i++) sum += target(base + i, 7, 8, 9, 10, 11);
  return sum == 0;
}
`;

/**
 * Burns argv[1] seconds of its own CPU time in burn() on one CPU (checking the clock rarely, so
 * samples land in burn and not in clock_gettime), prints the CPU time it used in ns, then sleeps
 * argv[2] seconds so that its mappings are still there when its stacks are symbolised.
 */
export const BURN_SOURCE = `
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
static long long cpu_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}
__attribute__((noinline)) unsigned long burn(long long ns) {
  long long start = cpu_ns();
  unsigned long x = 0;
  while (cpu_ns() - start < ns)
    for (volatile int i = 0; i < 2000000; i++) x += i * 7;
  return x;
}
int main(int argc, char **argv) {
  // Stay on one CPU: its sampling timer then sees all of the burn, at its steady rate.
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(sched_getcpu(), &one);
  sched_setaffinity(0, sizeof one, &one);
  long long start = cpu_ns();
  burn((long long)(atof(argv[1]) * 1e9));
  printf("%lld\\n", cpu_ns() - start);
  fflush(stdout);
  sleep(atoi(argv[2]));
  return 0;
}
`;
