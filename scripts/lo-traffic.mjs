// Generates loopback traffic: a TCP transfer (v4 and v6), UDP datagrams, a refused connection.
import * as net from 'node:net';
import * as dgram from 'node:dgram';
const what = process.argv[2];
const sleep = (ms) => new Promise(r => setTimeout(r, ms));
if (what === 'tcp' || what === 'tcp6') {
  const host = what === 'tcp' ? '127.0.0.1' : '::1';
  const srv = net.createServer((s) => { s.on('data', (d) => s.write(d.subarray(0, 64))); s.on('end', () => s.end()); });
  await new Promise(r => srv.listen(0, host, r));
  const port = srv.address().port;
  const c = net.connect(port, host);
  c.resume();
  await new Promise(r => c.on('connect', r));
  for (let i = 0; i < 6; i++) { c.write(Buffer.alloc(500 + i * 1200, 0x41 + i)); await sleep(30); }
  c.end();
  await new Promise(r => c.on('close', r));
  srv.close();
} else if (what === 'udp') {
  const s4 = dgram.createSocket('udp4');
  const r4 = dgram.createSocket('udp4'); await new Promise(r => r4.bind(0, '127.0.0.1', r));
  for (let i = 0; i < 5; i++) { s4.send(Buffer.alloc(20 + i), r4.address().port, '127.0.0.1'); await sleep(10); }
  // A datagram to a closed port: the kernel answers with ICMP port unreachable.
  s4.send(Buffer.from('probe'), 9, '127.0.0.1');
  const s6 = dgram.createSocket('udp6');
  s6.send(Buffer.from('hello6'), 9, '::1');
  await sleep(100);
  s4.close(); r4.close(); s6.close();
} else if (what === 'refused') {
  const c = net.connect(1, '127.0.0.1'); c.on('error', () => {});
  const c6 = net.connect(1, '::1'); c6.on('error', () => {});
  await sleep(100);
}
