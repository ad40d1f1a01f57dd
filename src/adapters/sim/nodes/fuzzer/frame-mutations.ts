/**
 * Broken frames for an Ethernet segment: the ND mutants in an IPv6 frame to the all-nodes group,
 * broken ARP, and broken IPv4 headers. Every frame is built with the codecs, then broken.
 */
import * as arp from '../../../../core/wire/arp.js';
import * as ethernet from '../../../../core/wire/ethernet.js';
import * as ipv4 from '../../../../core/wire/ipv4.js';
import { Ipv4Address } from '../../../../core/wire/ipv4-address.js';
import { MacAddress } from '../../../../core/wire/mac-address.js';
import { ipv6MulticastMac } from '../kernel/frames.js';
import type { Gen } from './gen.js';
import { ND_MUTATIONS, ipv6Around } from './nd-mutations.js';

const ALL_NODES_MAC = new MacAddress(0x3333_0000_0001);

/** A documentation address on the segment's usual subnet, for ARP targets. */
function docAddress(g: Gen): Ipv4Address {
  return new Ipv4Address(0xc000_0200 + g.int(1, 254));
}

function frame(g: Gen, dst: MacAddress, etherType: number, payload: Uint8Array): Uint8Array {
  return ethernet.encode({ dst, src: g.mac, etherType, payload });
}

function arpFields(g: Gen): arp.EthernetIpv4Arp {
  return {
    form: 'ethernet-ipv4',
    hardwareType: arp.HTYPE_ETHERNET,
    op: arp.OP_REQUEST,
    senderMac: g.mac,
    senderIp: g.ipv4,
    targetMac: MacAddress.ZERO,
    targetIp: docAddress(g),
  };
}

function arpRequest(g: Gen): Uint8Array {
  return arp.encode(arpFields(g));
}

function ipv4Header(g: Gen, tweak: Partial<{ ihl: number; totalLength: number; checksum: number; version: number }>): Uint8Array {
  return ipv4.encode({ src: g.ipv4, dst: docAddress(g), ttl: 64, protocol: 253, payload: g.bytes(g.int(0, 32)), ...tweak });
}

const FRAME_ONLY: Record<string, (g: Gen) => Uint8Array> = {
  'arp-truncated': (g) => frame(g, MacAddress.BROADCAST, ethernet.ETHERTYPE_ARP, arpRequest(g).slice(0, g.int(0, 27))),
  'arp-bad-lengths': (g) =>
    frame(
      g,
      MacAddress.BROADCAST,
      ethernet.ETHERTYPE_ARP,
      arp.encode({
        form: 'generic',
        hardwareType: arp.HTYPE_ETHERNET,
        protocolType: ethernet.ETHERTYPE_IPV4,
        op: arp.OP_REQUEST,
        senderHardware: g.bytes(8),
        senderProtocol: g.bytes(16),
        targetHardware: g.bytes(8),
        targetProtocol: g.bytes(16),
      }),
    ),
  'arp-op': (g) => {
    return frame(g, MacAddress.BROADCAST, ethernet.ETHERTYPE_ARP, arp.encode({ ...arpFields(g), op: g.int(3, 0xffff) }));
  },
  'arp-hardware-type': (g) => {
    return frame(g, MacAddress.BROADCAST, ethernet.ETHERTYPE_ARP, arp.encode({ ...arpFields(g), hardwareType: g.int(2, 0xffff) }));
  },
  'arp-multicast-sender': (g) => {
    return frame(g, MacAddress.BROADCAST, ethernet.ETHERTYPE_ARP, arp.encode({ ...arpFields(g), senderIp: new Ipv4Address(0xe000_0000 + g.int(1, 0xffff)) }));
  },
  'ipv4-bad-checksum': (g) => {
    const good = ipv4Header(g, {});
    const sum = ((good[10] << 8) | good[11]) ^ g.int(1, 0xffff);
    return frame(g, MacAddress.BROADCAST, ethernet.ETHERTYPE_IPV4, ipv4Header(g, { checksum: sum }));
  },
  'ipv4-bad-ihl': (g) => frame(g, MacAddress.BROADCAST, ethernet.ETHERTYPE_IPV4, ipv4Header(g, { ihl: g.int(0, 4) })),
  'ipv4-total-length': (g) => frame(g, MacAddress.BROADCAST, ethernet.ETHERTYPE_IPV4, ipv4Header(g, { totalLength: g.pick([0, 19, 0xffff]) })),
  'ipv6-truncated-header': (g) => frame(g, ALL_NODES_MAC, ethernet.ETHERTYPE_IPV6, Uint8Array.from([0x60, ...g.bytes(g.int(0, 38))])),
  // An 802.1Q tag cut short: the Ethernet decoder's own check.
  'vlan-truncated': (g) => frame(g, ALL_NODES_MAC, ethernet.ETHERTYPE_VLAN, g.bytes(g.int(0, 1))),
};

/** Every Ethernet mutation, by name. */
export const ETHERNET_MUTATIONS: Record<string, (g: Gen) => Uint8Array> = {
  ...Object.fromEntries(
    Object.entries(ND_MUTATIONS).map(([name, make]) => [
      name,
      (g: Gen): Uint8Array => {
        const m = make(g);
        return frame(g, ipv6MulticastMac(m.dst), ethernet.ETHERTYPE_IPV6, ipv6Around(m));
      },
    ]),
  ),
  ...FRAME_ONLY,
};
