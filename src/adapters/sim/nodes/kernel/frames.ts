/**
 * Building what the kernel model puts on the wire, always through the wire codecs: IPv6 packets
 * carrying ICMPv6, Ethernet frames around them, and the multicast MAC of an IPv6 group.
 */
import * as ethernet from '../../../../core/wire/ethernet.js';
import * as ipv6 from '../../../../core/wire/ipv6.js';
import * as icmpv6 from '../../../../core/wire/icmpv6.js';
import { MacAddress } from '../../../../core/wire/mac-address.js';
import type { Ipv6Address } from '../../../../core/wire/ipv6-address.js';

const TWO32 = 0x1_0000_0000;

/** 33:33 followed by the group's low 32 bits (RFC 2464 7). */
export function ipv6MulticastMac(group: Ipv6Address): MacAddress {
  return new MacAddress(0x3333 * TWO32 + group.w3);
}

/** An IPv6 packet carrying `message`, its ICMPv6 checksum computed over the pseudo-header. */
export function icmpv6Packet(src: Ipv6Address, dst: Ipv6Address, hopLimit: number, message: icmpv6.Icmpv6Input): Uint8Array {
  const body = icmpv6.encode(message, { src, dst });
  return ipv6.encode({ hopLimit, src, dst, protocol: ipv6.NH_ICMPV6, payload: body });
}

/**
 * An IPv6 packet carrying an already encoded ICMPv6 message (from a core). The message is
 * re-encoded as a generic ICMPv6 message, which leaves the caller's bytes untouched and fills in
 * the checksum.
 */
export function icmpv6PacketFromBytes(src: Ipv6Address, dst: Ipv6Address, hopLimit: number, message: Uint8Array): Uint8Array {
  if (message.length < 4) throw new RangeError(`an ICMPv6 message has at least 4 bytes, got ${message.length}`);
  const body = icmpv6.encode({ kind: 'icmpv6', type: message[0], code: message[1], body: message.subarray(4) }, { src, dst });
  return ipv6.encode({ hopLimit, src, dst, protocol: ipv6.NH_ICMPV6, payload: body });
}

export function ethernetFrame(dst: MacAddress, src: MacAddress, etherType: number, payload: Uint8Array): Uint8Array {
  return ethernet.encode({ dst, src, etherType, payload });
}
