// A generator of gratuitous ARP requests on one interface, for arpd's tests and its flood
// benchmark (run it inside the peer namespace). Sender i (0-based) has address FIRST + i mod SPAN
// and MAC 02:00:XX:XX:XX:XX with the address's bits, so whoever records them can be checked.
// Frames are built once and patched in place; pacing is by batches against the monotonic clock.
//
//   arp-flood.ts IFNAME COUNT RATE [FIRST [SPAN]]
//     COUNT  frames to send (0: until SIGTERM)
//     RATE   frames per second (0: as fast as the socket takes them)
//     FIRST  first sender address (default 198.18.0.1), SPAN addresses (default 131070)
// Prints one JSON line at the end: {sent, dropped, seconds, pps}.
import { native } from '../../../src/adapters/linux/addon.js';
import { openFrameSocket } from '../../../src/adapters/linux/frame-port.js';

const [ifname, countText = '0', rateText = '0', firstText = '198.18.0.1', spanText = '131070'] = process.argv.slice(2);
const count = Number(countText);
const rate = Number(rateText);
const first = firstText.split('.').reduce((v, p) => v * 256 + Number(p), 0);
const span = Number(spanText);

const addon = native();
const ifindex = addon.ifNameToIndex(ifname);
if (ifindex === 0) {
  process.stderr.write(`arp-flood: no interface ${ifname}\n`);
  process.exit(1);
}
const fd = openFrameSocket(ifindex);
// A large send buffer, so pacing bursts do not meet ENOBUFS.
addon.setsockopt(fd, 1 /* SOL_SOCKET */, 32 /* SO_SNDBUFFORCE */, 8 << 20);

const BATCH = 256;
const frames = Array.from({ length: BATCH }, () => {
  const f = new Uint8Array(60); // padded to Ethernet's minimum
  f.fill(0xff, 0, 6); // broadcast
  f.set([0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01], 12); // ARP, Ethernet/IPv4, request
  return f;
});

function fill(f: Uint8Array, i: number): void {
  const ip = (first + (i % span)) >>> 0;
  const b = [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255];
  const mac = [0x02, 0x00, ...b];
  f.set(mac, 6); // Ethernet source
  f.set(mac, 22); // sender MAC
  f.set(b, 28); // sender IP
  f.set(b, 38); // target IP: the same, a gratuitous ARP
}

let sent = 0;
let dropped = 0;
let stop = false;
const start = process.hrtime.bigint();
const elapsed = (): number => Number(process.hrtime.bigint() - start) / 1e9;

function done(): void {
  const seconds = elapsed();
  process.stdout.write(JSON.stringify({ sent, dropped, seconds, pps: Math.round(sent / seconds) }) + '\n');
  process.exit(0);
}
process.on('SIGTERM', () => (stop = true));
process.on('SIGINT', () => (stop = true));

function burst(): void {
  if (stop || (count > 0 && sent >= count)) return done();
  const due = rate > 0 ? Math.floor(elapsed() * rate) - sent : Infinity;
  let n = Math.min(BATCH, due, count > 0 ? count - sent : Infinity);
  for (let k = 0; k < n; k++) {
    const f = frames[k];
    fill(f, sent);
    if (addon.sendmsg(fd, f, null, null) === null) {
      dropped++; // the queue is full: try this frame again next round
      n = k;
      break;
    }
    sent++;
  }
  if (n === 0 && rate > 0) setTimeout(burst, 1);
  else setImmediate(burst);
}
burst();
