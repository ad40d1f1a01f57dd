/** Human-readable text for decoded packets, as `linklab packet decode` prints them. */
import type { Packet } from './packet.js';
import type { NdOption } from './ndisc/option-list.js';
import type { Icmpv6Message } from './icmpv6.js';
import { toHex } from './bytes.js';

function hex16(n: number): string {
  return '0x' + n.toString(16).padStart(4, '0');
}

function seconds(n: number): string {
  return n === 0xffff_ffff ? 'infinity' : `${n}s`;
}

function flag(name: string, on: boolean): string {
  return on ? name : '-';
}

export function describeOption(o: NdOption): string {
  switch (o.kind) {
    case 'source-lla':
    case 'target-lla':
      return `${o.kind} ${o.address}`;
    case 'prefix-info':
      return `prefix-info ${o.prefix}/${o.prefixLength} flags ${flag('L', o.onLink)}${flag('A', o.autonomous)}${flag('R', o.routerAddress)} valid ${seconds(o.validLifetime)} preferred ${seconds(o.preferredLifetime)}`;
    case 'redirected-header':
      return `redirected-header ${o.data.length} bytes`;
    case 'mtu':
      return `mtu ${o.mtu}`;
    case 'nonce':
      return `nonce ${toHex(o.nonce)}`;
    case 'route-info':
      return `route-info ${o.prefix}/${o.prefixLength} preference ${o.preference} lifetime ${seconds(o.lifetime)}`;
    case 'rdnss':
      return `rdnss lifetime ${seconds(o.lifetime)} ${o.servers.join(' ')}`;
    case 'dnssl':
      return `dnssl lifetime ${seconds(o.lifetime)} ${o.domains.join(' ')}`;
    case 'captive-portal':
      return `captive-portal ${o.uri}`;
    case 'pref64':
      return `pref64 ${o.prefix} plc ${o.plc} lifetime ${o.scaledLifetime * 8}s`;
    case 'unknown':
      return `option ${o.type} (${o.data.length + 2} bytes) ${toHex(o.data)}`;
    case 'malformed':
      return `malformed option ${o.bytes[0]}: ${o.error.field}: ${o.error.what} at byte ${o.error.offset}`;
  }
}

export function describeIcmpv6(m: Icmpv6Message): string[] {
  const head = (name: string): string => `icmpv6 ${name} code ${m.code} checksum ${hex16(m.checksum)}`;
  switch (m.kind) {
    case 'router-solicit':
      return [head('router solicitation'), ...m.options.map((o) => '  ' + describeOption(o))];
    case 'router-advert':
      return [
        head('router advertisement'),
        `  cur hop limit ${m.curHopLimit} flags ${flag('M', m.managed)}${flag('O', m.other)}${flag('H', m.homeAgent)}${flag('P', m.proxy)} preference ${m.preference} router lifetime ${m.routerLifetime}s reachable ${m.reachableTime}ms retrans ${m.retransTimer}ms`,
        ...m.options.map((o) => '  ' + describeOption(o)),
      ];
    case 'neighbor-solicit':
      return [head('neighbor solicitation') + ` target ${m.target}`, ...m.options.map((o) => '  ' + describeOption(o))];
    case 'neighbor-advert':
      return [
        head('neighbor advertisement') + ` target ${m.target} flags ${flag('R', m.router)}${flag('S', m.solicited)}${flag('O', m.override)}`,
        ...m.options.map((o) => '  ' + describeOption(o)),
      ];
    case 'redirect':
      return [head('redirect') + ` target ${m.target} destination ${m.destination}`, ...m.options.map((o) => '  ' + describeOption(o))];
    case 'echo-request':
    case 'echo-reply':
      return [head(m.kind.replace('-', ' ')) + ` id ${m.identifier} seq ${m.sequence} ${m.data.length} data bytes`];
    case 'icmpv6':
      return [`icmpv6 type ${m.type} code ${m.code} checksum ${hex16(m.checksum)} ${m.body.length} bytes`];
  }
}

/** One line per layer, options indented under their message. */
export function describePacket(p: Packet): string[] {
  const lines: string[] = [];
  if (p.ethernet) {
    const e = p.ethernet;
    const vlan = e.vlan ? ` vlan ${e.vlan.id} pcp ${e.vlan.pcp}` : '';
    lines.push(`ethernet ${e.src} > ${e.dst}${vlan} type ${hex16(e.etherType)}`);
  }
  if (p.arp) {
    const a = p.arp;
    const op = a.op === 1 ? 'request' : a.op === 2 ? 'reply' : `op ${a.op}`;
    if (a.form === 'ethernet-ipv4') {
      lines.push(`arp ${op} sender ${a.senderIp} ${a.senderMac} target ${a.targetIp} ${a.targetMac}`);
    } else {
      lines.push(`arp ${op} hardware ${a.hardwareType} protocol ${hex16(a.protocolType)} sender ${toHex(a.senderHardware)}/${toHex(a.senderProtocol)} target ${toHex(a.targetHardware)}/${toHex(a.targetProtocol)}`);
    }
  }
  if (p.ipv4) {
    const h = p.ipv4;
    const frag = h.moreFragments || h.fragmentOffset ? ` frag offset ${h.fragmentOffset * 8}${h.moreFragments ? ' more' : ''}` : '';
    lines.push(`ipv4 ${h.src} > ${h.dst} ttl ${h.ttl} protocol ${h.protocol} length ${h.totalLength} id ${h.identification}${h.dontFragment ? ' DF' : ''}${frag} checksum ${hex16(h.checksum)}${h.checksumOk ? '' : ' (bad)'}`);
  }
  if (p.ipv6) {
    const h = p.ipv6;
    const ext = h.extensions.length ? ` via ${h.extensions.map((e) => e.kind).join(',')}` : '';
    lines.push(`ipv6 ${h.src} > ${h.dst} hop limit ${h.hopLimit} payload ${h.payloadLength} next header ${h.nextHeader}${ext}`);
  }
  if (p.icmpv6) {
    const ll = describeIcmpv6(p.icmpv6);
    if (p.icmpv6ChecksumOk !== undefined) ll[0] += p.icmpv6ChecksumOk ? ' (ok)' : ' (bad)';
    lines.push(...ll);
  }
  if (p.payload) lines.push(`payload ${p.payload.length} bytes`);
  return lines;
}

/** A JSON replacer that writes byte arrays as hex. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? toHex(value) : value;
}
