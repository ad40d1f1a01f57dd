/** Which kind of message a captured frame or underlay packet is, for the chart's colours and filter. */
import { decode, type Packet } from '../core/wire/packet.js';
import { DecodeError } from '../core/wire/errors.js';
import { KINDS, LINK_IPV4, type KindKey } from './data.js';

const INDEX = new Map<KindKey, number>(KINDS.map((k, i) => [k.key, i]));

function kindOf(p: Packet, tunnelled: boolean): KindKey {
  if (p.arp) {
    const a = p.arp;
    if (a.form !== 'ethernet-ipv4') return 'other';
    // An announcement (gratuitous ARP) or a DAD probe: the sender asks for, or from, no one else.
    if (a.senderIp.isUnspecified || a.senderIp.equals(a.targetIp)) return 'arp-announce';
    if (a.op === 1) return 'arp-request';
    if (a.op === 2) return 'arp-reply';
    return 'other';
  }
  const m = p.icmpv6;
  if (m) {
    switch (m.kind) {
      case 'router-solicit':
        return tunnelled ? 'isatap-rs' : 'rs';
      case 'router-advert':
        return tunnelled ? 'isatap-ra' : 'ra';
      case 'neighbor-solicit':
        return p.ipv6?.src.isUnspecified ? 'dad' : 'ns';
      case 'neighbor-advert':
        return 'na';
      case 'redirect':
        return 'redirect';
      case 'echo-request':
      case 'echo-reply':
        return tunnelled ? 'isatap-data' : 'echo';
      default:
        return tunnelled ? 'isatap-data' : 'ipv6';
    }
  }
  if (p.ipv6) return tunnelled ? 'isatap-data' : 'ipv6';
  if (p.ipv4) return 'ipv4';
  return 'other';
}

/** The KINDS index of `bytes` (Ethernet, or IPv4 for the underlay). */
export function classify(bytes: Uint8Array, link: number): number {
  const ipv4Link = link === LINK_IPV4;
  try {
    const p = decode(bytes, ipv4Link ? 'ipv4' : 'ethernet');
    return INDEX.get(kindOf(p, p.ipv4 !== undefined && p.ipv6 !== undefined))!;
  } catch (err) {
    if (err instanceof DecodeError) return INDEX.get('malformed')!;
    throw err;
  }
}
