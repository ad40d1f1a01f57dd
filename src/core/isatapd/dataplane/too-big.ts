/**
 * ICMPv6 Packet Too Big (RFC 4443 3.2) for a packet the tunnel cannot carry, as the kernel's sit
 * sends one: from the tunnel to the packet's source, with as much of the packet as fits in 1280
 * bytes, so the sender's stack lowers its path MTU and TCP its segment size.
 */
import * as icmpv6 from '../../wire/icmpv6.js';
import { Ipv6Address } from '../../wire/ipv6-address.js';

const HEADER = 40;
const ICMP_HEADER = 8;
const MIN_MTU = 1280;
const NH_ICMPV6 = 58;
const TYPE_PACKET_TOO_BIG = 2;

/**
 * The whole IPv6 packet (header and ICMPv6) telling the source of `b[off..off+len)` that `mtu` is
 * the most the tunnel carries; null when no error may be sent: the packet is cut short, its
 * source is unspecified or multicast, or it is itself an ICMPv6 error (RFC 4443 2.4 (e)).
 */
export function packetTooBig(b: Uint8Array, off: number, len: number, mtu: number, from: Ipv6Address): Uint8Array | null {
  if (len < HEADER || b[off] >>> 4 !== 6) return null;
  const to = Ipv6Address.read(b, off + 8);
  if (to.isUnspecified || to.isMulticast) return null;
  if (b[off + 6] === NH_ICMPV6 && len > HEADER && b[off + HEADER] < 128) return null;
  const quoted = Math.min(len, MIN_MTU - HEADER - ICMP_HEADER);
  const out = new Uint8Array(HEADER + ICMP_HEADER + quoted);
  const payloadLength = ICMP_HEADER + quoted;
  out[0] = 0x60;
  out[4] = payloadLength >>> 8;
  out[5] = payloadLength & 0xff;
  out[6] = NH_ICMPV6;
  out[7] = 64;
  from.write(out, 8);
  to.write(out, 24);
  const m = out.subarray(HEADER);
  m[0] = TYPE_PACKET_TOO_BIG;
  m[4] = mtu >>> 24;
  m[5] = (mtu >>> 16) & 0xff;
  m[6] = (mtu >>> 8) & 0xff;
  m[7] = mtu & 0xff;
  m.set(b.subarray(off, off + quoted), ICMP_HEADER);
  const c = icmpv6.checksum(m, from, to);
  m[2] = c >>> 8;
  m[3] = c & 0xff;
  return out;
}
