// A workload for kernel tests. It prints its pid (and for `touch` the range it mapped), waits
// for a line on stdin so that the test can attach its query first, then does exactly what its
// arguments say and exits:
//   workload getppid N     N getppid(2) calls
//   workload sleep N MS    N sleeps of MS milliseconds
//   workload touch N       writes one byte to each of N fresh anonymous pages (N page faults)
//   workload exit CODE MS  sleeps MS milliseconds, then exits with CODE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms) {
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
  nanosleep(&ts, NULL);
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  const char *what = argv[1];
  long n = atol(argv[2]);
  long arg = argc > 3 ? atol(argv[3]) : 0;
  long page = sysconf(_SC_PAGESIZE);
  char *mem = NULL;
  if (strcmp(what, "touch") == 0) {
    mem = mmap(NULL, n * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) return 3;
    // One fault per page: no transparent huge page may back the range.
    madvise(mem, n * page, MADV_NOHUGEPAGE);
  }
  printf("%ld %lu %lu\n", (long)getpid(), (unsigned long)mem, (unsigned long)(mem + n * page));
  fflush(stdout);
  char line[16];
  if (read(0, line, sizeof line) <= 0) return 4;
  if (strcmp(what, "getppid") == 0) {
    for (long i = 0; i < n; i++) syscall(SYS_getppid);
  } else if (strcmp(what, "sleep") == 0) {
    for (long i = 0; i < n; i++) sleep_ms(arg);
  } else if (strcmp(what, "touch") == 0) {
    for (long i = 0; i < n; i++) mem[i * page] = 1;
  } else if (strcmp(what, "exit") == 0) {
    sleep_ms(arg);
    return (int)n;
  } else {
    return 5;
  }
  return 0;
}
