/**
 * IPv4 fragmentation of an outer datagram (RFC 791 3.2), for the one case the tunnel sends
 * without DF above a path MTU: a path too narrow to leave IPv6 its 1280 bytes (RFC 4213 3.2). A
 * raw socket that writes its own headers cannot leave that to the kernel: it refuses anything
 * above the device's MTU. Used on a datagram whose 20-byte header writeOuterHeader wrote.
 */
import { internetChecksum } from '../../wire/checksum.js';

const HEADER = 20;

/**
 * The fragments of the datagram at `b[off..off+len)`, each at most `mtu` bytes, with the
 * datagram's identification; or the datagram alone when it fits.
 */
export function fragmentDatagram(b: Uint8Array, off: number, len: number, mtu: number): Uint8Array[] {
  if (len <= mtu) return [b.slice(off, off + len)];
  const step = Math.floor((mtu - HEADER) / 8) * 8;
  if (step < 8) throw new RangeError(`an MTU of ${mtu} leaves no room for a fragment`);
  const out: Uint8Array[] = [];
  const payload = len - HEADER;
  for (let at = 0; at < payload; at += step) {
    const n = Math.min(step, payload - at);
    const f = new Uint8Array(HEADER + n);
    f.set(b.subarray(off, off + HEADER));
    f.set(b.subarray(off + HEADER + at, off + HEADER + at + n), HEADER);
    const total = HEADER + n;
    f[2] = total >>> 8;
    f[3] = total & 0xff;
    const units = at / 8;
    const more = at + n < payload ? 0x2000 : 0;
    const frag = more | units; // DF clear
    f[6] = frag >>> 8;
    f[7] = frag & 0xff;
    f[10] = 0;
    f[11] = 0;
    const c = internetChecksum(f, 0, HEADER);
    f[10] = c >>> 8;
    f[11] = c & 0xff;
    out.push(f);
  }
  return out;
}
