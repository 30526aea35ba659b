// Wireless frames for the printer tests, each with tcpdump 4.99.3's -nn line (its text after the timestamp).
import { concat, ipv4, udp, IPPROTO } from './packets.js';
import { addr, ctrl, data, elements, field as f, mgmt, radiotap, snap, text } from './wifi.js';

const ip = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: IPPROTO.UDP, payload: udp({ sport: 40000, dport: 9999, payload: Uint8Array.of(1, 2, 3, 4) }) });
const rt = radiotap([f.tsft(1234567), f.flags(0x02), f.rate(108), f.channel(5180, 0x140), f.dbmSignal(-40), f.antenna(1)]);
const beaconBody = [0, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0x11, 0,
  ...elements([0, text('caf\xe9\x01net')], [1, [0x82, 0x84, 0x8b, 0x96, 12, 18, 24, 36]], [3, [6]], [5, [0, 1, 0, 0]])];

const ppi = (dlt, inner, extra = 0) => concat(Uint8Array.of(0, 0, 8 + extra, 0, dlt & 255, dlt >> 8, 0, 0), new Uint8Array(extra), inner);

/** [link type, bytes, tcpdump's text, origLen?]. */
export const WIFI_CASES = [
  // Radiotap fields, each in its printed form.
  [127, concat(rt, mgmt(8, beaconBody)), '1234567us tsft short preamble 54.0 Mb/s 5180 MHz 11a -40dBm signal antenna 1 Beacon (cafM-i^Anet) [1.0* 2.0* 5.5* 11.0* 6.0 9.0 12.0 18.0 Mbit] ESS CH: 6, PRIVACY'],
  [127, concat(radiotap([f.flags(0x7d), f.rate(0x85), f.fhss(1, 2), f.lockQuality(77), f.txAttenuation(3), f.dbTxAttenuation(-2), f.dbmTxPower(20), f.dbSignal(50), f.dbNoise(5), f.rxFlags(0)]), mgmt(4, elements([0, []])), Uint8Array.of(0, 0, 0, 0)), 'cfp wep fragmented bad-fcs MCS 5 fhset 1 fhpat 2 77 sq -3 tx power 2dB tx attenuation 20dBm tx power 50dB signal 5dB noise Probe Request ()'],
  [127, concat(radiotap([f.channel(2437, 0x480), f.xchannel(0x20480, 2437, 6, 20), f.mcs(0x3f, 0x35, 7)]), mgmt(10, [3, 0])), '2437 MHz 11n ht/40+ 150.0 Mb/s MCS 7 40 MHz short GI mixed LDPC FEC RX-STBC1 Disassociation: Deauthenticated because sending STA is leaving (or has left) IBSS or ESS'],
  [127, concat(radiotap([f.channel(2412, 0x0a0 | 0x4000), f.dbmNoise(-90), f.ampdu(5), f.vht(0x44, 0x04, 4, [0x91, 0, 0x22, 0], 0x05)]), mgmt(12, [7, 0])), '2412 MHz 11b -90dBm noise User 0 MCS 9 LDPC FEC User 2 MCS 2 LDPC FEC 80 MHz short GI DeAuthentication (66:77:88:99:aa:bb): Class 3 frame received from nonassociated STA'],
  [127, concat(radiotap([f.channel(5200, 0x150 | 0x8000 | 0x10)]), mgmt(11, [1, 0, 2, 0, 0, 0, ...elements([16, [1, 2, 3]])])), '5200 MHz 11a/5Mhz Turbo Authentication (Shared Key)-2 [Challenge Text] '],
  [127, concat(radiotap([f.channel(2412, 0x0a0 | 0x10000)]), mgmt(11, [2, 0, 3, 0, 14, 0])), '2412 MHz 11b Authentication (EAP)-3: Received an Authentication frame with authentication transaction sequence number out of expected sequence'],
  [127, concat(radiotap([f.channel(907, 0x1000 | 0x880)]), mgmt(0, [0x11, 0, 10, 0, ...elements([0, text('lab')], [1, [2, 4]])])), '907 MHz FHSS Assoc Request (lab) [1.0 2.0 Mbit]'],
  // Extended presence words, an unknown bit, a vendor namespace skipped, namespace switches.
  [127, concat(radiotap([f.tsft(1), [32, 1, [0]]], [0x80000001, 0x1]), mgmt(13, [3, 1])), '1us tsft [bit 32] Action (66:77:88:99:aa:bb): BA ADDBA Response'],
  [127, concat(radiotap([f.rate(2), [0, 1, [0, 0, 0x13, 0, 0x5a, 0x01, 2, 0]], [0, 1, [9, 9, 0x30]]], [0xc0000004, 0xa0000000, 0x20]), mgmt(13, [127, 5])), '1.0 Mb/s Action (66:77:88:99:aa:bb): Vendor Act#5'],
  [127, concat(radiotap([], [0x40000000]), Uint8Array.of()), ' [|802.11_radio] [|802.11]'],
  [127, concat(radiotap([[15, 2, [0, 0]]]), ctrl(11, [0, 0, ...addr.A, ...addr.B])), '[bit 15] Request-To-Send TA:66:77:88:99:aa:bb '],
  // Flags: FCS at the end, Atheros padding.
  [127, concat(radiotap([f.flags(0x10)]), data(0, 1, snap(0x0800, ip)), Uint8Array.of(1, 2, 3, 4)), 'IP 10.0.0.1.40000 > 10.0.0.2.9999: UDP, length 4'],
  [127, concat(radiotap([f.flags(0x20)]), data(8, 2, [0, 0, ...snap(0x0800, ip)])), 'IP 10.0.0.1.40000 > 10.0.0.2.9999: UDP, length 4'],
  [127, concat(radiotap([f.flags(0x10)]), Uint8Array.of(0xd4, 0)), ' [|802.11]'],
  // Truncation.
  [127, radiotap([f.tsft(5)]).slice(0, 12), ' [|802.11_radio]'],
  [127, (() => { const r = radiotap([f.tsft(5), f.rate(4)]); r[2] = 12; return r.slice(0, 12); })(), ' [|802.11_radio] [|802.11]'],
  [127, Uint8Array.of(0, 0, 4, 0, 0, 0, 0, 0), ' [|802.11_radio]'],
  [127, Uint8Array.of(0, 0, 8, 0, 0, 0, 0, 0x80), ' [|802.11_radio]'],
  // Management bodies.
  [105, mgmt(5, beaconBody), 'Probe Response (cafM-i^Anet) [1.0* 2.0* 5.5* 11.0* 6.0 9.0 12.0 18.0 Mbit] CH: 6, PRIVACY'],
  [105, mgmt(1, [0x10, 0, 1, 0, 0x2a, 0xc0]), 'Assoc Response AID(2a) : PRIVACY : Unspecified failure'],
  [105, mgmt(3, [0, 0, 200, 0, 1, 0]), 'ReAssoc Response AID(1) :: n/a'],
  [105, mgmt(2, [0, 0, 10, 0, ...addr.D, ...elements([0, text('x')])]), 'ReAssoc Request (x) AP : 02:03:04:05:06:07'],
  [105, mgmt(9, []), 'ATIM'],
  [105, mgmt(6, [1, 2]), 'Unhandled Management subtype(6)'],
  [105, mgmt(11, [0, 0, 1, 0, 0, 0], { protectedFrame: true }), 'Authentication IV:10000 Pad 0 KeyID 0'],
  [105, mgmt(13, [7, 1]), 'Action (66:77:88:99:aa:bb): HT MIMOPwrSave'],
  [105, mgmt(13, [15, 0]), 'Action (66:77:88:99:aa:bb): SelfprotectAction Act#0'],
  [105, mgmt(13, [99, 4]), 'Action (66:77:88:99:aa:bb): Reserved(99) Act#4'],
  [105, mgmt(13, [3]), 'Action [|802.11]'],
  [105, mgmt(8, [0, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0x01, 0, 0, 40, ...new Array(40).fill(0x41)]), 'Beacon ESS [|802.11]'],
  [105, mgmt(8, [0, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0x01, 0, ...elements([0, text('ok')]), 5, 255, ...new Array(255).fill(0)]), 'Beacon (ok) ESS [|802.11]'],
  [105, mgmt(4, [...elements([1, []], [0, text('a\x00b')], [1, [0x0c]]), 0x30]), 'Probe Request (a) [6.0 Mbit] [|802.11]'],
  // Control frames.
  [105, ctrl(8, [0, 0, ...addr.A, ...addr.B, 4, 0, 0x10, 0]), 'BAR RA:00:11:22:33:44:55 TA:66:77:88:99:aa:bb CTL(4) SEQ(16) '],
  [105, ctrl(9, [0, 0, ...addr.A]), 'BA RA:00:11:22:33:44:55 '],
  [105, ctrl(10, [0x01, 0xc0, ...addr.A, ...addr.B]), 'Power Save-Poll AID(c001)'],
  [105, ctrl(12, [0, 0, ...addr.C]), 'Clear-To-Send RA:cc:dd:ee:ff:00:01 '],
  [105, ctrl(14, [0, 0, ...addr.A, ...addr.B]), 'CF-End RA:00:11:22:33:44:55 '],
  [105, ctrl(15, [0, 0, ...addr.A, ...addr.B]), 'CF-End+CF-Ack RA:00:11:22:33:44:55 '],
  [105, ctrl(7, [0, 0, ...addr.A, 0, 0, 0, 0, 0, 0]), 'Control Wrapper'],
  [105, ctrl(3, [0, 0]), 'unknown 802.11 ctrl frame subtype (3)'],
  [105, ctrl(13, [0, 0, 1, 2]), ' [|802.11]'],
  [105, Uint8Array.of(0x0c, 0), 'unknown 802.11 frame type (3)'],
  [105, Uint8Array.of(0x08), ' [|802.11]'],
  // Data frames: every DS combination, QoS, null, protected, LLC that is not SNAP.
  [105, data(0, 0, snap(0x0800, ip)), 'IP 10.0.0.1.40000 > 10.0.0.2.9999: UDP, length 4'],
  [105, data(0, 3, snap(0x0800, ip)), 'IP 10.0.0.1.40000 > 10.0.0.2.9999: UDP, length 4'],
  [105, data(8, 1, snap(0x0806, [0, 1, 8, 0, 6, 4, 0, 1, ...addr.A, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2])), 'ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28'],
  [105, data(4, 0), ''],
  [105, data(12, 1), ''],
  [105, data(0, 2, [1, 2, 3, 0x60, 0, 0, 0, 0], { protectedFrame: true }), 'Data IV:30201 Pad 20 KeyID 1'],
  [105, data(0, 1, [0x42, 0x42, 0x03, 0, 0, 0]), ' (invalid)'],
  [105, data(0, 2, [0x10, 0x20, 0x03, 1, 2, 3]), 'cc:dd:ee:ff:00:01 Unknown SSAP 0x20 > 00:11:22:33:44:55 Unknown DSAP 0x10 Unnumbered, ui, Flags [Command], length 6\n\t0x0000:  1020 0301 0203                           ......'],
  [105, data(0, 0, [0xaa, 0xaa, 0x03, 0, 0, 0x0c, 0x20, 0x99, 1, 2]), '66:77:88:99:aa:bb > 00:11:22:33:44:55 SNAP, oui Cisco (0x00000c), pid Unknown (0x2099), length 2: \n\t0x0000:  aaaa 0300 000c 2099 0102                 ..........'],
  [105, data(0, 0, [0xaa, 0xaa, 0x03, 0, 0, 0, 0x12, 0x34, 9, 9]), '66:77:88:99:aa:bb > 00:11:22:33:44:55 SNAP, ethertype Unknown (0x1234), length 2: \n\t0x0000:  aaaa 0300 0000 1234 0909                 .......4..'],
  // Prism and AVS headers.
  [119, concat(new Uint8Array(144), mgmt(12, [1, 0])), 'DeAuthentication (66:77:88:99:aa:bb): Unspecified reason'],
  [119, concat(Uint8Array.of(0x80, 0x21, 0x10, 0x01, 0, 0, 0, 64), new Uint8Array(56), data(0, 1, snap(0x0800, ip))), 'IP 10.0.0.1.40000 > 10.0.0.2.9999: UDP, length 4'],
  [119, new Uint8Array(100), ' [|prism]'],
  [163, concat(Uint8Array.of(0x80, 0x21, 0x10, 0x01, 0, 0, 0, 8), ctrl(13, [0, 0, ...addr.B])), 'Acknowledgment RA:66:77:88:99:aa:bb '],
  [163, Uint8Array.of(0x80, 0x21, 0x10, 0x01, 0, 0, 1, 0, 0, 0), ' [|802.11_radio_avs]'],
  // PPI in front of other link types.
  [192, ppi(105, data(0, 1, snap(0x0800, ip)), 20), 'IP 10.0.0.1.40000 > 10.0.0.2.9999: UDP, length 4'],
  [192, ppi(127, concat(rt, mgmt(8, beaconBody))), '1234567us tsft short preamble 54.0 Mb/s 5180 MHz 11a -40dBm signal antenna 1 Beacon (cafM-i^Anet) [1.0* 2.0* 5.5* 11.0* 6.0 9.0 12.0 18.0 Mbit] ESS CH: 6, PRIVACY'],
  [192, ppi(1, concat(Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0), ip)), 'IP 10.0.0.1.40000 > 10.0.0.2.9999: UDP, length 4'],
  [192, ppi(192, ppi(105, ctrl(13, [0, 0, ...addr.B]))), 'Acknowledgment RA:66:77:88:99:aa:bb '],
  [192, ppi(147, Uint8Array.of(1, 2, 3)), 'V.0 DLT UNKNOWN (147) len 8, length 11: \n\t0x0000:  0102 03                                  ...'],
  [192, ppi(105, Uint8Array.of(), 200).slice(0, 100), ' [|ppi]'],
  [192, Uint8Array.of(0, 0, 4, 0, 105, 0, 0, 0, 1, 2), ' [length 4 < 8 or > 65532] (invalid)'],
  [192, Uint8Array.of(0, 0, 8), ' [|ppi]'],
];
