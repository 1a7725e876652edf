// What rules/audit.sql watches for, and near misses of it, for test/live/audit-*.test.ts. One
// program, the mode chosen by argv[1]:
//   ptrace               forks a child and PTRACE_ATTACHes to it (run as "gdb": a known debugger)
//   kill1 SIG            kill(1, SIG): run as pid 1 of a private pid namespace, it signals itself
//   killpid PID SIG      kill(PID, SIG)
//   setuid N             N setuid(getuid()) calls (as root: each succeeds and changes nothing)
//   open PATH FLAGS      open(PATH, FLAGS, 0600), closed at once
//   finit                finit_module(-1): exits with the errno (EBADF, or ENOSYS without modules)
//   delete               delete_module of a module that does not exist
//   memfd                memfd_create once, no exec
//   memfd-exec           /bin/true copied into a memfd named "bpfql", run with fexecve
//                        (execveat with an empty path: the kernel names it /dev/fd/3)
//   memfd-exec-path      the same, run by the path /proc/self/fd/3
//   self-exe             execs /proc/self/exe (itself) in mode "anon"
//   listen PORT          a TCP socket on 127.0.0.1:PORT that listens, closed at once
//   bind PORT            the same socket bound but never listening
//   anon                 maps an anonymous page (a system call no rule watches)
// The memfd is the first fd opened (stdin, stdout and stderr are open), so it is fd 3.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int ptrace_child(void) {
  pid_t child = fork();
  if (child == 0) { pause(); _exit(0); }
  if (ptrace(PTRACE_ATTACH, child, 0, 0) == 0) { waitpid(child, 0, 0); ptrace(PTRACE_DETACH, child, 0, 0); }
  kill(child, SIGKILL);
  waitpid(child, 0, 0);
  return 0;
}

/** A memfd holding a copy of /bin/true; its fd. */
static int memfd_true(void) {
  int fd = memfd_create("bpfql", 0);
  int src = open("/bin/true", O_RDONLY);
  struct stat st;
  if (fd < 0 || src < 0 || fstat(src, &st) != 0) return -1;
  for (off_t at = 0; at < st.st_size; ) {
    ssize_t n = sendfile(fd, src, &at, st.st_size - at);
    if (n <= 0) return -1;
  }
  close(src);
  return fd;
}

static int tcp_socket(int port, int listening) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(s, (struct sockaddr *)&a, sizeof a) != 0) return 3;
  if (listening && listen(s, 1) != 0) return 4;
  close(s);
  return 0;
}

int main(int argc, char **argv) {
  const char *m = argc > 1 ? argv[1] : "";
  char *true_argv[] = { "true", 0 };
  if (!strcmp(m, "ptrace")) return ptrace_child();
  if (!strcmp(m, "kill1")) return kill(1, atoi(argv[2])) == 0 ? 0 : 1;
  if (!strcmp(m, "killpid")) return kill(atoi(argv[2]), atoi(argv[3])) == 0 ? 0 : 1;
  if (!strcmp(m, "setuid")) {
    long n = atol(argv[2]);
    for (long i = 0; i < n; i++) {
      if (setuid(getuid()) != 0) return 1;
      /* Paced a little, so the ring buffer never fills. */
      if (i % 2000 == 1999) usleep(2000);
    }
    return 0;
  }
  if (!strcmp(m, "open")) { int fd = open(argv[2], atoi(argv[3]), 0600); if (fd >= 0) close(fd); return 0; }
  if (!strcmp(m, "finit")) return syscall(SYS_finit_module, -1, "", 0) == 0 ? 0 : errno;
  if (!strcmp(m, "delete")) return syscall(SYS_delete_module, "bpfql_no_such_module", O_NONBLOCK) == 0;
  if (!strcmp(m, "memfd")) { int fd = memfd_create("bpfql", 0); return fd == 3 ? 0 : 1; }
  if (!strcmp(m, "memfd-exec")) {
    if (memfd_true() != 3) return 1;
    fexecve(3, true_argv, environ);
    return 2;
  }
  if (!strcmp(m, "memfd-exec-path")) {
    if (memfd_true() != 3) return 1;
    execve("/proc/self/fd/3", true_argv, environ);
    return 2;
  }
  if (!strcmp(m, "self-exe")) {
    char *again[] = { argv[0], "anon", 0 };
    execve("/proc/self/exe", again, environ);
    return 2;
  }
  if (!strcmp(m, "listen")) return tcp_socket(atoi(argv[2]), 1);
  if (!strcmp(m, "bind")) return tcp_socket(atoi(argv[2]), 0);
  if (!strcmp(m, "anon")) { void *p = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); return p == MAP_FAILED; }
  return 2;
}
