/**
 * One line per frame for the trace (`frame.tx` / `frame.rx` summaries), in the spirit of tcpdump:
 * addresses, then what the message is. Only called when frames are traced.
 */
import { decode, type LinkKind, type Packet } from '../../core/wire/packet.js';
import { DecodeError } from '../../core/wire/errors.js';
import type { Icmpv6Message } from '../../core/wire/icmpv6.js';

function icmpv6Text(m: Icmpv6Message): string {
  switch (m.kind) {
    case 'router-solicit':
      return 'router solicitation';
    case 'router-advert': {
      const prefixes = m.options.flatMap((o) => (o.kind === 'prefix-info' ? [`${o.prefix}/${o.prefixLength}`] : []));
      return `router advertisement lifetime ${m.routerLifetime}s${prefixes.length ? ' prefix ' + prefixes.join(' ') : ''}`;
    }
    case 'neighbor-solicit':
      return `neighbor solicitation who has ${m.target}`;
    case 'neighbor-advert':
      return `neighbor advertisement ${m.target}${m.router ? ' router' : ''}${m.solicited ? ' solicited' : ''}${m.override ? ' override' : ''}`;
    case 'redirect':
      return `redirect ${m.destination} to ${m.target}`;
    case 'echo-request':
    case 'echo-reply':
      return `echo ${m.kind === 'echo-request' ? 'request' : 'reply'} id ${m.identifier} seq ${m.sequence}`;
    case 'icmpv6':
      return `icmpv6 type ${m.type} code ${m.code}`;
  }
}

function packetText(p: Packet): string {
  const parts: string[] = [];
  if (p.arp) {
    const a = p.arp;
    if (a.form === 'ethernet-ipv4') {
      if (a.op === 1) parts.push(`arp who has ${a.targetIp} tell ${a.senderIp}`);
      else if (a.op === 2) parts.push(`arp reply ${a.senderIp} is at ${a.senderMac}`);
      else parts.push(`arp op ${a.op} ${a.senderIp} > ${a.targetIp}`);
    } else {
      parts.push(`arp op ${a.op} hardware ${a.hardwareType}`);
    }
  }
  if (p.ipv4) parts.push(`ipv4 ${p.ipv4.src} > ${p.ipv4.dst} protocol ${p.ipv4.protocol}`);
  if (p.ipv6) parts.push(`ipv6 ${p.ipv6.src} > ${p.ipv6.dst} hop limit ${p.ipv6.hopLimit}`);
  if (p.icmpv6) parts.push(icmpv6Text(p.icmpv6));
  else if (p.payload) {
    const unknownType = p.ethernet && !p.arp && !p.ipv4 && !p.ipv6;
    parts.push(`${unknownType ? `type 0x${p.ethernet!.etherType.toString(16).padStart(4, '0')} ` : ''}${p.payload.length} bytes`);
  }
  return parts.join(': ');
}

/** A one-line summary of `bytes` starting at `link`; malformed input says where it broke. */
export function summarize(bytes: Uint8Array, link: LinkKind = 'ethernet'): string {
  try {
    const p = decode(bytes, link);
    const text = packetText(p);
    if (link === 'ethernet' && p.ethernet) return `${p.ethernet.src} > ${p.ethernet.dst}${text ? ', ' + text : ''}`;
    return text;
  } catch (err) {
    if (err instanceof DecodeError) return `malformed: ${err.message}`;
    throw err;
  }
}
