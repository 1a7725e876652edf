// The differential workload as C source, written from workload-spec.ts. It runs in its round's
// directory under the round's comm, with the paths of its children as arguments, and makes its
// system calls directly (syscall(2)) so that libc adds nothing to their arguments.
import { BACK_SEEKS, BAD_FD, BAD_IO_TIMES, CHOWNS, CONNECTS_V4, CONNECTS_V6, EXEC_TIMES, EXIT_CODES, GETPPID_CALLS, IO_SIZES, KILLS, OPENS, PHASE_PAUSE_MS, SEEK_FDS, SEEKS, SIGUSR1_TIMES, SIGUSR2_TIMES, SLEEPS, STATS, TOUCHED_PAGES, type StatCall } from './workload-spec.js';

const list = (items: readonly string[]): string => items.join(',\n  ');

const statCall = (c: StatCall): string => `{ ${c.dfd ?? 0}, ${c.dfd === null ? 1 : 0}, ${JSON.stringify(c.path)}, ${c.flag}, ${c.times} }`;

export function workloadSource(): string {
  const seeks = [...SEEKS, ...BACK_SEEKS].map((s) => `{ ${s.fd}, ${s.offset}LL, ${s.whence} }`);
  const opens = OPENS.map((o) => `{ ${JSON.stringify(o.path)}, ${o.flags}, ${o.inSub ? 1 : 0}, ${o.times}, ${o.keep ? 1 : 0} }`);
  return `
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct seek { int fd; long long offset; int whence; };
static const struct seek seeks[] = {
  ${list(seeks)}
};
struct open_call { const char *path; int flags; int in_sub; int times; int keep; };
static const struct open_call opens[] = {
  ${list(opens)}
};
struct kill_call { int pid; int sig; int times; };
static const struct kill_call kills[] = {
  ${list(KILLS.map((k) => `{ ${k.pid === -2147483648 ? '(-2147483647 - 1)' : k.pid}, ${k.sig}, ${k.times} }`))}
};
struct at_call { int dfd; int in_sub; const char *path; int flag; int times; };
static const struct at_call stats[] = {
  ${list(STATS.map(statCall))}
};
static const struct at_call chowns[] = {
  ${list(CHOWNS.map(statCall))}
};
static const long sizes[] = { ${IO_SIZES.join(', ')} };
static const int exec_times[] = { ${EXEC_TIMES.join(', ')} };
static const int exit_codes[] = { ${EXIT_CODES.join(', ')} };
static char buf[65536];
static volatile int handled;

static void on_signal(int sig) { (void)sig; handled++; }

#define COUNT(a) (int)(sizeof(a) / sizeof((a)[0]))

static void pause_phase(void) {
  struct timespec t = { 0, ${PHASE_PAUSE_MS} * 1000000L };
  nanosleep(&t, NULL);
}

/* Listens on loopback (IPv4 or IPv6) and connects to itself, times over; fails the workload on any error. */
static void connect_loopback(int family, int times) {
  struct sockaddr_storage ss;
  socklen_t len;
  memset(&ss, 0, sizeof ss);
  if (family == AF_INET) {
    struct sockaddr_in *a = (struct sockaddr_in *)&ss;
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = sizeof *a;
  } else {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
    a->sin6_family = AF_INET6;
    a->sin6_addr = in6addr_loopback;
    len = sizeof *a;
  }
  int l = socket(family, SOCK_STREAM, 0);
  if (l < 0 || bind(l, (struct sockaddr *)&ss, len) != 0 || listen(l, 8) != 0) exit(20);
  if (getsockname(l, (struct sockaddr *)&ss, &len) != 0) exit(21);
  for (int i = 0; i < times; i++) {
    int c = socket(family, SOCK_STREAM, 0);
    if (c < 0 || connect(c, (struct sockaddr *)&ss, len) != 0) exit(22);
    int s = accept(l, NULL, NULL);
    if (s < 0) exit(23);
    struct linger lg = { 1, 0 };
    setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(c);
    close(s);
  }
  close(l);
}

/* Waits for a child; fails the workload unless it ended as expected. */
static void reap(pid_t pid, int status_expected) {
  int status;
  if (waitpid(pid, &status, 0) != pid || status != status_expected) exit(10);
}

int main(int argc, char **argv) {
  if (argc != 1 + COUNT(exec_times)) return 2;
  int file = (int)syscall(SYS_openat, AT_FDCWD, "a0", O_RDONLY, 0);
  int sub = (int)syscall(SYS_openat, AT_FDCWD, "sub", O_RDONLY | O_DIRECTORY, 0);
  if (file < 0 || sub < 0) return 3;
  ${SEEK_FDS.map((fd) => `if (dup2(file, ${fd}) != ${fd}) return 4;`).join('\n  ')}
  for (int i = 0; i < COUNT(seeks); i++) syscall(SYS_lseek, seeks[i].fd, seeks[i].offset, seeks[i].whence);

  for (int i = 0; i < COUNT(opens); i++) {
    for (int t = 0; t < opens[i].times; t++) {
      long fd = syscall(SYS_openat, opens[i].in_sub ? sub : AT_FDCWD, opens[i].path, opens[i].flags, 0644);
      if (fd >= 0 && !opens[i].keep) close((int)fd);
    }
  }

  pause_phase();

  int zero = (int)syscall(SYS_openat, AT_FDCWD, "/dev/zero", O_RDONLY, 0);
  int null = (int)syscall(SYS_openat, AT_FDCWD, "/dev/null", O_WRONLY, 0);
  if (zero < 0 || null < 0) return 5;
  for (int i = 0; i < COUNT(sizes); i++) {
    for (int t = 0; t <= i % 3; t++) {
      syscall(SYS_read, zero, buf, sizes[i]);
      syscall(SYS_write, null, buf, sizes[i]);
    }
  }
  for (int t = 0; t < ${BAD_IO_TIMES}; t++) {
    syscall(SYS_read, ${BAD_FD}, buf, 10);
    syscall(SYS_write, ${BAD_FD}, buf, 20);
    syscall(SYS_read, sub, buf, 30);
  }

  for (int i = 0; i < ${GETPPID_CALLS}; i++) syscall(SYS_getppid);
  pause_phase();

  for (int i = 0; i < COUNT(kills); i++)
    for (int t = 0; t < kills[i].times; t++) syscall(SYS_kill, kills[i].pid, kills[i].sig);
  struct stat st;
  for (int i = 0; i < COUNT(stats); i++)
    for (int t = 0; t < stats[i].times; t++) syscall(SYS_newfstatat, stats[i].in_sub ? sub : stats[i].dfd, stats[i].path, &st, stats[i].flag);
  for (int i = 0; i < COUNT(chowns); i++)
    for (int t = 0; t < chowns[i].times; t++) syscall(SYS_fchownat, chowns[i].in_sub ? sub : chowns[i].dfd, chowns[i].path, -1, -1, chowns[i].flag);
  connect_loopback(AF_INET, ${CONNECTS_V4});
  connect_loopback(AF_INET6, ${CONNECTS_V6});
  pause_phase();

  long page = sysconf(_SC_PAGESIZE);
  char *mem = mmap(NULL, ${TOUCHED_PAGES} * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return 7;
  madvise(mem, ${TOUCHED_PAGES} * page, MADV_NOHUGEPAGE);
  for (int i = 0; i < ${TOUCHED_PAGES}; i++) mem[i * page] = 1;
  struct timespec ms = { 0, 1000000 };
  for (int i = 0; i < ${SLEEPS}; i++) nanosleep(&ms, NULL);

  struct sigaction sa = { 0 };
  sa.sa_handler = on_signal;
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGUSR2, &sa, NULL);
  for (int i = 0; i < ${SIGUSR1_TIMES}; i++) kill(getpid(), SIGUSR1);
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  sigprocmask(SIG_BLOCK, &usr2, NULL);
  for (int i = 0; i < ${SIGUSR2_TIMES}; i++) raise(SIGUSR2);
  sigprocmask(SIG_UNBLOCK, &usr2, NULL);
  if (handled != ${SIGUSR1_TIMES} + 1) return 6;
  pause_phase();

  for (int i = 0; i < COUNT(exec_times); i++) {
    for (int t = 0; t < exec_times[i]; t++) {
      pid_t pid = fork();
      if (pid == 0) {
        execl(argv[1 + i], argv[1 + i], (char *)NULL);
        _exit(127);
      }
      reap(pid, 0);
    }
  }
  for (int i = 0; i < COUNT(exit_codes); i++) {
    pid_t pid = fork();
    if (pid == 0) _exit(exit_codes[i]);
    reap(pid, exit_codes[i] << 8);
  }
  pid_t victim = fork();
  if (victim == 0) {
    kill(getpid(), SIGTERM);
    _exit(99);
  }
  reap(victim, SIGTERM);
  return 0;
}
`;
}
