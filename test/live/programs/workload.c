// A workload for kernel tests. It prints its pid (and for `touch` the range it mapped), waits
// for a line on stdin so that the test can attach its query first, then does exactly what its
// arguments say and exits:
//   workload getppid N     N getppid(2) calls
//   workload refused N M   N getppid(2) calls, then M kill(2)s of a pid that cannot exist (ESRCH)
//   workload sleep N MS    N sleeps of MS milliseconds
//   workload spawn N       N children one after another, each executing /bin/true, waited for
//   workload stat N M      N newfstatat(2)s of "/" (0), then M of a path that does not exist (ENOENT)
//   workload touch N       writes one byte to each of N fresh anonymous pages (N page faults)
//   workload exit CODE MS  sleeps MS milliseconds, then exits with CODE
//   workload reads N       N read(2) calls of 1 byte from /dev/zero, then one read of stdin
//                          that waits until the test closes it (a call in flight at the end)
//   workload blocked N     N threads each blocked in a read(2) of a pipe; 300 ms later the
//                          main thread releases them one byte each, and waits for them
//   workload pingpong N    forks; parent and child pass a byte back and forth N times
//   workload compete N MS  forks N children that each keep a CPU busy for MS milliseconds,
//                          more than there are CPUs, so they preempt each other; waits for them
//   workload signals N     N tgkill(2)s of itself with SIGUSR1, each handled (an rt_sigreturn
//                          after each)
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int blocked_pipe[2];

static void *blocked_reader(void *arg) {
  char c;
  (void)arg;
  return read(blocked_pipe[0], &c, 1) == 1 ? NULL : (void *)1;
}

static volatile sig_atomic_t handled;

static void on_usr1(int sig) {
  (void)sig;
  handled++;
}

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
  if (strcmp(what, "signals") == 0) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    if (sigaction(SIGUSR1, &sa, NULL) != 0) return 18;
  }
  printf("%ld %lu %lu\n", (long)getpid(), (unsigned long)mem, (unsigned long)(mem + n * page));
  fflush(stdout);
  char line[16];
  if (read(0, line, sizeof line) <= 0) return 4;
  if (strcmp(what, "getppid") == 0) {
    for (long i = 0; i < n; i++) syscall(SYS_getppid);
  } else if (strcmp(what, "refused") == 0) {
    for (long i = 0; i < n; i++) syscall(SYS_getppid);
    // Beyond pid_max's ceiling (4194304): the kernel answers ESRCH.
    for (long i = 0; i < arg; i++) if (syscall(SYS_kill, 0x7fffffff, 0) != -1) return 14;
  } else if (strcmp(what, "spawn") == 0) {
    for (long i = 0; i < n; i++) {
      pid_t child = fork();
      if (child == 0) {
        execl("/bin/true", "true", (char *)NULL);
        _exit(127);
      }
      if (waitpid(child, NULL, 0) != child) return 17;
    }
  } else if (strcmp(what, "stat") == 0) {
    struct stat st;
    // The system call itself: glibc's stat() may use statx instead.
    for (long i = 0; i < n; i++) if (syscall(SYS_newfstatat, AT_FDCWD, "/", &st, 0) != 0) return 15;
    for (long i = 0; i < arg; i++) if (syscall(SYS_newfstatat, AT_FDCWD, "/nonexistent/bpfql", &st, 0) != -1) return 16;
  } else if (strcmp(what, "sleep") == 0) {
    for (long i = 0; i < n; i++) sleep_ms(arg);
  } else if (strcmp(what, "touch") == 0) {
    for (long i = 0; i < n; i++) mem[i * page] = 1;
  } else if (strcmp(what, "exit") == 0) {
    sleep_ms(arg);
    return (int)n;
  } else if (strcmp(what, "reads") == 0) {
    int fd = open("/dev/zero", O_RDONLY);
    char c;
    for (long i = 0; i < n; i++) if (read(fd, &c, 1) != 1) return 6;
    while (read(0, line, sizeof line) > 0) {}
  } else if (strcmp(what, "blocked") == 0) {
    pthread_t threads[256];
    if (n > 256 || pipe(blocked_pipe) != 0) return 7;
    for (long i = 0; i < n; i++) pthread_create(&threads[i], NULL, blocked_reader, NULL);
    sleep_ms(300);
    for (long i = 0; i < n; i++) if (write(blocked_pipe[1], "x", 1) != 1) return 8;
    for (long i = 0; i < n; i++) pthread_join(threads[i], NULL);
  } else if (strcmp(what, "pingpong") == 0) {
    int there[2], back[2];
    char c = 'x';
    if (pipe(there) != 0 || pipe(back) != 0) return 9;
    pid_t child = fork();
    if (child == 0) {
      for (long i = 0; i < n; i++) {
        if (read(there[0], &c, 1) != 1) _exit(10);
        if (write(back[1], &c, 1) != 1) _exit(11);
      }
      _exit(0);
    }
    for (long i = 0; i < n; i++) {
      if (write(there[1], &c, 1) != 1) return 12;
      if (read(back[0], &c, 1) != 1) return 13;
    }
    waitpid(child, NULL, 0);
  } else if (strcmp(what, "compete") == 0) {
    for (long i = 0; i < n; i++) {
      if (fork() == 0) {
        struct timespec start, now;
        clock_gettime(CLOCK_MONOTONIC, &start);
        do clock_gettime(CLOCK_MONOTONIC, &now);
        while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 < arg);
        _exit(0);
      }
    }
    while (wait(NULL) > 0) {}
  } else if (strcmp(what, "signals") == 0) {
    pid_t self = getpid();
    for (long i = 0; i < n; i++) if (syscall(SYS_tgkill, self, self, SIGUSR1) != 0) return 19;
    if (handled != n) return 20;
  } else {
    return 5;
  }
  return 0;
}
