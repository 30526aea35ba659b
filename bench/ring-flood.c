/*
 * Faster UDP flood for the capture benchmark: 64-byte Ethernet frames built
 * once and queued straight to the device through an AF_PACKET TX ring with
 * PACKET_QDISC_BYPASS, so the sender skips its own IP/UDP stack, routing and
 * qdisc (capture-flood.c's sendmmsg path costs all of that per packet and
 * tops out near 0.25 M packets/s here).
 *
 * Each frame carries a 64-bit sequence number in its UDP payload (after a
 * 4-byte tag), so a capture can be checked for gaps, not only counted. The
 * destination MAC is given: a MAC that is not the receiver's makes the
 * receiving kernel drop each frame in ip_rcv, just after the packet taps a
 * capture reads from, so the receiver's stack costs little.
 *
 * Only for interfaces inside the benchmark's own network namespaces.
 *
 * usage: ring-flood IFACE SRC_MAC DST_MAC SRC_IP DST_IP PORT SECONDS [SRC_PORT]
 * (several senders at once tell their floods apart by SRC_PORT, 49152 unless given)
 * prints: packets-sent seconds
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FRAME_LEN 64         /* Ethernet 14 + IPv4 20 + UDP 8 + 22 payload */
#define SLOT_SIZE 128        /* one ring frame: tpacket2_hdr + sockaddr_ll + 64 bytes */
#define BLOCK_SIZE 4096
#define BLOCKS 512           /* 16,384 slots, 2 MB */
#define FLUSH_EVERY 512      /* slots filled between two send() calls */
#define TAG 0x7a736e66u      /* "zsnf": our flood's payload tag */

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int parse_mac(const char *text, uint8_t mac[6]) {
  unsigned v[6];
  if (sscanf(text, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6) return -1;
  for (int i = 0; i < 6; i++) mac[i] = (uint8_t)v[i];
  return 0;
}

static uint16_t ip_checksum(const uint8_t *h) {
  uint32_t sum = 0;
  for (int i = 0; i < 20; i += 2) sum += (uint32_t)(h[i] << 8 | h[i + 1]);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return (uint16_t)~sum;
}

int main(int argc, char **argv) {
  if (argc != 8 && argc != 9) {
    fprintf(stderr, "usage: %s IFACE SRC_MAC DST_MAC SRC_IP DST_IP PORT SECONDS [SRC_PORT]\n", argv[0]);
    return 2;
  }
  uint8_t frame[FRAME_LEN];
  memset(frame, 0, sizeof frame);
  struct in_addr src, dst;
  if (parse_mac(argv[3], frame) || parse_mac(argv[2], frame + 6) ||
      inet_pton(AF_INET, argv[4], &src) != 1 || inet_pton(AF_INET, argv[5], &dst) != 1) {
    fprintf(stderr, "bad MAC or address\n");
    return 2;
  }
  unsigned port = (unsigned)atoi(argv[6]);
  double seconds = atof(argv[7]);
  unsigned src_port = argc == 9 ? (unsigned)atoi(argv[8]) : 49152;

  frame[12] = 0x08; frame[13] = 0x00;                  /* IPv4 */
  uint8_t *ip = frame + 14;
  ip[0] = 0x45; ip[2] = 0; ip[3] = 50;                 /* total length 50 */
  ip[6] = 0x40; ip[8] = 64; ip[9] = 17;                /* DF, TTL 64, UDP */
  memcpy(ip + 12, &src, 4); memcpy(ip + 16, &dst, 4);
  uint16_t sum = ip_checksum(ip);
  ip[10] = (uint8_t)(sum >> 8); ip[11] = (uint8_t)sum;
  uint8_t *udp = ip + 20;
  udp[0] = (uint8_t)(src_port >> 8); udp[1] = (uint8_t)src_port;
  udp[2] = (uint8_t)(port >> 8); udp[3] = (uint8_t)port;
  udp[4] = 0; udp[5] = 30;                             /* UDP length 30; checksum 0 (none) */
  uint8_t *payload = udp + 8;
  uint32_t tag = htonl(TAG);
  memcpy(payload, &tag, 4);

  int fd = socket(AF_PACKET, SOCK_RAW, 0);             /* protocol 0: this socket receives nothing */
  if (fd < 0) { perror("socket"); return 1; }
  int version = TPACKET_V2, one = 1;
  if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &version, sizeof version) < 0) { perror("PACKET_VERSION"); return 1; }
  if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one) < 0) perror("PACKET_QDISC_BYPASS (going on without)");
  struct tpacket_req req = {
    .tp_block_size = BLOCK_SIZE, .tp_block_nr = BLOCKS,
    .tp_frame_size = SLOT_SIZE, .tp_frame_nr = BLOCKS * (BLOCK_SIZE / SLOT_SIZE),
  };
  if (setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof req) < 0) { perror("PACKET_TX_RING"); return 1; }
  size_t ring_bytes = (size_t)BLOCK_SIZE * BLOCKS;
  uint8_t *ring = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (ring == MAP_FAILED) { perror("mmap"); return 1; }
  struct sockaddr_ll addr;
  memset(&addr, 0, sizeof addr);
  addr.sll_family = AF_PACKET;
  addr.sll_protocol = htons(ETH_P_IP);
  addr.sll_ifindex = (int)if_nametoindex(argv[1]);
  if (addr.sll_ifindex == 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) { perror(argv[1]); return 1; }

  /* Where a slot's frame starts: after the (aligned) header, as the kernel reads it by default. */
  const size_t data_at = TPACKET_ALIGN(sizeof(struct tpacket2_hdr));
  const unsigned slots = req.tp_frame_nr;
  unsigned slot = 0, pending = 0;
  unsigned long long sent = 0;
  double start = now(), end = start + seconds;
  for (;;) {
    struct tpacket2_hdr *h = (struct tpacket2_hdr *)(ring + (size_t)slot * SLOT_SIZE);
    if (h->tp_status != TP_STATUS_AVAILABLE) {
      /* The ring is full: hand the kernel what is queued and wait for a slot to come back. */
      if (send(fd, NULL, 0, 0) < 0 && errno != ENOBUFS && errno != EAGAIN && errno != EINTR) { perror("send"); return 1; }
      pending = 0;
      if (h->tp_status == TP_STATUS_WRONG_FORMAT) { fprintf(stderr, "frame rejected by the kernel\n"); return 1; }
      continue;
    }
    uint8_t *data = (uint8_t *)h + data_at;
    memcpy(data, frame, FRAME_LEN);
    uint64_t seq = sent;
    memcpy(data + 14 + 20 + 8 + 4, &seq, 8);            /* host order: the reader of our own flood knows */
    h->tp_len = FRAME_LEN;
    __atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
    slot = slot + 1 == slots ? 0 : slot + 1;
    sent++;
    if (++pending == FLUSH_EVERY) {
      if (send(fd, NULL, 0, MSG_DONTWAIT) < 0 && errno != ENOBUFS && errno != EAGAIN && errno != EINTR) { perror("send"); return 1; }
      pending = 0;
      if (now() >= end) break;
    }
  }
  /* Send what is left, and wait until the kernel has taken every slot. */
  send(fd, NULL, 0, 0);
  for (unsigned i = 0; i < slots; i++) {
    struct tpacket2_hdr *h = (struct tpacket2_hdr *)(ring + (size_t)i * SLOT_SIZE);
    while (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & (TP_STATUS_SEND_REQUEST | TP_STATUS_SENDING)) {
      send(fd, NULL, 0, 0);
    }
  }
  double took = now() - start;
  printf("%llu %.3f\n", sent, took);
  return 0;
}
