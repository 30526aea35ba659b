// Hand-built DNS messages for the DNS line tests, each with the line tcpdump
// 4.99.3 -nn prints for it (checked against tcpdump when the cases were written).
import { ethernet, ipv4, latin1, tcp, udp } from './packets.js';

const bytesOf = (s) => [...latin1(s)];

/** Wire form of a name: labels, then a terminator (0) or a pointer given as [0xc0, off]. */
export function name(text, end = [0]) {
  const out = [];
  for (const l of text.split('.').filter(Boolean)) out.push(l.length, ...bytesOf(l));
  return [...out, ...end];
}

export function header(id, flags, qd, an, ns, ar) {
  return [id >> 8, id & 0xff, flags >> 8, flags & 0xff, 0, qd, 0, an, 0, ns, 0, ar];
}

const u16 = (n) => [n >> 8, n & 0xff];
const u32 = (n) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
export function rr(owner, type, cls, ttl, data) {
  return [...owner, ...u16(type), ...u16(cls), ...u32(ttl), ...u16(data.length), ...data];
}
const q = (owner, type, cls = 1) => [...owner, ...u16(type), ...u16(cls)];
const opt = (size, flags = 0, data = []) => rr([0], 41, size, flags, data);

// IP ID 1, TCP sequence 1000 and zero transport checksums: the bytes tcpdump's texts below were taken from.
const overIpv4 = (proto, payload) => [...ethernet({ type: 0x0800, payload: ipv4({ proto, id: 1, payload }) })];
export const udpDns = (payload, sport = 40000, dport = 53) => overIpv4(17, udp({ sport, dport, payload: Uint8Array.from(payload) }));
export const tcpDns = (payload, sport = 40000, dport = 53) =>
  overIpv4(6, tcp({ sport, dport, seq: 1000, flags: 0x18, ack: 1, payload: Uint8Array.from(payload) }));

/** { what, bytes, caplen?, hostile? } */
export const DNS_CASES = [];
const add = (what, bytes, opts) => DNS_CASES.push({ what, bytes, ...opts });

{ // A query with EDNS, and its answer through a CNAME, names compressed.
  const qn = name('www.example.com');
  add('query with OPT counted as [1au]', udpDns([...header(0x1234, 0x0100, 1, 0, 0, 1), ...q(qn, 1), ...opt(4096)]));
  const ans = [...header(0x1234, 0x8180, 1, 2, 0, 1), ...q(qn, 1),
    ...rr([0xc0, 12], 5, 1, 300, name('web', [0xc0, 16])),
    ...rr([0xc0, 33], 1, 1, 300, [192, 0, 2, 7]),
    ...opt(1232, 0x8000)];
  add('response: CNAME through pointers, then A', udpDns(ans, 53, 40000));
}
add('AAAA, MX, SRV, PTR, TXT, NS and an unknown type', udpDns([...header(7, 0x8580, 1, 7, 0, 0), ...q(name('a.test'), 255),
  ...rr([0xc0, 12], 28, 1, 1, [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
  ...rr([0xc0, 12], 15, 1, 1, [0, 10, ...name('mx', [0xc0, 12])]),
  ...rr([0xc0, 12], 33, 1, 1, [0, 1, 0, 2, 0x01, 0xbb, ...name('srv', [0xc0, 12])]),
  ...rr([0xc0, 12], 12, 1, 1, name('ptr.test')),
  ...rr([0xc0, 12], 16, 1, 1, [3, ...bytesOf('a b'), 0, 2, ...bytesOf('"c')]),
  ...rr([0xc0, 12], 2, 1, 1, [0xc0, 12]),
  ...rr([0xc0, 12], 65280, 3, 1, [1, 2, 3])], 53, 40000));
add('rcodes and flags: NXDomain, authoritative, no recursion, truncated, authenticated',
  udpDns([...header(9, 0x8623, 1, 0, 0, 0), ...q(name('x.test'), 1)], 53, 40000));
add('extended rcode from the OPT record (BadVers)',
  udpDns([...header(10, 0x8180, 1, 0, 0, 1), ...q(name('x.test'), 1), ...rr([0], 41, 512, 0x01000000, [])], 53, 40000));
add('query flags and counts: CD, odd bits, [0q] [2a] [1n]', udpDns([...header(11, 0x0110 | 0x0400, 0, 2, 1, 0)]));
add('a pointer to itself ends in <BAD PTR>', udpDns([...header(12, 0x0100, 1, 0, 0, 0), 0xc0, 12, 0, 1, 0, 1]));
add('a pointer forward ends in <BAD PTR>', udpDns([...header(13, 0x0100, 1, 0, 0, 0), 1, 0x61, 0xc0, 20, 0, 1, 0, 1, 0]));
add('control and high bytes in labels are made visible', udpDns([...header(14, 0x0100, 1, 0, 0, 0),
  ...q([6, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x7f, 3, 0x9b, 0x07, 0x2e, 0], 1)]));
add('a name over 255 characters', udpDns([...header(15, 0x0100, 1, 0, 0, 0),
  ...q(name(Array.from({ length: 5 }, () => 'x'.repeat(60)).join('.')), 1)]));
add('a bad label type', udpDns([...header(16, 0x0100, 1, 0, 0, 0), 0x80, 0, 1, 0, 1]));
add('shorter than a header', udpDns([1, 2, 3, 4, 5]));
{
  const m = [...header(17, 0x0100, 1, 0, 0, 0), ...q(name('cut.example.com'), 1)];
  add('capture ends inside a label', udpDns(m), { caplen: 14 + 20 + 8 + 12 + 6 });
}
add('mDNS: a QU question', udpDns([...header(0, 0x0000, 1, 0, 0, 0), ...q(name('_http._tcp.local'), 12, 0x8001)], 5353, 5353));
add('mDNS response with cache flush', udpDns([...header(0, 0x8400, 0, 1, 0, 0), ...rr(name('h.local'), 1, 0x8001, 120, [10, 0, 0, 9])], 5353, 5353));
{
  const m = [...header(18, 0x0100, 1, 0, 0, 0), ...q(name('t.test'), 1)];
  add('DNS over TCP: the length prefix, then the message', tcpDns([...u16(m.length), ...m]));
  add('DNS over TCP: a prefix that disagrees', tcpDns([...u16(m.length + 5), ...m]));
  add('DNS over TCP: one byte', tcpDns([0]));
}
add('EDNS options: cookie, ECS, keepalive, padding, NSID', udpDns([...header(19, 0x0100, 1, 0, 0, 1), ...q(name('e.test'), 1),
  ...opt(1232, 0, [0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0, 8, 0, 7, 0, 1, 24, 0, 192, 0, 2,
    0, 11, 0, 2, 0, 25, 0, 12, 0, 3, 0, 0, 0, 0, 3, 0, 2, 0xab, 0xcd])]));
{ // Many questions pointing into one long name: each walk is bounded, their sum is not.
  const labels = 20000;
  const m = [...header(20, 0x0100, 0, 0, 0, 0)];
  for (let i = 0; i < labels; i++) m.push(1, 0x61);
  m.push(0, 0, 1, 0, 1);
  let n = 1;
  for (; m.length + 6 < 65000; n++) m.push(0xc0 | ((12 + 2 * (n % 64)) >> 8), (12 + 2 * (n % 64)) & 0xff, 0, 1, 0, 1);
  m[4] = n >> 8; m[5] = n & 0xff;
  add('thousands of questions re-walking one long name stay bounded', udpDns(m), { hostile: true });
}



/**
 * What tcpdump 4.99.3 -nn prints after "IP a > b: " for each case but the hostile one, by -v
 * count; a case missing at -v or -vv prints as at one v fewer.
 */
export const TCPDUMP_TEXT = [
  {
    'query with OPT counted as [1au]':
      "4660+ [1au] A? www.example.com. (44)",
    'response: CNAME through pointers, then A':
      "4660 2/0/1 CNAME web.example.com., A 192.0.2.7 (78)",
    'AAAA, MX, SRV, PTR, TXT, NS and an unknown type':
      "7* 7/0/0 AAAA 2001:db8::1, MX mx.a.test. 10, SRV srv.a.test.:443 1 2, PTR ptr.test., TXT \"a b\" \"\" \"\"c\", NS a.test., CHAOS Type65280 (166)",
    'rcodes and flags: NXDomain, authoritative, no recursion, truncated, authenticated':
      "9 NXDomain*-|$ 0/0/0 (24)",
    'extended rcode from the OPT record (BadVers)':
      "10 BadVers 0/0/1 (35)",
    'query flags and counts: CD, odd bits, [0q] [2a] [1n]':
      "11+% [b2&3=0x510] [2a] [0q] [1n] (12)",
    'a pointer to itself ends in <BAD PTR>':
      "12+ A? <BAD PTR> [|domain]",
    'a pointer forward ends in <BAD PTR>':
      "13+ A? a.<BAD PTR> [|domain]",
    'control and high bytes in labels are made visible':
      "14+ A? ^[[31m^?.M-^[^G.. (28)",
    'a name over 255 characters':
      "15+ A? xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxx<DOMAIN NAME TOO LONG> (322)",
    'a bad label type':
      "16+ [|domain]",
    'shorter than a header':
      "domain [length 5 < 12] (invalid)",
    'capture ends inside a label':
      "17+ [|domain]",
    'mDNS: a QU question':
      "0 PTR (QU)? _http._tcp.local. (34)",
    'mDNS response with cache flush':
      "0*- [0q] 1/0/0 (Cache flush) A 10.0.0.9 (35)",
    'DNS over TCP: the length prefix, then the message':
      "Flags [P.], seq 1000:1026, ack 1, win 65535, length 26 18+ A? t.test. (24)",
    'DNS over TCP: a prefix that disagrees':
      "Flags [P.], seq 0:26, ack 1, win 65535, length 26 [prefix length(29) != length(24)] (invalid)",
    'DNS over TCP: one byte':
      "Flags [P.], seq 0:1, ack 1, win 65535, length 1 [DNS over TCP: length 1 < 2] (invalid)",
    'EDNS options: cookie, ECS, keepalive, padding, NSID':
      "19+ [1au] A? e.test. (77)",
  },
  {
    'response: CNAME through pointers, then A':
      "4660 2/0/1 www.example.com. CNAME web.example.com., www.example.com. A 192.0.2.7 (78)",
    'AAAA, MX, SRV, PTR, TXT, NS and an unknown type':
      "7* 7/0/0 a.test. AAAA 2001:db8::1, a.test. MX mx.a.test. 10, a.test. SRV srv.a.test.:443 1 2, a.test. PTR ptr.test., a.test. TXT \"a b\" \"\" \"\"c\", a.test. NS a.test., a.test. CHAOS Type65280 (166)",
    'mDNS response with cache flush':
      "0*- [0q] 1/0/0 h.local. (Cache flush) A 10.0.0.9 (35)",
    'DNS over TCP: the length prefix, then the message':
      "Flags [P.], cksum 0x0000 (incorrect -> 0x1ac9), seq 1000:1026, ack 1, win 65535, length 26 18+ A? t.test. (24)",
    'DNS over TCP: a prefix that disagrees':
      "Flags [P.], cksum 0x0000 (incorrect -> 0x1ac4), seq 0:26, ack 1, win 65535, length 26 [prefix length(29) != length(24)] (invalid)",
    'DNS over TCP: one byte':
      "Flags [P.], cksum 0x0000 (incorrect -> 0xfb6a), seq 0:1, ack 1, win 65535, length 1 [DNS over TCP: length 1 < 2] (invalid)",
  },
  {
    'query with OPT counted as [1au]':
      "[no cksum] 4660+ [1au] A? www.example.com. ar: . OPT UDPsize=4096 (44)",
    'response: CNAME through pointers, then A':
      "[no cksum] 4660 q: A? www.example.com. 2/0/1 www.example.com. CNAME web.example.com., www.example.com. A 192.0.2.7 ar: . OPT UDPsize=1232 DO (78)",
    'AAAA, MX, SRV, PTR, TXT, NS and an unknown type':
      "[no cksum] 7* q: ANY? a.test. 7/0/0 a.test. AAAA 2001:db8::1, a.test. MX mx.a.test. 10, a.test. SRV srv.a.test.:443 1 2, a.test. PTR ptr.test., a.test. TXT \"a b\" \"\" \"\"c\", a.test. NS a.test., a.test. CHAOS Type65280 (166)",
    'rcodes and flags: NXDomain, authoritative, no recursion, truncated, authenticated':
      "[no cksum] 9 NXDomain*-|$ q: A? x.test. 0/0/0 (24)",
    'extended rcode from the OPT record (BadVers)':
      "[no cksum] 10 BadVers q: A? x.test. 0/0/1 ar: . OPT UDPsize=512 (35)",
    'query flags and counts: CD, odd bits, [0q] [2a] [1n]':
      "[no cksum] 11+% [b2&3=0x510] [2a] [0q] [1n]  [|domain]",
    'a pointer to itself ends in <BAD PTR>':
      "[no cksum] 12+ A? <BAD PTR> [|domain]",
    'a pointer forward ends in <BAD PTR>':
      "[no cksum] 13+ A? a.<BAD PTR> [|domain]",
    'control and high bytes in labels are made visible':
      "[no cksum] 14+ A? ^[[31m^?.M-^[^G.. (28)",
    'a name over 255 characters':
      "[no cksum] 15+ A? xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxx<DOMAIN NAME TOO LONG> (322)",
    'a bad label type':
      "[no cksum] 16+ [|domain]",
    'shorter than a header':
      "[no cksum] domain [length 5 < 12] (invalid)",
    'capture ends inside a label':
      "[no cksum] 17+ [|domain]",
    'mDNS: a QU question':
      "[no cksum] 0 PTR (QU)? _http._tcp.local. (34)",
    'mDNS response with cache flush':
      "[no cksum] 0*- [0q] 1/0/0 h.local. (Cache flush) A 10.0.0.9 (35)",
    'EDNS options: cookie, ECS, keepalive, padding, NSID':
      "[no cksum] 19+ [1au] A? e.test. ar: . OPT UDPsize=1232 [COOKIE 0102030405060708,ECS 192.0.2.0/24/0,KEEPALIVE 2.5 sec,PADDING (3),NSID abcd] (77)",
  },
];

/** The text tcpdump prints for a case at -v `verbose`. */
export function tcpdumpText(what, verbose) {
  for (let v = verbose; v >= 0; v--) if (what in TCPDUMP_TEXT[v]) return TCPDUMP_TEXT[v][what];
  return undefined;
}
