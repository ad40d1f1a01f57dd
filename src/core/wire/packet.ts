/**
 * Whole packets, layer by layer: Ethernet, then ARP, IPv4 (and IPv6 inside protocol 41), IPv6 and
 * ICMPv6. This is what `linklab packet` decodes and encodes, and what the tests dissect.
 */
import { DecodeError, EncodeError, nested } from './errors.js';
import { bytesFrom, type Loose } from './loose.js';
import { Ipv6Address } from './ipv6-address.js';
import * as ethernet from './ethernet.js';
import * as arp from './arp.js';
import * as ipv4 from './ipv4.js';
import * as ipv6 from './ipv6.js';
import * as icmpv6 from './icmpv6.js';

export type LinkKind = 'ethernet' | 'ipv4' | 'ipv6' | 'icmpv6';

export interface Packet {
  ethernet?: Omit<ethernet.EthernetFrame, 'payload'>;
  arp?: arp.Arp;
  ipv4?: Omit<ipv4.Ipv4Packet, 'payload'> & { checksumOk: boolean };
  ipv6?: Omit<ipv6.Ipv6Packet, 'payload'>;
  icmpv6?: icmpv6.Icmpv6Message;
  /** Whether the ICMPv6 checksum verifies against the IPv6 header (absent without one). */
  icmpv6ChecksumOk?: boolean;
  /** Bytes of a layer linklab does not decode (UDP, TCP, later fragments, an unknown EtherType). */
  payload?: Uint8Array;
}

export interface PacketInput {
  ethernet?: Partial<Loose<Omit<ethernet.EthernetFrame, 'payload'>>>;
  arp?: Loose<arp.Arp>;
  ipv4?: Omit<ipv4.Ipv4PacketInput, 'payload' | 'protocol'> & { protocol?: number };
  ipv6?: Omit<ipv6.Ipv6PacketInput, 'payload' | 'protocol'> & { protocol?: number };
  icmpv6?: icmpv6.Icmpv6Input;
  payload?: Uint8Array | string;
}

function withoutPayload<T extends { payload: Uint8Array }>(v: T): Omit<T, 'payload'> {
  const { payload: _payload, ...rest } = v;
  return rest;
}

/**
 * A malformed option's error is relative to its ICMPv6 message; seen from the whole packet it gets
 * the packet's field path and offset, like any other DecodeError from `decode`.
 */
function rebaseOptionErrors(m: icmpv6.Icmpv6Message, at: number): void {
  if (!('options' in m)) return;
  const options = m.options;
  for (let i = 0; i < options.length; i++) {
    const o = options[i];
    if (o.kind === 'malformed') options[i] = { ...o, error: o.error.within('icmpv6', at) };
  }
}

/** The error of the first malformed ND option in `p`, if any: such a packet is not well formed. */
export function firstMalformedOption(p: Packet): DecodeError | undefined {
  const m = p.icmpv6;
  if (!m || !('options' in m)) return undefined;
  for (const o of m.options) if (o.kind === 'malformed') return o.error;
  return undefined;
}

function dissectIpv6(b: Uint8Array, out: Packet, delta: number): void {
  const p = nested('ipv6', delta, () => ipv6.decode(b));
  out.ipv6 = withoutPayload(p);
  const firstFragment = !p.extensions.some((e) => e.kind === 'fragment' && (e.fragmentOffset !== 0 || e.moreFragments));
  if (p.protocol === ipv6.NH_ICMPV6 && firstFragment) {
    const at = delta + (p.payload.byteOffset - b.byteOffset);
    out.icmpv6 = nested('icmpv6', at, () => icmpv6.decode(p.payload));
    rebaseOptionErrors(out.icmpv6, at);
    out.icmpv6ChecksumOk = icmpv6.checksumOk(p.payload, p.src, ipv6.checksumDestination(p.dst, p.extensions));
  } else if (p.payload.length > 0) {
    out.payload = p.payload;
  }
}

function dissectIpv4(b: Uint8Array, out: Packet, delta: number): void {
  const p = nested('ipv4', delta, () => ipv4.decode(b));
  out.ipv4 = { ...withoutPayload(p), checksumOk: ipv4.checksumOk(b) };
  if (p.protocol === ipv4.PROTO_IPV6 && p.fragmentOffset === 0 && !p.moreFragments) {
    dissectIpv6(p.payload, out, delta + p.ihl * 4);
  } else if (p.payload.length > 0) {
    out.payload = p.payload;
  }
}

/** Decodes every layer linklab knows, starting at `link`. Throws DecodeError (field path, absolute offset). */
export function decode(b: Uint8Array, link: LinkKind = 'ethernet'): Packet {
  const out: Packet = {};
  switch (link) {
    case 'ethernet': {
      const f = nested('ethernet', 0, () => ethernet.decode(b));
      out.ethernet = withoutPayload(f);
      const at = f.payload.byteOffset - b.byteOffset;
      if (f.etherType === ethernet.ETHERTYPE_ARP) out.arp = nested('arp', at, () => arp.decode(f.payload));
      else if (f.etherType === ethernet.ETHERTYPE_IPV4) dissectIpv4(f.payload, out, at);
      else if (f.etherType === ethernet.ETHERTYPE_IPV6) dissectIpv6(f.payload, out, at);
      else if (f.payload.length > 0) out.payload = f.payload;
      break;
    }
    case 'ipv4':
      dissectIpv4(b, out, 0);
      break;
    case 'ipv6':
      dissectIpv6(b, out, 0);
      break;
    case 'icmpv6':
      out.icmpv6 = nested('icmpv6', 0, () => icmpv6.decode(b));
      rebaseOptionErrors(out.icmpv6, 0);
      break;
  }
  return out;
}

/** The link a raw-IP packet belongs to, from its version nibble. */
export function rawLink(b: Uint8Array): LinkKind {
  if (b.length === 0) throw new DecodeError('empty packet', 'version', 0);
  const version = b[0] >>> 4;
  if (version === 4) return 'ipv4';
  if (version === 6) return 'ipv6';
  throw new DecodeError(`version ${version} is neither 4 nor 6`, 'version', 0);
}

function wrap<T>(prefix: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof EncodeError) throw err.within(prefix);
    if (err instanceof TypeError) throw new EncodeError(err.message, prefix);
    throw err;
  }
}

/**
 * Encodes the layers present, innermost first; lengths, checksums, next-header and EtherType
 * fields that the input leaves out are filled in from the layers above.
 */
export function encode(p: PacketInput): Uint8Array {
  let inner: Uint8Array = p.payload === undefined ? new Uint8Array(0) : wrap('payload', () => bytesFrom(p.payload!, 'payload'));
  let innerProto: number | undefined;
  if (p.icmpv6) {
    const pseudo = p.ipv6 ? { src: p.ipv6.src, dst: wrap('ipv6', () => pseudoDestination(p.ipv6!)) } : undefined;
    inner = wrap('icmpv6', () => icmpv6.encode(p.icmpv6!, pseudo));
    innerProto = ipv6.NH_ICMPV6;
  }
  let etherType: number | undefined;
  if (p.ipv6) {
    const h = p.ipv6;
    const protocol = h.protocol ?? innerProto;
    if (protocol === undefined) throw new EncodeError('needed when no ICMPv6 layer follows', 'ipv6.protocol');
    inner = wrap('ipv6', () => ipv6.encode({ ...h, protocol, payload: inner }));
    innerProto = ipv4.PROTO_IPV6;
    etherType = ethernet.ETHERTYPE_IPV6;
  }
  if (p.ipv4) {
    const h = p.ipv4;
    const protocol = h.protocol ?? innerProto;
    if (protocol === undefined) throw new EncodeError('needed when no IPv6 layer follows', 'ipv4.protocol');
    inner = wrap('ipv4', () => ipv4.encode({ ...h, protocol, payload: inner }));
    etherType = ethernet.ETHERTYPE_IPV4;
  }
  if (p.arp) {
    inner = wrap('arp', () => arp.encode(p.arp!));
    etherType = ethernet.ETHERTYPE_ARP;
  }
  if (p.ethernet) {
    const e = p.ethernet;
    const type = e.etherType ?? etherType;
    if (type === undefined) throw new EncodeError('needed when no ARP or IP layer follows', 'ethernet.etherType');
    if (e.dst === undefined || e.src === undefined) throw new EncodeError('src and dst are required', 'ethernet');
    inner = wrap('ethernet', () => ethernet.encode({ dst: e.dst!, src: e.src!, vlan: e.vlan, etherType: type, payload: inner }));
  }
  return inner;
}

/** The final destination of an IPv6 layer given as input (see ipv6.checksumDestination). */
function pseudoDestination(h: NonNullable<PacketInput['ipv6']>): Ipv6Address {
  const dst = Ipv6Address.from(h.dst, 'dst');
  const exts = (h.extensions ?? []).flatMap((e, i): ipv6.RoutingHeader[] =>
    e.kind === 'routing' ? [{ kind: 'routing', nextHeader: 0, routingType: e.routingType, segmentsLeft: e.segmentsLeft, data: bytesFrom(e.data, `extensions[${i}].data`) }] : [],
  );
  return ipv6.checksumDestination(dst, exts);
}

export function encodingLength(p: PacketInput): number {
  return encode(p).length;
}
