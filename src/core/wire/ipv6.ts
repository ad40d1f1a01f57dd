/**
 * IPv6 header (RFC 8200) and the walk over extension headers (hop-by-hop, routing, fragment,
 * destination options) to the upper layer.
 */
import { allocate } from './codec.js';
import { DecodeError, EncodeError, checkUint, need } from './errors.js';
import { Ipv6Address } from './ipv6-address.js';
import { bytesFrom, type EncodeInput } from './loose.js';

export const HEADER_LENGTH = 40;
export const NH_HOP_BY_HOP = 0;
export const NH_TCP = 6;
export const NH_UDP = 17;
export const NH_ROUTING = 43;
export const NH_FRAGMENT = 44;
export const NH_ICMPV6 = 58;
export const NH_NONE = 59;
export const NH_DESTINATION = 60;

/** Hop-by-hop and destination options: `data` is the option area after the two-byte header. */
export interface OptionsHeader {
  kind: 'hop-by-hop' | 'destination-options';
  nextHeader: number;
  data: Uint8Array;
}

export interface RoutingHeader {
  kind: 'routing';
  nextHeader: number;
  routingType: number;
  segmentsLeft: number;
  /** Type-specific data after the first four bytes. */
  data: Uint8Array;
}

export interface FragmentHeader {
  kind: 'fragment';
  nextHeader: number;
  reserved: number;
  /** In 8-byte units. */
  fragmentOffset: number;
  reserved2: number;
  moreFragments: boolean;
  identification: number;
}

export type ExtensionHeader = OptionsHeader | RoutingHeader | FragmentHeader;

export interface Ipv6Packet {
  version: number;
  trafficClass: number;
  flowLabel: number;
  payloadLength: number;
  nextHeader: number;
  hopLimit: number;
  src: Ipv6Address;
  dst: Ipv6Address;
  extensions: ExtensionHeader[];
  /**
   * The protocol of `payload`: the upper layer, or the header after a non-first fragment
   * (whose payload is not the start of an upper-layer packet).
   */
  protocol: number;
  payload: Uint8Array;
}

export type ExtensionHeaderInput =
  | EncodeInput<OptionsHeader, 'nextHeader'>
  | EncodeInput<RoutingHeader, 'nextHeader'>
  | EncodeInput<FragmentHeader, 'nextHeader' | 'reserved' | 'reserved2'>;

export type Ipv6PacketInput = Omit<
  EncodeInput<Ipv6Packet, 'version' | 'payloadLength' | 'nextHeader' | 'trafficClass' | 'flowLabel' | 'extensions'>,
  'extensions'
> & { extensions?: ExtensionHeaderInput[] };

const EXTENSION_KINDS: Record<number, ExtensionHeader['kind']> = {
  [NH_HOP_BY_HOP]: 'hop-by-hop',
  [NH_ROUTING]: 'routing',
  [NH_FRAGMENT]: 'fragment',
  [NH_DESTINATION]: 'destination-options',
};

const NEXT_HEADER_OF: Record<ExtensionHeader['kind'], number> = {
  'hop-by-hop': NH_HOP_BY_HOP,
  routing: NH_ROUTING,
  fragment: NH_FRAGMENT,
  'destination-options': NH_DESTINATION,
};

/**
 * The destination an upper-layer checksum covers (RFC 8200 8.1): while a routing header still has
 * segments left, the final one, which it carries (last address of type 0 and 2, segment list [0]
 * of a segment routing header, type 4); otherwise the header's own. Types whose final address
 * cannot be read whole (RPL's compressed type 3, unknown ones) keep the header's.
 */
export function checksumDestination(dst: Ipv6Address, extensions: readonly ExtensionHeader[]): Ipv6Address {
  const r = extensions.find((e): e is RoutingHeader => e.kind === 'routing' && e.segmentsLeft > 0);
  if (!r) return dst;
  const n = r.data.length;
  if ((r.routingType === 0 || r.routingType === 2) && n >= 4 + 16) return Ipv6Address.read(r.data, 4 + 16 * Math.floor((n - 4) / 16) - 16);
  if (r.routingType === 4 && n >= 4 + 16) return Ipv6Address.read(r.data, 4);
  return dst;
}

export function decode(b: Uint8Array): Ipv6Packet {
  need(b, 0, HEADER_LENGTH, 'header', 'IPv6 header');
  const version = b[0] >>> 4;
  if (version !== 6) throw new DecodeError(`version ${version}, expected 6`, 'version', 0);
  const payloadLength = (b[4] << 8) | b[5];
  const end = HEADER_LENGTH + payloadLength;
  if (end > b.length) {
    throw new DecodeError(`payload length ${payloadLength} exceeds the ${b.length - HEADER_LENGTH} bytes present`, 'payloadLength', 4);
  }
  const nextHeader = b[6];
  const extensions: ExtensionHeader[] = [];
  let protocol = nextHeader;
  let o = HEADER_LENGTH;
  // Each extension header takes at least 8 bytes, so the walk ends within the payload.
  for (let kind = EXTENSION_KINDS[protocol]; kind !== undefined; kind = EXTENSION_KINDS[protocol]) {
    const field = `extensions[${extensions.length}]`;
    if (o + 8 > end) throw new DecodeError(`${kind} header truncated`, field, o);
    const nh = b[o];
    if (kind === 'fragment') {
      const w = (b[o + 2] << 8) | b[o + 3];
      extensions.push({
        kind,
        nextHeader: nh,
        reserved: b[o + 1],
        fragmentOffset: w >>> 3,
        reserved2: (w >>> 1) & 3,
        moreFragments: (w & 1) === 1,
        identification: ((b[o + 4] << 24) | (b[o + 5] << 16) | (b[o + 6] << 8) | b[o + 7]) >>> 0,
      });
      o += 8;
      protocol = nh;
      if (w >>> 3 !== 0) break; // a later fragment: what follows is not a header
      continue;
    }
    const len = (b[o + 1] + 1) * 8;
    if (o + len > end) throw new DecodeError(`${kind} header of ${len} bytes runs past the payload`, `${field}.length`, o + 1);
    if (kind === 'routing') {
      extensions.push({ kind, nextHeader: nh, routingType: b[o + 2], segmentsLeft: b[o + 3], data: b.subarray(o + 4, o + len) });
    } else {
      extensions.push({ kind, nextHeader: nh, data: b.subarray(o + 2, o + len) });
    }
    o += len;
    protocol = nh;
  }
  return {
    version,
    trafficClass: ((b[0] & 0x0f) << 4) | (b[1] >>> 4),
    flowLabel: ((b[1] & 0x0f) << 16) | (b[2] << 8) | b[3],
    payloadLength,
    nextHeader,
    hopLimit: b[7],
    src: Ipv6Address.read(b, 8),
    dst: Ipv6Address.read(b, 24),
    extensions,
    protocol,
    payload: b.subarray(o, end),
  };
}

function extensionLength(e: ExtensionHeaderInput, i: number): number {
  if (e.kind === 'fragment') return 8;
  const data = bytesFrom(e.data, `extensions[${i}].data`);
  const len = data.length + (e.kind === 'routing' ? 4 : 2);
  if (len % 8 !== 0 || len > 2048) {
    throw new EncodeError(`${e.kind} header must be a multiple of 8 bytes up to 2048, is ${len}`, `extensions[${i}].data`);
  }
  return len;
}

/** The next-header value that announces extension `i`, or the upper layer after the last one. */
function nextHeaderAt(exts: readonly ExtensionHeaderInput[], i: number, protocol: number): number {
  return i < exts.length ? NEXT_HEADER_OF[exts[i].kind] : protocol;
}

export function encodingLength(p: Ipv6PacketInput): number {
  const exts = p.extensions ?? [];
  let ext = 0;
  for (let i = 0; i < exts.length; i++) ext += extensionLength(exts[i], i);
  return HEADER_LENGTH + ext + bytesFrom(p.payload, 'payload').length;
}

export function encode(p: Ipv6PacketInput, buf?: Uint8Array, offset = 0): Uint8Array {
  const exts = p.extensions ?? [];
  const payload = bytesFrom(p.payload, 'payload');
  const len = encodingLength(p);
  const b = allocate(len, buf, offset, 'ipv6');
  const o = offset;
  const tc = checkUint(p.trafficClass ?? 0, 8, 'trafficClass');
  const fl = checkUint(p.flowLabel ?? 0, 20, 'flowLabel');
  b[o] = (checkUint(p.version ?? 6, 4, 'version') << 4) | (tc >>> 4);
  b[o + 1] = ((tc & 0x0f) << 4) | (fl >>> 16);
  b[o + 2] = fl >>> 8;
  b[o + 3] = fl;
  const pl = checkUint(p.payloadLength ?? len - HEADER_LENGTH, 16, 'payloadLength');
  b[o + 4] = pl >>> 8;
  b[o + 5] = pl;
  const protocol = checkUint(p.protocol, 8, 'protocol');
  b[o + 6] = checkUint(p.nextHeader ?? nextHeaderAt(exts, 0, protocol), 8, 'nextHeader');
  b[o + 7] = checkUint(p.hopLimit, 8, 'hopLimit');
  Ipv6Address.from(p.src, 'src').write(b, o + 8);
  Ipv6Address.from(p.dst, 'dst').write(b, o + 24);
  let q = o + HEADER_LENGTH;
  for (let i = 0; i < exts.length; i++) {
    const e = exts[i];
    const field = `extensions[${i}]`;
    const elen = extensionLength(e, i);
    b[q] = checkUint(e.nextHeader ?? nextHeaderAt(exts, i + 1, protocol), 8, `${field}.nextHeader`);
    if (e.kind === 'fragment') {
      b[q + 1] = checkUint(e.reserved ?? 0, 8, `${field}.reserved`);
      const w = (checkUint(e.fragmentOffset, 13, `${field}.fragmentOffset`) << 3) | (checkUint(e.reserved2 ?? 0, 2, `${field}.reserved2`) << 1) | (e.moreFragments ? 1 : 0);
      b[q + 2] = w >>> 8;
      b[q + 3] = w;
      const id = checkUint(e.identification, 32, `${field}.identification`);
      b[q + 4] = id >>> 24;
      b[q + 5] = id >>> 16;
      b[q + 6] = id >>> 8;
      b[q + 7] = id;
    } else {
      b[q + 1] = elen / 8 - 1;
      const data = bytesFrom(e.data, `${field}.data`);
      if (e.kind === 'routing') {
        b[q + 2] = checkUint(e.routingType, 8, `${field}.routingType`);
        b[q + 3] = checkUint(e.segmentsLeft, 8, `${field}.segmentsLeft`);
        b.set(data, q + 4);
      } else {
        b.set(data, q + 2);
      }
    }
    q += elen;
  }
  b.set(payload, q);
  return b;
}
