/**
 * ICMPv6 Packet Too Big (RFC 4443 3.2) for a packet the tunnel cannot carry, as the kernel's sit
 * sends one: from the tunnel to the packet's source, with as much of the packet as fits in 1280
 * bytes, so the sender's stack lowers its path MTU and TCP its segment size.
 */
import * as icmpv6 from '../../wire/icmpv6.js';
import * as ipv6 from '../../wire/ipv6.js';
import { Ipv6Address } from '../../wire/ipv6-address.js';
import { ICMPV6_TYPE, isErrorType } from '../../wire/icmpv6-types.js';

const ICMP_HEADER = 8;
const MIN_MTU = 1280;

/**
 * The whole IPv6 packet (header and ICMPv6) telling the source of `b[off..off+len)` that `mtu` is
 * the most the tunnel carries; null when no error may be sent: the packet is cut short, its
 * source is unspecified or multicast, or it is itself an ICMPv6 error (RFC 4443 2.4 (e)).
 */
export function packetTooBig(b: Uint8Array, off: number, len: number, mtu: number, from: Ipv6Address): Uint8Array | null {
  const H = ipv6.HEADER_LENGTH;
  if (len < H || b[off] >>> 4 !== 6) return null;
  const to = Ipv6Address.read(b, off + 8);
  if (to.isUnspecified || to.isMulticast) return null;
  if (b[off + 6] === ipv6.NH_ICMPV6 && len > H && isErrorType(b[off + H])) return null;
  const quoted = Math.min(len, MIN_MTU - H - ICMP_HEADER);
  const m = new Uint8Array(ICMP_HEADER + quoted);
  m[0] = ICMPV6_TYPE['packet-too-big'];
  new DataView(m.buffer).setUint32(4, mtu);
  m.set(b.subarray(off, off + quoted), ICMP_HEADER);
  const c = icmpv6.checksum(m, from, to);
  m[2] = c >>> 8;
  m[3] = c & 0xff;
  return ipv6.encode({ hopLimit: 64, src: from, dst: to, protocol: ipv6.NH_ICMPV6, payload: m });
}
