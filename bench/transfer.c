/*
 * The network bench's workload: one TCP connection over loopback moving N bytes from a writer to
 * a reader thread as fast as they can, in 64 KiB writes and reads; prints the bytes per second.
 *
 *   bpfql-transfer N
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 65536

static long long total;

static void *reader(void *arg) {
  int fd = *(int *)arg;
  static char buf[CHUNK];
  long long got = 0;
  while (got < total) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) exit(4);
    got += n;
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 2 || (total = atoll(argv[1])) <= 0) {
    fprintf(stderr, "usage: bpfql-transfer N\n");
    return 2;
  }
  int ls = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof a;
  if (bind(ls, (struct sockaddr *)&a, sizeof a) || listen(ls, 1) || getsockname(ls, (struct sockaddr *)&a, &len)) return 3;
  int w = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(w, (struct sockaddr *)&a, sizeof a)) return 3;
  int r = accept(ls, NULL, NULL);
  pthread_t t;
  struct timespec s, e;
  clock_gettime(CLOCK_MONOTONIC, &s);
  pthread_create(&t, NULL, reader, &r);
  static char buf[CHUNK];
  memset(buf, 'x', sizeof buf);
  for (long long sent = 0; sent < total;) {
    ssize_t n = write(w, buf, total - sent < CHUNK ? (size_t)(total - sent) : CHUNK);
    if (n <= 0) return 4;
    sent += n;
  }
  pthread_join(t, NULL);
  clock_gettime(CLOCK_MONOTONIC, &e);
  double secs = (double)(e.tv_sec - s.tv_sec) + (double)(e.tv_nsec - s.tv_nsec) / 1e9;
  printf("%.0f\n", (double)total / secs);
  return 0;
}
