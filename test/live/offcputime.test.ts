// offcputime against the real kernel: a program the test compiles (frame pointers) sleeps 100 ×
// 10 ms in sleepy_loop. Each sleep leaves the CPU in state S through the nanosleep path, on a user
// stack through sleepy_loop: 100 such periods, unless the thread was preempted inside a sleep
// before it went to sleep (then the timer may have run out while it waited for a CPU, and the
// kernel shows that period as a preemption). So: the S periods plus the loop's other periods are
// at least 100, and exactly 100 S periods when there were no others. The thread's time in the
// loop is its CPU time plus its off-CPU periods, so their sum lies between 1 s less the loop's CPU
// time (nanosleep never returns early) and the loop's wall time less its CPU time (give or take
// SWITCH_SLACK_NS a period).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Engine } from '../../src/engine/engine.js';
import { CProgram } from '../helpers/c-program.js';
import { kernelSkip, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();
const SLEEPS = 100;
const SLEEP_NS = 10_000_000;
/** How far apart a switch's tracepoint and the scheduler's CPU-time accounting may be, per off-CPU period. */
const SWITCH_SLACK_NS = 50_000;

/**
 * nanosleep (35 on x86_64) by the syscall instruction itself, so the user stack starts in a
 * function with a frame pointer and sleepy_loop is its caller's frame; prints the loop's wall time
 * in ns, then stays (its mappings name its user stacks after the run).
 */
const SOURCE = `
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
__attribute__((noinline)) long raw_nanosleep(const struct timespec *t) {
  long r;
  __asm__ volatile("syscall" : "=a"(r) : "a"(35L), "D"(t), "S"(0L) : "rcx", "r11", "memory");
  return r;
}
__attribute__((noinline)) long sleepy_loop(int n, long ns) {
  struct timespec t = { 0, ns };
  long failed = 0;
  for (int i = 0; i < n; i++) failed += raw_nanosleep(&t) != 0;
  return failed;
}
static long long ns(clockid_t c) {
  struct timespec t;
  clock_gettime(c, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}
int main(int argc, char **argv) {
  long long wall = ns(CLOCK_MONOTONIC), cpu = ns(CLOCK_THREAD_CPUTIME_ID);
  long failed = sleepy_loop(atoi(argv[1]), atol(argv[2]));
  cpu = ns(CLOCK_THREAD_CPUTIME_ID) - cpu;
  wall = ns(CLOCK_MONOTONIC) - wall;
  printf("%ld %lld %lld\\n", failed, wall, cpu);
  fflush(stdout);
  sleep(60);
  return 0;
}
`;

const prog = skip ? undefined : new CProgram(uniqueComm('offcpu'), SOURCE);
after(() => prog?.remove());

test('off_cpu: the 100 sleeps of sleepy_loop, on its stacks, 1 s off the CPU within the loop\'s wall time', { skip }, async () => {
  const comm = prog!.name;
  const engine = await Engine.open();
  let child: ChildProcess | undefined;
  try {
    let attached!: () => void;
    const ready = new Promise<void>((resolve) => (attached = resolve));
    const loop = ready.then(() => new Promise<{ failed: number; wallNs: number; cpuNs: number }>((resolve, reject) => {
      child = spawn(prog!.path, [String(SLEEPS), String(SLEEP_NS)], { stdio: ['ignore', 'pipe', 'ignore'] });
      createInterface({ input: child.stdout! }).once('line', (line) => {
        const [failed, wallNs, cpuNs] = line.split(' ').map(Number);
        resolve({ failed: failed!, wallNs: wallNs!, cpuNs: cpuNs! });
      });
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the program exited early (${code})`)));
    }));
    const outcome = await engine.execute(
      `SELECT kstack, ustack, state, count(*) AS n, sum(latency_ns) AS off_ns FROM off_cpu WHERE comm = '${comm}' GROUP BY kstack, ustack, state`,
      { onAttached: attached, until: loop },
    );
    const { failed, wallNs, cpuNs } = await loop;
    assert.equal(failed, 0);
    assert.equal(outcome.kind, 'rows');
    if (outcome.kind !== 'rows') return;
    const rows = outcome.result.rows;
    const inLoop = rows.filter((r) => /^raw_nanosleep\+0x[0-9a-f]+;sleepy_loop\+0x[0-9a-f]+;main\+/.test(String(r[1])));
    const asleep = (r: readonly unknown[]): boolean => (Number(r[2]) & 1) === 1 && /(^|;)do_nanosleep\+0x[0-9a-f]+;hrtimer_nanosleep\+/.test(String(r[0]));
    const count = (rs: readonly (readonly unknown[])[]): number => rs.reduce((n, r) => n + Number(r[3]), 0);
    // Switched out while runnable (state 0): preempted, on a busy CPU, not asleep. A real period
    // off the CPU inside the loop, but not one of its sleeps.
    const preempted = (r: readonly unknown[]): boolean => Number(r[2]) === 0;
    const sleeps = count(inLoop.filter(asleep));
    const others = count(inLoop.filter((r) => !asleep(r) && !preempted(r)));
    const seen = `${JSON.stringify(outcome.kernel?.completeness)} ${JSON.stringify(rows)}`;
    // One sleep may be missing for a reason outside bpfql, measured on this machine: the kernel
    // delivers no sched_switch whose `prev` is one of the sandbox's own PID 1 threads
    // (tokio-rt-worker) to any BPF program, tp_btf, raw or classic (bpftrace misses the same
    // switches). A thread such a thread hands the CPU to comes back unseen, and its next
    // switch-out starts a new period: that sleep is lost whole. About 1 run in 10 on a busy CPU.
    const missing = SLEEPS - (sleeps + others);
    assert.ok(sleeps <= SLEEPS && missing >= 0 && missing <= 1, seen);
    const offNs = inLoop.reduce((n, r) => n + Number(r[4]), 0);
    const slept = (SLEEPS - missing) * SLEEP_NS;
    assert.ok(offNs >= slept - cpuNs, `${offNs} ns off the CPU is less than the ${slept} ns slept (${missing} sleep unseen) less ${cpuNs} ns on it`);
    // The scheduler charges CPU time inside the switch, a few µs from where the tracepoint marks it.
    const slack = SWITCH_SLACK_NS * (sleeps + others);
    assert.ok(offNs <= wallNs - cpuNs + slack, `${offNs} ns off the CPU is more than the loop's ${wallNs} ns less ${cpuNs} ns on the CPU (and ${slack} ns)`);
  } finally {
    child?.removeAllListeners('exit');
    child?.kill();
    await engine.close();
  }
});
