/* The kernel's floor for one HTTP check on this machine: a C epoll client that opens a TCP connection, sends
 * one request, reads to EOF and closes, 64 connections in flight, nothing else. What it costs per check is
 * what any checker pays to the kernel before its own code runs (bench/http-client-cost.ts compiles and runs
 * it beside the Node clients). Usage: tcp-floor PORT SECONDS; prints one line.
 * Loopback only: 127.0.0.1:PORT. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <arpa/inet.h>
static const char REQ[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
static int ep; static struct sockaddr_in sa; static long done = 0;
static void start(void) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  connect(fd, (struct sockaddr *)&sa, sizeof sa);
  struct epoll_event ev = { .events = EPOLLOUT | EPOLLIN, .data.fd = fd };
  epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}
int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: tcp-floor PORT SECONDS\n"); return 2; }
  int port = atoi(argv[1]); double secs = atof(argv[2]); int inflight = 64;
  sa.sin_family = AF_INET; sa.sin_port = htons(port); inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
  ep = epoll_create1(0);
  char *sent = calloc(65536, 1); char buf[4096];
  for (int i = 0; i < inflight; i++) start();
  struct timeval t0, t; gettimeofday(&t0, 0);
  struct epoll_event evs[256];
  for (;;) {
    gettimeofday(&t, 0); if ((t.tv_sec - t0.tv_sec) + (t.tv_usec - t0.tv_usec) / 1e6 > secs) break;
    int n = epoll_wait(ep, evs, 256, 100);
    for (int i = 0; i < n; i++) {
      int fd = evs[i].data.fd;
      if ((evs[i].events & EPOLLOUT) && !sent[fd]) {
        write(fd, REQ, sizeof REQ - 1); sent[fd] = 1;
        struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd }; epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
        continue;
      }
      if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r > 0) continue; /* the answer; the server's close (r == 0) ends the check */
        if (r < 0 && errno == EAGAIN) continue;
        sent[fd] = 0; close(fd); done++; start();
      }
    }
  }
  struct rusage ru; getrusage(RUSAGE_SELF, &ru);
  double u = ru.ru_utime.tv_sec * 1e6 + ru.ru_utime.tv_usec, s = ru.ru_stime.tv_sec * 1e6 + ru.ru_stime.tv_usec;
  printf("%ld %.0f %.0f\n", done, u, s);
  return 0;
}
