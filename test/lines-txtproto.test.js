// Text protocols (HTTP, SMTP, FTP, RTSP, WHOIS, SIP) and telnet: the cases where
// tcpdump's txtproto and telnet printers are subtle. Each expected tail was checked against tcpdump 4.99.3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PacketLinePrinter } from '../dist/index.js';
import { ethernet, ipv4, latin1, packetRecord as record, tcp, udp } from './helpers/packets.js';

/** One segment from port 40000 (or `sport`) to `port` carrying `text`, cut to `cut` payload bytes when given. */
function segment(port, text, { sport = 40000, flags = 0x18, cut, proto = 'tcp' } = {}) {
  const payload = latin1(text);
  const bytes = ethernet({ type: 0x0800, payload: ipv4({ id: 1, proto: proto === 'tcp' ? 6 : 17, payload: proto === 'tcp'
    ? tcp({ sport, dport: port, seq: 1, ack: 1, flags, payload })
    : udp({ sport, dport: port, payload }) }) });
  const caplen = cut === undefined ? bytes.length : 14 + 20 + (proto === 'tcp' ? 20 : 8) + cut;
  return record(bytes.slice(0, caplen), { origLen: bytes.length });
}

/** What follows "length N" on a TCP line (or the addresses on a UDP line). */
function tail(pkt, verbose = 0) {
  const line = new PacketLinePrinter({ timestampMode: 1, verbose }).format(pkt).slice(0, -1);
  const rest = verbose ? line.slice(line.indexOf('\n    ') + 5) : line;
  const m = (rest.includes('Flags [') ? /, length \d+(.*)$/s : /\.\d+ > [\d.]+: (.*)$/s).exec(rest);
  return m ? m[1] : line;
}

test('HTTP: request and status lines are shown, anything else only as the name', () => {
  const cases = [
    ['GET / HTTP/1.1\r\nHost: a\r\n\r\n', ': HTTP: GET / HTTP/1.1'],
    ['get /x HTTP/1.0\r\n', ': HTTP: get /x HTTP/1.0'], // request names match in any case
    ['HTTP/1.1 200 OK\r\n', ': HTTP: HTTP/1.1 200 OK'],
    ['HTTP/1.1  200\r\n', ': HTTP: HTTP/1.1  200'],
    ['x 222\r\n', ': HTTP: x 222'], // any first word, when the second is three digits
    ['hello world\r\n', ': HTTP'],
    [' GET / HTTP/1.1\r\n', ': HTTP'], // a leading blank is no word
    ['HTTP/1.1 2000 X\r\n', ': HTTP'],
    ['HTTP/1.1 20 X\r\n', ': HTTP'],
    ['HTTP/1.1\t200 OK\r\n', ': HTTP'], // only spaces separate the words it looks at
    ['GET\t/ HTTP/1.1\r\n', ': HTTP: GET\t/ HTTP/1.1'], // ...but the tab is text once shown
    ['A'.repeat(128) + ' 200 x\r\n', ': HTTP: ' + 'A'.repeat(128) + ' 200 x'],
    ['A'.repeat(129) + ' 200 x\r\n', ': HTTP'], // a first word over 128 bytes is no word
    ['GET\xe9 / HTTP/1.1\r\n', ': HTTP'],
  ];
  for (const [text, want] of cases) assert.equal(tail(segment(80, text)), want, JSON.stringify(text));
  assert.equal(tail(segment(8080, 'CONNECT a:443 HTTP/1.1\r\n\r\n')), ': HTTP: CONNECT a:443 HTTP/1.1');
});

test('line ends: LF or CR LF; a lone CR or a control byte hides the line; no end is a cut', () => {
  const cases = [
    ['GET / HTTP/1.1\nHost: x\n', ': HTTP: GET / HTTP/1.1'],
    ['GET /partial', ': HTTP: GET /partial [|http]'],
    ['GET /\r', ': HTTP'], // the LF would be in the next segment
    ['GET /\rX\n', ': HTTP'],
    ['GET /\x1b[2J HTTP/1.1\r\n', ': HTTP'],
    ['GET / HTTP/1.1\xe9\r\n', ': HTTP'],
  ];
  for (const [text, want] of cases) assert.equal(tail(segment(80, text)), want, JSON.stringify(text));
});

test('a capture cut inside the first line gives only the truncation mark', () => {
  const text = 'GET / HTTP/1.1\r\nHost: caplen-cut\r\n\r\n';
  assert.equal(tail(segment(80, text, { cut: 20 })), ': HTTP: GET / HTTP/1.1');
  assert.equal(tail(segment(80, text, { cut: 16 })), ': HTTP: GET / HTTP/1.1');
  assert.equal(tail(segment(80, text, { cut: 15 })), ': HTTP [|http]'); // the LF after the CR is missing
  assert.equal(tail(segment(80, text, { cut: 3 })), ': HTTP'); // the first word runs into the cut
});

test('-v: ", length: N" and every text line on its own output line, up to the first that is not text', () => {
  assert.equal(tail(segment(80, 'HTTP/1.1 200 OK\r\nServer: x\r\n\r\n<html>\r\nbody\r\n\x00\x01'), 1),
    ': HTTP, length: 46\n\tHTTP/1.1 200 OK\n\tServer: x\n\t\n\t<html>\n\tbody');
  assert.equal(tail(segment(80, 'GET / HTTP/1.1\r\nHost: \x1b]52;c;x\x07\r\nMore: x\r\n'), 1),
    ': HTTP, length: 42\n\tGET / HTTP/1.1');
  assert.equal(tail(segment(80, 'GET / HTTP/1.1\r\nHost: a\tb\r\nMore: x'), 1),
    ': HTTP, length: 34\n\tGET / HTTP/1.1\n\tHost: a\tb\n\tMore: x [|http]');
  assert.equal(tail(segment(80, 'hello\r\n'), 1), ': HTTP');
  // -v shows a RST's data instead of the application.
  assert.equal(tail(segment(80, 'GET / HTTP/1.1\r\n', { flags: 0x14 }), 1), ' [RST GET / HTTP/1.1^M^J]');
});

test('SMTP, FTP and WHOIS take every payload as text', () => {
  assert.equal(tail(segment(25, '220 smtp.example ESMTP\r\n250-x\r\n')), ': SMTP: 220 smtp.example ESMTP');
  assert.equal(tail(segment(25, '\x16\x03\x01\x00')), ': SMTP');
  assert.equal(tail(segment(25, 'EHLO x')), ': SMTP: EHLO x [|smtp]');
  assert.equal(tail(segment(21, '220 (vsFTPd 3.0.3)\r\n')), ': FTP: 220 (vsFTPd 3.0.3)');
  assert.equal(tail(segment(43, 'example.com\r\n')), ': WHOIS: example.com');
  assert.equal(tail(segment(554, 'OPTIONS rtsp://x RTSP/1.0\r\nCSeq: 1\r\n\r\n')), ': RTSP: OPTIONS rtsp://x RTSP/1.0');
});

test('the port tcpdump tries first picks the printer', () => {
  assert.equal(tail(segment(80, 'GET / HTTP/1.1\r\n', { sport: 25 })), ': SMTP: GET / HTTP/1.1');
  assert.equal(tail(segment(80, 'GET / HTTP/1.1\r\n', { sport: 21 })), ': FTP: GET / HTTP/1.1');
  assert.equal(tail(segment(80, 'GET / HTTP/1.1\r\n', { sport: 22 })), ''); // SSH, not dissected here
});

test('SIP on UDP: the name follows the addresses, no "UDP, length"', () => {
  assert.equal(tail(segment(5060, 'INVITE sip:a@b SIP/2.0\r\nVia: x\r\n\r\n', { proto: 'udp' })), 'SIP: INVITE sip:a@b SIP/2.0');
  assert.equal(tail(segment(5060, 'SIP/2.0 180 Ringing\r\n\r\n', { proto: 'udp' }), 1), 'SIP, length: 23\n\tSIP/2.0 180 Ringing\n\t');
  assert.equal(tail(segment(5060, '\r\n\r\n', { proto: 'udp' })), 'SIP');
  assert.equal(tail(segment(5060, 'INVITE sip:a@b SIP/2.0\r\n', { proto: 'udp', cut: 10 })), 'SIP [|sip]');
  assert.equal(tail(segment(5060, 'SIP/2.0 200 OK\r\n', { proto: 'udp', sport: 514 })), 'SIP: SIP/2.0 200 OK');
});

test('telnet: the IAC commands a segment starts with; data first prints nothing', () => {
  const t = (bytes, o) => tail(segment(23, Buffer.from(bytes).toString('latin1'), o));
  assert.equal(t([255, 253, 3, 255, 251, 24]), ' [telnet DO SUPPRESS GO AHEAD, WILL TERMINAL TYPE]');
  assert.equal(t([255, 255, 65]), ' [telnet IAC IAC]');
  assert.equal(t([255, 250, 24, 0, 65, 66, 67, 255, 240, 255, 253, 1]), ' [telnet SB TERMINAL TYPE IS 0x41 0x42 0x43 SE, DO ECHO]');
  assert.equal(t([255, 250, 37, 2, 5, 9, 0, 255, 240]), ' [telnet SB AUTHENTICATION REPLY SRP 0x9 0 SE]'); // %#x of 0 is "0"
  assert.equal(t([255, 250, 38, 1, 5, 255, 240]), ' [telnet SB ENCRYPT SUPPORT 0x5 SE]'); // a gap in the type names
  assert.equal(t([255, 251, 200]), ' [telnet WILL 0xc8]');
  assert.equal(t([255, 250, 31, 0, 80, 0, 24]), ''); // no IAC SE: not a command
  // An IAC as the last byte ends the sub-negotiation; its SE would be past the payload, whose
  // length then wraps (tcpdump's unsigned arithmetic) and the walk reads on to the capture's end.
  assert.equal(t([255, 250, 31, 0, 80, 255]), ' [telnet SB NAWS IS 0x50 SE [|telnet]');
  assert.equal(t([65, 255, 253, 1]), '');
  assert.equal(t([255, 253, 3, 255, 251, 24], { cut: 5 }), ' [telnet DO SUPPRESS GO AHEAD [|telnet]');
});

test('SSH: only a whole version line in printable ASCII is shown; a cut one ends in [|ssh]', () => {
  const cases = [
    ['SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.3\r\n', ': SSH: SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.3'],
    ['SSH-1.99-OpenSSH_3.1p1\n', ': SSH: SSH-1.99-OpenSSH_3.1p1'], // LF alone ends the line too
    ['SSH-2.0-x\r', ''], // CR at the end of the segment: the line may go on in the next one
    ['SSH-2.0-x\rY\n', ''], // CR followed by anything else is binary
    ['SSH-2.0-\x1b[2J\r\n', ''], // a control byte: not a version line, nothing printed
    ['SSH-2.0-\xe9\r\n', ''],
    ['ssh-2.0-x\r\n', ''], // the prefix is case-sensitive
    ['\x00\x00\x01\x0c\x0a\x14', ''], // the encrypted stream
  ];
  for (const [text, want] of cases) assert.equal(tail(segment(22, text)), want, JSON.stringify(text));
  assert.equal(tail(segment(22, 'SSH-2.0-OpenSSH\r\n', { cut: 10 })), ' [|ssh]');
  assert.equal(tail(segment(22, 'SSH-2.0-OpenSSH\r\n', { cut: 2 })), ' [|ssh]');
  assert.equal(tail(segment(22, 'XY', { cut: 1 })), '', 'the first byte already says it is no version line');
});
