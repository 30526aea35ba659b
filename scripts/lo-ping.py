# Loopback traffic for the fixtures/lo-*.pcap captures (see fixtures/README.md).
# ICMP echo to loopback over raw sockets (no ping binary here).
import socket, struct, time, sys
def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b)//2), b)); s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
for seq in range(1, 4):
    payload = bytes(range(48))
    hdr = struct.pack('!BBHHH', 8, 0, 0, 0x1234, seq)
    pkt = struct.pack('!BBHHH', 8, 0, csum(hdr + payload), 0x1234, seq) + payload
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); s.sendto(pkt, ('127.0.0.1', 0)); s.close()
    s6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s6.sendto(struct.pack('!BBHHH', 128, 0, 0, 0x1234, seq) + payload, ('::1', 0)); s6.close()
    time.sleep(0.2)
