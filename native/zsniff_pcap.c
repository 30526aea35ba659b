/*
 * zsniff's libpcap binding.
 *
 * A capture runs on its own thread: it loops on pcap_dispatch and copies each
 * packet exactly once, out of libpcap's mmapped ring, into a SharedArrayBuffer
 * ring owned by JavaScript (layout in ring_layout.h). JavaScript is never
 * called per packet: the thread wakes the consumer through a threadsafe
 * function only when the consumer said it was about to sleep (a Dekker-style
 * flag in the ring's control area), so a busy consumer costs no wake-ups and
 * an idle one costs one per batch.
 *
 * Why not a futex on the SharedArrayBuffer: V8 implements Atomics.wait with
 * its own waiter lists and condition variables, not with a futex on the
 * address, so FUTEX_WAKE from C would not wake a JavaScript waiter.
 *
 * Offline filters only use the compiler: compileFilter returns the classic
 * BPF program for JavaScript to run, so reading files makes no native call
 * per packet.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/if_packet.h>
#endif

#include <node_api.h>

#include "ring_layout.h"

/* Publish at least this often within one pcap_dispatch batch, so the consumer
 * can work on the start of a large batch while the rest is being copied. */
#define PUBLISH_EVERY_BYTES (256u * 1024u)
#define STATS_EVERY_MS 200
/* A sleeping consumer is woken once this much is pending, or this long after
 * its last wake, not after every pcap_dispatch: TPACKET_V3 hands over one
 * 4 KiB block per dispatch (about 30 small packets), and a JavaScript batch
 * per block cost the main thread more CPU than the copying cost the capture
 * thread. The consumer sleeps until then (RingConsumer.setMinBatch, given
 * the size openCapture reports as wakeBytes).
 * Immediate mode wakes on every publish. */
#define WAKE_EVERY_BYTES (256u * 1024u)
#define WAKE_LATENCY_MS 20

#define CHECK(call)                                                        \
  do {                                                                     \
    if ((call) != napi_ok) {                                               \
      throw_error(env, "EINTERNAL", "N-API call failed: " #call);          \
      return NULL;                                                         \
    }                                                                      \
  } while (0)

typedef struct capture {
  pcap_t *pcap;
  pthread_t thread;
  int thread_running;
  int closed;
  int stop_requested;   /* atomic: set by JavaScript */
  int limit_reached;    /* capture thread only */
  int nanosecond;        /* the ring's records carry nanoseconds (else microseconds) */
  uint32_t frac_scale;   /* 1000 when nanoseconds were asked for and the kernel gave microseconds */
  int timeout_ms;
  uint32_t snaplen;
  uint64_t max_packets; /* 0 = unlimited */

  /* The ring (memory owned by the SharedArrayBuffer, kept alive by ring_ref). */
  napi_ref ring_ref;
  int32_t *ctl;
  double *stats;
  uint8_t *data;
  uint32_t capacity;
  uint32_t mask;

  /* Producer-private state. */
  uint32_t head;
  uint32_t published_head;
  int64_t last_wake_ms;
  uint32_t wake_bytes;   /* 0: wake on every publish (immediate mode) */
  uint32_t cached_tail;
  uint32_t packets;
  double total_packets;
  double total_bytes;
  double ring_drops;

  napi_threadsafe_function wake;
  napi_env env;
  char error[PCAP_ERRBUF_SIZE + 64];
} capture_t;

/* ---------------------------------------------------------------- helpers */

static void throw_error(napi_env env, const char *code, const char *message) {
  napi_value js_code, js_message, err;
  if (napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &js_code) != napi_ok) return;
  if (napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &js_message) != napi_ok) return;
  if (napi_create_error(env, js_code, js_message, &err) != napi_ok) return;
  napi_throw(env, err);
}

static int get_string(napi_env env, napi_value v, char *buf, size_t size) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, buf, size, &len) != napi_ok) return -1;
  return len + 1 >= size ? -1 : 0;
}

/* Reads an optional property; returns 0 when absent or undefined. */
static int get_prop(napi_env env, napi_value obj, const char *name, napi_value *out) {
  bool has = false;
  napi_valuetype t;
  if (napi_has_named_property(env, obj, name, &has) != napi_ok || !has) return 0;
  if (napi_get_named_property(env, obj, name, out) != napi_ok) return 0;
  if (napi_typeof(env, *out, &t) != napi_ok || t == napi_undefined || t == napi_null) return 0;
  return 1;
}

static double get_number(napi_env env, napi_value obj, const char *name, double dflt) {
  napi_value v;
  double d;
  if (!get_prop(env, obj, name, &v)) return dflt;
  if (napi_get_value_double(env, v, &d) != napi_ok) return dflt;
  return d;
}

static int get_bool(napi_env env, napi_value obj, const char *name, int dflt) {
  napi_value v;
  bool b;
  if (!get_prop(env, obj, name, &v)) return dflt;
  if (napi_get_value_bool(env, v, &b) != napi_ok) return dflt;
  return b ? 1 : 0;
}

static void set_string(napi_env env, napi_value obj, const char *name, const char *s) {
  napi_value v;
  if (s == NULL) return;
  if (napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v) == napi_ok)
    napi_set_named_property(env, obj, name, v);
}

static void set_number(napi_env env, napi_value obj, const char *name, double d) {
  napi_value v;
  if (napi_create_double(env, d, &v) == napi_ok) napi_set_named_property(env, obj, name, v);
}

static void set_bool(napi_env env, napi_value obj, const char *name, int b) {
  napi_value v;
  if (napi_get_boolean(env, b != 0, &v) == napi_ok) napi_set_named_property(env, obj, name, v);
}

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

/* ------------------------------------------------------------- interfaces */

static int format_sockaddr(const struct sockaddr *sa, char *buf, size_t size, const char **family) {
  if (sa == NULL) return -1;
  switch (sa->sa_family) {
    case AF_INET:
      *family = "inet";
      return inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, size) ? 0 : -1;
    case AF_INET6:
      *family = "inet6";
      return inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf, size) ? 0 : -1;
#ifdef __linux__
    case AF_PACKET: {
      const struct sockaddr_ll *ll = (const struct sockaddr_ll *)sa;
      size_t off = 0;
      *family = "link";
      if (ll->sll_halen == 0) return -1;
      for (int i = 0; i < ll->sll_halen && off + 4 < size; i++)
        off += (size_t)snprintf(buf + off, size - off, i ? ":%02x" : "%02x", ll->sll_addr[i]);
      return 0;
    }
#endif
    default:
      return -1;
  }
}

static napi_value list_interfaces(napi_env env, napi_callback_info info) {
  char errbuf[PCAP_ERRBUF_SIZE];
  pcap_if_t *all = NULL;
  napi_value result;
  (void)info;
  if (pcap_findalldevs(&all, errbuf) != 0) {
    throw_error(env, "EPCAP", errbuf);
    return NULL;
  }
  if (napi_create_array(env, &result) != napi_ok) {
    pcap_freealldevs(all);
    return NULL;
  }
  uint32_t n = 0;
  for (pcap_if_t *d = all; d != NULL; d = d->next) {
    napi_value dev, addrs;
    napi_create_object(env, &dev);
    set_string(env, dev, "name", d->name);
    set_string(env, dev, "description", d->description);
    set_number(env, dev, "flags", d->flags);
    napi_create_array(env, &addrs);
    uint32_t k = 0;
    for (pcap_addr_t *a = d->addresses; a != NULL; a = a->next) {
      char text[INET6_ADDRSTRLEN + 64];
      const char *family = NULL;
      napi_value addr;
      if (format_sockaddr(a->addr, text, sizeof text, &family) != 0) continue;
      napi_create_object(env, &addr);
      set_string(env, addr, "family", family);
      set_string(env, addr, "address", text);
      if (format_sockaddr(a->netmask, text, sizeof text, &family) == 0) set_string(env, addr, "netmask", text);
      if (format_sockaddr(a->broadaddr, text, sizeof text, &family) == 0) set_string(env, addr, "broadcast", text);
      if (format_sockaddr(a->dstaddr, text, sizeof text, &family) == 0) set_string(env, addr, "destination", text);
      napi_set_element(env, addrs, k++, addr);
    }
    napi_set_named_property(env, dev, "addresses", addrs);
    napi_set_element(env, result, n++, dev);
  }
  pcap_freealldevs(all);
  return result;
}

/* ---------------------------------------------------------------- filters */

static napi_value bpf_to_js(napi_env env, const struct bpf_program *prog) {
  napi_value ab, arr;
  void *mem = NULL;
  size_t words = (size_t)prog->bf_len * 4;
  CHECK(napi_create_arraybuffer(env, words * 4, &mem, &ab));
  uint32_t *out = (uint32_t *)mem;
  for (u_int i = 0; i < prog->bf_len; i++) {
    out[i * 4 + 0] = prog->bf_insns[i].code;
    out[i * 4 + 1] = prog->bf_insns[i].jt;
    out[i * 4 + 2] = prog->bf_insns[i].jf;
    out[i * 4 + 3] = prog->bf_insns[i].k;
  }
  CHECK(napi_create_typedarray(env, napi_uint32_array, words, ab, 0, &arr));
  return arr;
}

static uint32_t maybe_swap32(uint32_t v, int swapped) { return swapped ? __builtin_bswap32(v) : v; }
static uint16_t maybe_swap16(uint16_t v, int swapped) { return swapped ? __builtin_bswap16(v) : v; }

/*
 * A pcap_t to compile for, as tcpdump -r has one: a savefile. libpcap's code
 * generator treats files differently from live handles (DLT_NULL/DLT_ENC
 * accept every BSD's AF_INET6 value and compare in the file's byte order), so
 * compile against a header-only savefile of the same link type, snapshot
 * length and byte order. pcap_open_dead is the fallback.
 */
static pcap_t *compile_target(int dlt, int linktype, int snaplen, int swapped, char *errbuf) {
  unsigned char hdr[24];
  uint32_t magic = maybe_swap32(0xa1b23c4d, swapped);
  uint32_t lt = maybe_swap32((uint32_t)linktype, swapped);
  uint32_t snap = maybe_swap32((uint32_t)snaplen, swapped);
  uint16_t major = maybe_swap16(2, swapped), minor = maybe_swap16(4, swapped);
  memset(hdr, 0, sizeof hdr);
  memcpy(hdr, &magic, 4);
  memcpy(hdr + 4, &major, 2);
  memcpy(hdr + 6, &minor, 2);
  memcpy(hdr + 16, &snap, 4);
  memcpy(hdr + 20, &lt, 4);
  /* Room beyond the header: glibc's fmemopen puts a NUL after the data on
   * flush, over the last byte when the buffer is full. */
  FILE *f = fmemopen(NULL, 2 * sizeof hdr, "w+");
  if (f != NULL) {
    if (fwrite(hdr, 1, sizeof hdr, f) == sizeof hdr) {
      rewind(f);
      /* On success libpcap owns f and closes it with the pcap_t. */
      pcap_t *p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, errbuf);
      if (p != NULL) return p;
    }
    fclose(f);
  }
  return pcap_open_dead_with_tstamp_precision(dlt, snaplen, PCAP_TSTAMP_PRECISION_NANO);
}

/* compileFilter(expression, dlt, linktype, snaplen, netmask, optimize, swapped) -> Uint32Array */
static napi_value compile_filter(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  char expr[8192];
  char errbuf[PCAP_ERRBUF_SIZE];
  double dlt, linktype, snaplen, netmask;
  bool optimize, swapped;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 7 || get_string(env, argv[0], expr, sizeof expr) != 0 ||
      napi_get_value_double(env, argv[1], &dlt) != napi_ok ||
      napi_get_value_double(env, argv[2], &linktype) != napi_ok ||
      napi_get_value_double(env, argv[3], &snaplen) != napi_ok ||
      napi_get_value_double(env, argv[4], &netmask) != napi_ok ||
      napi_get_value_bool(env, argv[5], &optimize) != napi_ok ||
      napi_get_value_bool(env, argv[6], &swapped) != napi_ok) {
    throw_error(env, "EINVAL",
                "compileFilter(expression, dlt, linktype, snaplen, netmask, optimize, swapped): bad arguments");
    return NULL;
  }
  errbuf[0] = 0;
  pcap_t *target = compile_target((int)dlt, (int)linktype, (int)snaplen, swapped, errbuf);
  if (target == NULL) {
    throw_error(env, "EPCAP", errbuf[0] ? errbuf : "cannot set up libpcap to compile the filter");
    return NULL;
  }
  struct bpf_program prog;
  if (pcap_compile(target, &prog, expr, optimize ? 1 : 0, (bpf_u_int32)netmask) != 0) {
    throw_error(env, "EFILTER", pcap_geterr(target));
    pcap_close(target);
    return NULL;
  }
  napi_value result = bpf_to_js(env, &prog);
  pcap_freecode(&prog);
  pcap_close(target);
  return result;
}

/* ----------------------------------------------------------------- capture */

/*
 * The ring is fresh memory: its first lap would fault in a page every 4 KiB
 * on the capture thread, which then costs more per packet than the copy
 * itself. Ask for huge pages and touch every page now, before capturing.
 */
static void prepare_ring(uint8_t *data, size_t len) {
  long page = sysconf(_SC_PAGESIZE);
  if (page <= 0) page = 4096;
#ifdef MADV_HUGEPAGE
  uintptr_t start = ((uintptr_t)data + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
  uintptr_t end = ((uintptr_t)data + len) & ~((uintptr_t)page - 1);
  if (end > start) madvise((void *)start, end - start, MADV_HUGEPAGE);
#endif
  for (size_t off = 0; off < len; off += (size_t)page) ((volatile uint8_t *)data)[off] = 0;
}

static void store_stat(capture_t *c, int slot, double v) {
  __atomic_store(&c->stats[slot], &v, __ATOMIC_RELAXED);
}

static void wake_consumer(capture_t *c) {
  napi_call_threadsafe_function(c->wake, NULL, napi_tsfn_nonblocking);
}

/* Makes the records copied so far visible to the consumer and decides
 * whether to wake it. A consumer that sleeps with records pending (it waits
 * for a worthwhile batch) is woken once WAKE_EVERY_BYTES are pending or
 * WAKE_LATENCY_MS after its last wake; the capture loop calls this after
 * every pcap_dispatch, which returns at least every timeout_ms, so pending
 * records never wait longer than that. `force` (and immediate mode) wakes a
 * waiting consumer at once. */
static void publish(capture_t *c, int force) {
  store_stat(c, STAT_RING_DROP, c->ring_drops);
  store_stat(c, STAT_PACKETS, c->total_packets);
  store_stat(c, STAT_BYTES, c->total_bytes);
  if (c->head != c->published_head) {
    __atomic_store_n(&c->ctl[RING_PACKETS], (int32_t)c->packets, __ATOMIC_RELEASE);
    /* seq_cst pairs with the consumer's seq_cst store of WAITING then load of
     * HEAD: one of the two sides always sees the other. */
    __atomic_store_n(&c->ctl[RING_HEAD], (int32_t)c->head, __ATOMIC_SEQ_CST);
    c->published_head = c->head;
  } else if (!force && c->wake_bytes == 0) {
    return;
  }
  if (!force && c->wake_bytes != 0) {
    /* An awake consumer comes back for the records by itself. */
    if (__atomic_load_n(&c->ctl[RING_WAITING], __ATOMIC_SEQ_CST) == 0) return;
    uint32_t pending = c->published_head - (uint32_t)__atomic_load_n(&c->ctl[RING_TAIL], __ATOMIC_ACQUIRE);
    if (pending == 0) return;
    int64_t t = now_ms();
    if (pending < c->wake_bytes && t - c->last_wake_ms < WAKE_LATENCY_MS) return;
    c->last_wake_ms = t;
  }
  if (__atomic_exchange_n(&c->ctl[RING_WAITING], 0, __ATOMIC_SEQ_CST) != 0) wake_consumer(c);
}

static void update_pcap_stats(capture_t *c) {
  struct pcap_stat ps;
  if (pcap_stats(c->pcap, &ps) != 0) return;
  store_stat(c, STAT_RECV, ps.ps_recv);
  store_stat(c, STAT_DROP, ps.ps_drop);
  store_stat(c, STAT_IFDROP, ps.ps_ifdrop);
}

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes) {
  capture_t *c = (capture_t *)user;
  if (c->limit_reached) return;
  uint32_t caplen = h->caplen > c->snaplen ? c->snaplen : h->caplen;
  uint32_t need = RING_RECORD_HEADER + caplen;
  if (need > c->capacity - (c->head - c->cached_tail)) {
    c->cached_tail = (uint32_t)__atomic_load_n(&c->ctl[RING_TAIL], __ATOMIC_ACQUIRE);
    if (need > c->capacity - (c->head - c->cached_tail)) {
      c->ring_drops += 1;
      return;
    }
  }
  uint32_t pos = c->head & c->mask;
  uint8_t *dst = c->data + pos;
  uint32_t hdr[4];
  hdr[0] = (uint32_t)h->ts.tv_sec;
  hdr[1] = (uint32_t)h->ts.tv_usec * c->frac_scale;
  hdr[2] = caplen;
  hdr[3] = h->len;
  memcpy(dst, hdr, sizeof hdr);
  memcpy(dst + RING_RECORD_HEADER, bytes, caplen);
  if (pos + need > c->capacity) memcpy(c->data, c->data + c->capacity, pos + need - c->capacity);
  c->head += need;
  c->packets += 1;
  c->total_packets += 1;
  c->total_bytes += need;
  if (c->max_packets != 0 && c->total_packets >= (double)c->max_packets) {
    c->limit_reached = 1;
    pcap_breakloop(c->pcap);
  }
  if (c->head - c->published_head >= PUBLISH_EVERY_BYTES) publish(c, 0);
}

/* After a stop request, take what the kernel already holds. A TPACKET_V3
 * block becomes visible only when full or when its timeout retires it, so
 * keep polling for one timeout. */
static void drain_after_stop(capture_t *c) {
  char errbuf[PCAP_ERRBUF_SIZE];
  if (pcap_setnonblock(c->pcap, 1, errbuf) != 0) return;
  int64_t start = now_ms();
  int64_t settle = start + c->timeout_ms + 30;
  int64_t give_up = start + c->timeout_ms + 500;
  for (;;) {
    int n = pcap_dispatch(c->pcap, -1, on_packet, (u_char *)c);
    publish(c, 1);
    if (n == PCAP_ERROR || c->limit_reached) return;
    int64_t t = now_ms();
    if (t >= give_up || (n == 0 && t >= settle)) return;
    if (n <= 0) sleep_ms(2);
  }
}

static void *capture_main(void *arg) {
  capture_t *c = (capture_t *)arg;
  sigset_t all;
  /* Signals belong to Node's main thread (SIGINT must reach the JS handler). */
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, NULL);

  int64_t last_stats = now_ms();
  while (!__atomic_load_n(&c->stop_requested, __ATOMIC_ACQUIRE) && !c->limit_reached) {
    int n = pcap_dispatch(c->pcap, -1, on_packet, (u_char *)c);
    publish(c, 0);
    if (n == PCAP_ERROR) {
      snprintf(c->error, sizeof c->error, "%s", pcap_geterr(c->pcap));
      break;
    }
    int64_t t = now_ms();
    if (t - last_stats >= STATS_EVERY_MS) {
      update_pcap_stats(c);
      last_stats = t;
    }
  }
  if (c->error[0] == 0 && !c->limit_reached) drain_after_stop(c);
  publish(c, 1);
  update_pcap_stats(c);
  __atomic_store_n(&c->ctl[RING_STATE], RING_STATE_FINISHED, __ATOMIC_SEQ_CST);
  __atomic_store_n(&c->ctl[RING_WAITING], 0, __ATOMIC_SEQ_CST);
  wake_consumer(c);
  return NULL;
}

static void call_js_wake(napi_env env, napi_value js_cb, void *context, void *data) {
  napi_value undefined;
  (void)context;
  (void)data;
  if (env == NULL || js_cb == NULL) return;
  if (napi_get_undefined(env, &undefined) != napi_ok) return;
  napi_call_function(env, undefined, js_cb, 0, NULL, NULL);
}

static void stop_thread(capture_t *c) {
  __atomic_store_n(&c->stop_requested, 1, __ATOMIC_RELEASE);
  if (c->pcap != NULL) pcap_breakloop(c->pcap);
}

/* Joins the thread and closes libpcap; the threadsafe function is released
 * separately because the env cleanup path must not touch it. */
static void close_capture(capture_t *c) {
  if (c->closed) return;
  c->closed = 1;
  if (c->thread_running) {
    stop_thread(c);
    pthread_join(c->thread, NULL);
    c->thread_running = 0;
  }
  if (c->pcap != NULL) {
    pcap_close(c->pcap);
    c->pcap = NULL;
  }
}

static void env_cleanup(void *arg) {
  close_capture((capture_t *)arg);
}

static void release_js(napi_env env, capture_t *c) {
  if (c->wake != NULL) {
    napi_release_threadsafe_function(c->wake, napi_tsfn_abort);
    c->wake = NULL;
  }
  if (c->ring_ref != NULL) {
    napi_delete_reference(env, c->ring_ref);
    c->ring_ref = NULL;
  }
}

static void finalize_capture(napi_env env, void *data, void *hint) {
  capture_t *c = (capture_t *)data;
  (void)hint;
  close_capture(c);
  napi_remove_env_cleanup_hook(env, env_cleanup, c);
  release_js(env, c);
  free(c);
}

static capture_t *unwrap_capture(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void *data = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_external(env, argv[0], &data) != napi_ok || data == NULL) {
    throw_error(env, "EINVAL", "expected a capture handle");
    return NULL;
  }
  return (capture_t *)data;
}

static const char *activate_code(int rc) {
  switch (rc) {
    case PCAP_ERROR_PERM_DENIED:
    case PCAP_ERROR_PROMISC_PERM_DENIED:
      return "EPERM";
    case PCAP_ERROR_NO_SUCH_DEVICE:
      return "ENODEV";
    case PCAP_ERROR_IFACE_NOT_UP:
      return "ENETDOWN";
    default:
      return "EPCAP";
  }
}

static napi_value fail_open(napi_env env, pcap_t *p, const char *code, const char *what) {
  char msg[PCAP_ERRBUF_SIZE * 2 + 64];
  const char *detail = p != NULL ? pcap_geterr(p) : "";
  if (detail != NULL && detail[0] != 0 && strcmp(detail, what) != 0)
    snprintf(msg, sizeof msg, "%s: %s", what, detail);
  else
    snprintf(msg, sizeof msg, "%s", what);
  if (p != NULL) pcap_close(p);
  throw_error(env, code, msg);
  return NULL;
}

/*
 * openCapture(options, ring: Uint8Array over the whole SharedArrayBuffer,
 *             capacity, onWake) -> { handle, dlt, snaplen, nanosecond, ... }
 * options: device, snaplen, promiscuous, bufferBytes, immediate, timeoutMs,
 *          filter, optimize, maxPackets.
 */
static napi_value open_capture(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  char device[512];
  char filter[8192];
  char errbuf[PCAP_ERRBUF_SIZE];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 4) {
    throw_error(env, "EINVAL", "openCapture(options, ring, capacity, onWake): missing arguments");
    return NULL;
  }
  napi_value opts = argv[0], v;
  if (!get_prop(env, opts, "device", &v) || get_string(env, v, device, sizeof device) != 0) {
    throw_error(env, "EINVAL", "openCapture: options.device must be a string");
    return NULL;
  }
  filter[0] = 0;
  if (get_prop(env, opts, "filter", &v) && get_string(env, v, filter, sizeof filter) != 0) {
    throw_error(env, "EINVAL", "openCapture: options.filter is too long");
    return NULL;
  }
  int snaplen = (int)get_number(env, opts, "snaplen", 262144);
  int promisc = get_bool(env, opts, "promiscuous", 1);
  double buffer_bytes = get_number(env, opts, "bufferBytes", 0);
  int immediate = get_bool(env, opts, "immediate", 0);
  int timeout_ms = (int)get_number(env, opts, "timeoutMs", 100);
  int optimize = get_bool(env, opts, "optimize", 1);
  double max_packets = get_number(env, opts, "maxPackets", 0);
  /* Records in the ring have the precision the file will have, so -w copies
   * them verbatim and a microsecond file equals tcpdump's. */
  int want_nano = get_bool(env, opts, "nanosecond", 1);

  uint8_t *ring = NULL;
  size_t ring_len = 0;
  napi_typedarray_type ta_type;
  napi_value ring_ab;
  size_t ring_offset = 0;
  double capacity_d;
  bool is_ta = false;
  napi_valuetype cb_type;
  CHECK(napi_is_typedarray(env, argv[1], &is_ta));
  if (!is_ta) {
    throw_error(env, "EINVAL", "openCapture: ring must be a Uint8Array");
    return NULL;
  }
  CHECK(napi_get_typedarray_info(env, argv[1], &ta_type, &ring_len, (void **)&ring, &ring_ab, &ring_offset));
  CHECK(napi_get_value_double(env, argv[2], &capacity_d));
  CHECK(napi_typeof(env, argv[3], &cb_type));
  uint32_t capacity = (uint32_t)capacity_d;
  if (ta_type != napi_uint8_array || ring == NULL || capacity < 65536 || (capacity & (capacity - 1)) != 0 ||
      capacity > (1u << 30) || cb_type != napi_function ||
      ring_len < (size_t)RING_CONTROL_BYTES + capacity + RING_RECORD_HEADER + (size_t)snaplen ||
      ((uintptr_t)ring & 7) != 0) {
    throw_error(env, "EINVAL", "openCapture: ring too small, capacity not a power of two, or no callback");
    return NULL;
  }

  pcap_t *p = pcap_create(device, errbuf);
  if (p == NULL) {
    throw_error(env, "EPCAP", errbuf);
    return NULL;
  }
  pcap_set_snaplen(p, snaplen);
  pcap_set_promisc(p, promisc);
  pcap_set_timeout(p, timeout_ms);
  if (buffer_bytes > 0) pcap_set_buffer_size(p, (int)buffer_bytes);
  if (immediate) pcap_set_immediate_mode(p, 1);
  pcap_set_tstamp_precision(p, want_nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
  int rc = pcap_activate(p);
  char warning[PCAP_ERRBUF_SIZE + 64];
  warning[0] = 0;
  if (rc < 0) {
    return fail_open(env, p, activate_code(rc), pcap_statustostr(rc));
  }
  if (rc > 0) {
    const char *detail = pcap_geterr(p);
    snprintf(warning, sizeof warning, "%s%s%s", pcap_statustostr(rc), detail[0] ? ": " : "", detail);
  }

  if (filter[0] != 0) {
    bpf_u_int32 net = 0, mask = 0;
    struct bpf_program prog;
    if (pcap_lookupnet(device, &net, &mask, errbuf) != 0) mask = 0;
    if (pcap_compile(p, &prog, filter, optimize, mask) != 0) {
      char msg[PCAP_ERRBUF_SIZE + 16];
      snprintf(msg, sizeof msg, "%s", pcap_geterr(p));
      pcap_close(p);
      throw_error(env, "EFILTER", msg);
      return NULL;
    }
    if (pcap_setfilter(p, &prog) != 0) {
      pcap_freecode(&prog);
      return fail_open(env, p, "EFILTER", "cannot install the filter");
    }
    pcap_freecode(&prog);
  }

  capture_t *c = (capture_t *)calloc(1, sizeof *c);
  if (c == NULL) {
    pcap_close(p);
    throw_error(env, "ENOMEM", "out of memory");
    return NULL;
  }
  c->pcap = p;
  c->env = env;
  c->nanosecond = want_nano;
  c->frac_scale = want_nano && pcap_get_tstamp_precision(p) != PCAP_TSTAMP_PRECISION_NANO ? 1000u : 1u;
  c->timeout_ms = timeout_ms;
  c->snaplen = (uint32_t)(pcap_snapshot(p) > 0 && pcap_snapshot(p) < snaplen ? pcap_snapshot(p) : snaplen);
  c->max_packets = max_packets > 0 ? (uint64_t)max_packets : 0;
  c->ctl = (int32_t *)ring;
  c->stats = (double *)(ring + RING_STATS_OFFSET);
  c->data = ring + RING_CONTROL_BYTES;
  c->capacity = capacity;
  c->mask = capacity - 1;
  c->head = c->published_head = c->cached_tail = (uint32_t)__atomic_load_n(&c->ctl[RING_HEAD], __ATOMIC_ACQUIRE);
  /* Never let more than an eighth of the ring wait for a wake. */
  c->wake_bytes = immediate ? 0 : (WAKE_EVERY_BYTES < capacity / 8 ? WAKE_EVERY_BYTES : capacity / 8);
  c->packets = (uint32_t)__atomic_load_n(&c->ctl[RING_PACKETS], __ATOMIC_ACQUIRE);

  prepare_ring(c->data, (size_t)capacity + RING_RECORD_HEADER + c->snaplen);

  napi_value handle, resource_name, result;
  if (napi_create_reference(env, argv[1], 1, &c->ring_ref) != napi_ok ||
      napi_create_string_utf8(env, "zsniff.capture", NAPI_AUTO_LENGTH, &resource_name) != napi_ok ||
      napi_create_threadsafe_function(env, argv[3], NULL, resource_name, 0, 1, NULL, NULL, NULL, call_js_wake,
                                      &c->wake) != napi_ok ||
      napi_create_external(env, c, finalize_capture, NULL, &handle) != napi_ok) {
    close_capture(c);
    release_js(env, c);
    free(c);
    throw_error(env, "EINTERNAL", "cannot set up the capture thread's callback");
    return NULL;
  }
  napi_add_env_cleanup_hook(env, env_cleanup, c);
  if (pthread_create(&c->thread, NULL, capture_main, c) != 0) {
    /* The external's finalizer frees c later. */
    close_capture(c);
    throw_error(env, "EAGAIN", "cannot start the capture thread");
    return NULL;
  }
  c->thread_running = 1;

  CHECK(napi_create_object(env, &result));
  napi_set_named_property(env, result, "handle", handle);
  set_number(env, result, "dlt", pcap_datalink(p));
  set_string(env, result, "dltName", pcap_datalink_val_to_name(pcap_datalink(p)));
  set_string(env, result, "dltDescription", pcap_datalink_val_to_description(pcap_datalink(p)));
  set_number(env, result, "snaplen", c->snaplen);
  set_bool(env, result, "nanosecond", c->nanosecond);
  /* The consumer waits for this much (or a wake) itself: one rule, stated here only. */
  set_number(env, result, "wakeBytes", c->wake_bytes);
  if (warning[0]) set_string(env, result, "warning", warning);
  return result;
}

/* stopCapture(handle): asks the thread to finish; it drains, publishes final
 * statistics, sets RING_STATE and wakes the consumer one last time. */
static napi_value stop_capture(napi_env env, napi_callback_info info) {
  capture_t *c = unwrap_capture(env, info);
  if (c != NULL && !c->closed) stop_thread(c);
  return NULL;
}

/* closeCapture(handle) -> error message or undefined. Joins the thread. */
static napi_value close_capture_js(napi_env env, napi_callback_info info) {
  capture_t *c = unwrap_capture(env, info);
  napi_value result = NULL;
  if (c == NULL) return NULL;
  close_capture(c);
  napi_remove_env_cleanup_hook(env, env_cleanup, c);
  release_js(env, c);
  if (c->error[0] != 0) napi_create_string_utf8(env, c->error, NAPI_AUTO_LENGTH, &result);
  return result;
}

/*
 * dropPrivileges(user) -> { uid, gid }: tcpdump's -Z, after the device is
 * open. Supplementary groups first, then the group, then the user (after
 * setuid nothing else could be changed). glibc applies each call to every
 * thread, the capture thread included. Regaining root must then fail.
 */
static napi_value drop_privileges(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], result;
  char user[256];
  char msg[512];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || get_string(env, argv[0], user, sizeof user) != 0) {
    throw_error(env, "EINVAL", "dropPrivileges(user): bad arguments");
    return NULL;
  }
  errno = 0;
  struct passwd *pw = getpwnam(user);
  if (pw == NULL) {
    snprintf(msg, sizeof msg, "no such user '%s'", user);
    throw_error(env, "ENOUSER", msg);
    return NULL;
  }
  uid_t uid = pw->pw_uid;
  gid_t gid = pw->pw_gid;
  if (initgroups(pw->pw_name, gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
    snprintf(msg, sizeof msg, "cannot become user '%s': %s", user, strerror(errno));
    throw_error(env, "EPERM", msg);
    return NULL;
  }
  if (uid != 0 && setuid(0) == 0) {
    throw_error(env, "EPERM", "privileges were not dropped: setuid(0) still succeeds");
    return NULL;
  }
  CHECK(napi_create_object(env, &result));
  set_number(env, result, "uid", uid);
  set_number(env, result, "gid", gid);
  return result;
}

static napi_value lib_version(napi_env env, napi_callback_info info) {
  napi_value v;
  (void)info;
  CHECK(napi_create_string_utf8(env, pcap_lib_version(), NAPI_AUTO_LENGTH, &v));
  return v;
}

/* ring_layout.h as the addon was compiled with it, for JavaScript to compare with its own. */
static napi_value ring_layout(napi_env env) {
  napi_value o;
  if (napi_create_object(env, &o) != napi_ok) return NULL;
#define LAYOUT(name) set_number(env, o, #name, name)
  LAYOUT(RING_HEAD);
  LAYOUT(RING_PACKETS);
  LAYOUT(RING_TAIL);
  LAYOUT(RING_WAITING);
  LAYOUT(RING_STATE);
  LAYOUT(RING_STATE_FINISHED);
  LAYOUT(RING_STATS_OFFSET);
  LAYOUT(STAT_RECV);
  LAYOUT(STAT_DROP);
  LAYOUT(STAT_IFDROP);
  LAYOUT(STAT_RING_DROP);
  LAYOUT(STAT_PACKETS);
  LAYOUT(STAT_BYTES);
  LAYOUT(STAT_COUNT);
  LAYOUT(RING_CONTROL_BYTES);
  LAYOUT(RING_RECORD_HEADER);
#undef LAYOUT
  return o;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value layout = ring_layout(env);
  if (layout == NULL || napi_set_named_property(env, exports, "ringLayout", layout) != napi_ok) return NULL;
  napi_property_descriptor props[] = {
      {"listInterfaces", NULL, list_interfaces, NULL, NULL, NULL, napi_default, NULL},
      {"compileFilter", NULL, compile_filter, NULL, NULL, NULL, napi_default, NULL},
      {"openCapture", NULL, open_capture, NULL, NULL, NULL, napi_default, NULL},
      {"stopCapture", NULL, stop_capture, NULL, NULL, NULL, napi_default, NULL},
      {"closeCapture", NULL, close_capture_js, NULL, NULL, NULL, napi_default, NULL},
      {"dropPrivileges", NULL, drop_privileges, NULL, NULL, NULL, napi_default, NULL},
      {"libVersion", NULL, lib_version, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
