/**
 * IPv4 fragmentation of an outer datagram (RFC 791 3.2), for the one case the tunnel sends
 * without DF above a path MTU: a path too narrow to leave IPv6 its 1280 bytes (RFC 4213 3.2). A
 * raw socket that writes its own headers cannot leave that to the kernel: it refuses anything
 * above the device's MTU.
 */
import * as ipv4 from '../../wire/ipv4.js';

/**
 * The fragments of the option-less datagram at `b[off..off+len)`, each at most `mtu` bytes, with
 * the datagram's identification and DF clear; or the datagram alone when it fits.
 */
export function fragmentDatagram(b: Uint8Array, off: number, len: number, mtu: number): Uint8Array[] {
  if (len <= mtu) return [b.slice(off, off + len)];
  const d = ipv4.decode(b.subarray(off, off + len));
  const step = Math.floor((mtu - ipv4.MIN_HEADER_LENGTH) / 8) * 8;
  if (step < 8) throw new RangeError(`an MTU of ${mtu} leaves no room for a fragment`);
  const out: Uint8Array[] = [];
  for (let at = 0; at < d.payload.length; at += step) {
    const payload = d.payload.subarray(at, at + step);
    const moreFragments = at + payload.length < d.payload.length;
    out.push(ipv4.encode({ src: d.src, dst: d.dst, ttl: d.ttl, protocol: d.protocol, identification: d.identification, moreFragments, fragmentOffset: at / 8, payload }));
  }
  return out;
}
