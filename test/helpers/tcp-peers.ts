// A TCP server and client in C for tests that compare kernel times with the peers' own: each
// takes CLOCK_MONOTONIC (bpf_ktime_get_ns's clock) right around its connect(2) or accept(2) and
// close(2), with no runtime between the call and the clock. Run through NetChild (a cgroup of its
// own): each prints "ready", waits for "go", then prints one Transfer line per connection (its
// own view: `sent` is what it wrote) and "done".
//   server <host> <port> <n>     listens (before "ready"), serves n connections one at a time:
//                                reads to EOF, writes reply(read), closes lingering (close(2)
//                                returns once the peer has acknowledged everything)
//   client <host> <port> <sizes…> per size a connection: writes it, shuts down writing, reads to EOF
import { CProgram } from './c-program.js';

const SOURCE = String.raw`
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void fail(const char *what) { perror(what); exit(1); }

static socklen_t address(const char *host, int port, struct sockaddr_storage *ss) {
  memset(ss, 0, sizeof *ss);
  if (strchr(host, ':')) {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(port);
    if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1) fail("inet_pton");
    return sizeof *a;
  }
  struct sockaddr_in *a = (struct sockaddr_in *)ss;
  a->sin_family = AF_INET;
  a->sin_port = htons(port);
  if (inet_pton(AF_INET, host, &a->sin_addr) != 1) fail("inet_pton");
  return sizeof *a;
}

static int port_of(int fd, int peer) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if ((peer ? getpeername : getsockname)(fd, (struct sockaddr *)&ss, &len) != 0) fail("getsockname");
  return ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port : ((struct sockaddr_in *)&ss)->sin_port);
}

static char buf[65536];

static void write_all(int fd, long n) {
  while (n > 0) {
    ssize_t w = write(fd, buf, n < (long)sizeof buf ? (size_t)n : sizeof buf);
    if (w <= 0) fail("write");
    n -= w;
  }
}

static long read_all(int fd) {
  long n = 0;
  ssize_t r;
  while ((r = read(fd, buf, sizeof buf)) > 0) n += r;
  if (r < 0) fail("read");
  return n;
}

static void report(int client_port, int server_port, long sent, long received, double start, double end) {
  printf("{\"clientPort\":%d,\"serverPort\":%d,\"sent\":%ld,\"received\":%ld,\"ms\":%.6f,\"start\":%.6f,\"end\":%.6f}\n",
         client_port, server_port, sent, received, end - start, start, end);
}

int main(int argc, char **argv) {
  if (argc < 4) return 2;
  setvbuf(stdout, NULL, _IOLBF, 0);
  memset(buf, 1, sizeof buf);
  struct sockaddr_storage ss;
  socklen_t len = address(argv[2], atoi(argv[3]), &ss);
  int server = strcmp(argv[1], "server") == 0;
  int listener = -1;
  if (server) {
    listener = socket(ss.ss_family, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(listener, (struct sockaddr *)&ss, len) != 0 || listen(listener, 16) != 0) fail("listen");
  }
  printf("ready\n");
  char line[16];
  if (!fgets(line, sizeof line, stdin)) return 1;
  if (server) {
    for (int i = 0; i < atoi(argv[4]); i++) {
      int c = accept(listener, NULL, NULL);
      double start = now_ms();
      if (c < 0) fail("accept");
      int peer = port_of(c, 1);
      long got = read_all(c);
      write_all(c, got / 3 + 5);
      struct linger l = { 1, 10 };
      setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof l);
      close(c);
      report(peer, atoi(argv[3]), got / 3 + 5, got, start, now_ms());
    }
  } else {
    for (int i = 4; i < argc; i++) {
      long size = atol(argv[i]);
      int c = socket(ss.ss_family, SOCK_STREAM, 0);
      double start = now_ms();
      if (connect(c, (struct sockaddr *)&ss, len) != 0) fail("connect");
      int port = port_of(c, 0);
      write_all(c, size);
      shutdown(c, SHUT_WR);
      long got = read_all(c);
      close(c);
      report(port, atoi(argv[3]), size, got, start, now_ms());
    }
  }
  printf("done\n");
  return 0;
}
`;

/** Compiles the peers (once per test file; remove() when done). */
export function tcpPeers(): CProgram {
  return new CProgram('tcp-peer', SOURCE, ['-O2']);
}
