/*
 * The benchmark's event source: cheap syscalls (getppid) that every syscall-entry probe sees.
 *
 *   bpfql-workload loop N      N calls back to back; prints the nanoseconds they took, as
 *                              "<wall ns> <thread CPU ns>".
 *   bpfql-workload rate R N    reads one line from stdin (the go signal), then makes N calls paced
 *                              at R per second (R = 0: as fast as possible); prints
 *                              "<calls> <wall ns> <thread CPU ns>".
 *   bpfql-workload tick        about 10000 calls per second until killed, so a tool that just
 *                              attached counts an event within ~0.1 ms.
 *   bpfql-workload spaced R N  reads the go line, then makes N calls evenly spaced at R per
 *                              second (each at its own absolute deadline, so one late wake-up
 *                              does not shift the rest); prints "<calls> <wall ns>".
 *
 * The binary's name is its comm, which the filtered queries select on.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long long clock_ns(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long now_ns(void) { return clock_ns(CLOCK_MONOTONIC); }

static void usage(void) {
  fprintf(stderr, "usage: bpfql-workload loop N | rate R N | tick | spaced R N\n");
  exit(2);
}

static long long count_arg(const char *s) {
  char *end;
  long long n = strtoll(s, &end, 10);
  if (*s == '\0' || *end != '\0' || n < 0) usage();
  return n;
}

static void loop(long long n) {
  long long start = now_ns();
  long long cpu_start = clock_ns(CLOCK_THREAD_CPUTIME_ID);
  for (long long i = 0; i < n; i++) syscall(SYS_getppid);
  long long cpu = clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu_start;
  long long elapsed = now_ns() - start;
  printf("%lld %lld\n", elapsed, cpu);
}

/* Paces in groups of 64 calls: one clock read per group keeps the pacing cheap at high rates. */
static void rate(long long r, long long n) {
  char line[64];
  if (fgets(line, sizeof line, stdin) == NULL) exit(3);
  long long start = now_ns();
  long long cpu_start = clock_ns(CLOCK_THREAD_CPUTIME_ID);
  for (long long i = 0; i < n; i++) {
    if (r > 0 && (i & 63) == 0) {
      long long due = start + (long long)((double)i * 1e9 / (double)r);
      while (now_ns() < due) {
      }
    }
    syscall(SYS_getppid);
  }
  long long cpu = clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu_start;
  long long elapsed = now_ns() - start;
  printf("%lld %lld %lld\n", n, elapsed, cpu);
}

static void spaced(long long r, long long n) {
  char line[64];
  if (r <= 0 || fgets(line, sizeof line, stdin) == NULL) exit(3);
  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  long long start_ns = (long long)start.tv_sec * 1000000000LL + start.tv_nsec;
  for (long long i = 0; i < n; i++) {
    long long due = start_ns + (long long)((double)i * 1e9 / (double)r);
    struct timespec at = {due / 1000000000LL, due % 1000000000LL};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) != 0) {
    }
    syscall(SYS_getppid);
  }
  printf("%lld %lld\n", n, now_ns() - start_ns);
}

static void tick(void) {
  struct timespec pause = {0, 100000};
  for (;;) {
    syscall(SYS_getppid);
    nanosleep(&pause, NULL);
  }
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc == 3 && strcmp(argv[1], "loop") == 0) loop(count_arg(argv[2]));
  else if (argc == 4 && strcmp(argv[1], "rate") == 0) rate(count_arg(argv[2]), count_arg(argv[3]));
  else if (argc == 2 && strcmp(argv[1], "tick") == 0) tick();
  else if (argc == 4 && strcmp(argv[1], "spaced") == 0) spaced(count_arg(argv[2]), count_arg(argv[3]));
  else usage();
  return 0;
}
