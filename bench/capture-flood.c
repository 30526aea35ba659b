/*
 * UDP flood for the capture benchmark: sendmmsg in batches from one thread,
 * as fast as the kernel takes them, for a fixed time; prints how many
 * datagrams it sent. Only for addresses inside the benchmark's own network
 * namespaces.
 *
 * usage: capture-flood DST_IP PORT PAYLOAD_BYTES SECONDS
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 256

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s DST_IP PORT PAYLOAD_BYTES SECONDS\n", argv[0]);
    return 2;
  }
  struct sockaddr_in dst;
  memset(&dst, 0, sizeof dst);
  dst.sin_family = AF_INET;
  dst.sin_port = htons((unsigned short)atoi(argv[2]));
  if (inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1) {
    fprintf(stderr, "bad address %s\n", argv[1]);
    return 2;
  }
  size_t payload = (size_t)atoi(argv[3]);
  double seconds = atof(argv[4]);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  /* Not connected: a connected socket would fail batches with the ICMP port
   * unreachable errors the receiver sends back. */
  if (fd < 0) {
    perror("socket");
    return 1;
  }
  static char buf[2048];
  memset(buf, 0x5a, sizeof buf);
  struct iovec iov[BATCH];
  struct mmsghdr msgs[BATCH];
  memset(msgs, 0, sizeof msgs);
  for (int i = 0; i < BATCH; i++) {
    iov[i].iov_base = buf;
    iov[i].iov_len = payload;
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_name = &dst;
    msgs[i].msg_hdr.msg_namelen = sizeof dst;
  }
  unsigned long long sent = 0;
  double start = now(), end = start + seconds;
  while (now() < end) {
    int n = sendmmsg(fd, msgs, BATCH, 0);
    if (n < 0) {
      if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) continue;
      perror("sendmmsg");
      return 1;
    }
    sent += (unsigned long long)n;
  }
  double took = now() - start;
  printf("%llu %.3f\n", sent, took);
  return 0;
}
