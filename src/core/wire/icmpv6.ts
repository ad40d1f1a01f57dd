/**
 * ICMPv6 (RFC 4443): the registry of the message kinds linklab speaks, and the checksum over the
 * IPv6 pseudo-header. Other types decode to their header and raw body. The registry is the only
 * place that maps a message kind to its codec; type numbers come from ICMPV6_TYPE.
 */
import { EncodeError, checkUint, need } from './errors.js';
import { bytesFrom, type EncodeInput } from './loose.js';
import { Ipv6Address } from './ipv6-address.js';
import { finish, ipv6PseudoSum, sumBytes } from './checksum.js';
import { NH_ICMPV6 } from './ipv6.js';
import { allocate, type Codec } from './codec.js';
import { ICMPV6_TYPE } from './icmpv6-types.js';
import { writeHeader } from './ndisc/header.js';
import * as rs from './ndisc/router-solicit.js';
import * as ra from './ndisc/router-advert.js';
import * as ns from './ndisc/neighbor-solicit.js';
import * as na from './ndisc/neighbor-advert.js';
import * as redirect from './ndisc/redirect.js';
import * as echo from './icmpv6-echo.js';

export { ICMPV6_TYPE, isNdType } from './icmpv6-types.js';

export interface OtherIcmpv6 {
  kind: 'icmpv6';
  type: number;
  code: number;
  checksum: number;
  /** Everything after the four header bytes. */
  body: Uint8Array;
}

export type OtherIcmpv6Input = EncodeInput<OtherIcmpv6, 'code' | 'checksum'>;

/** Any type without a codec of its own: header and raw body. */
const other = {
  decode(b: Uint8Array, o: number, end: number): OtherIcmpv6 {
    return { kind: 'icmpv6', type: b[o], code: b[o + 1], checksum: (b[o + 2] << 8) | b[o + 3], body: b.subarray(o + 4, end) };
  },
  encodingLength(m: OtherIcmpv6Input): number {
    return 4 + bytesFrom(m.body, 'body').length;
  },
  encodeInto(m: OtherIcmpv6Input, b: Uint8Array, o: number): number {
    const body = bytesFrom(m.body, 'body');
    writeHeader(b, o, checkUint(m.type, 8, 'type'), m);
    b.set(body, o + 4);
    return o + 4 + body.length;
  },
};

/** The codec of each message kind. */
const CODECS = {
  'router-solicit': rs,
  'router-advert': ra,
  'neighbor-solicit': ns,
  'neighbor-advert': na,
  redirect,
  'echo-request': echo,
  'echo-reply': echo,
  icmpv6: other,
};

type Codecs = typeof CODECS;
type Kind = keyof Codecs;

export type Icmpv6Message = { [K in Kind]: ReturnType<Codecs[K]['decode']> }[Kind];
export type Icmpv6Input = { [K in Kind]: Parameters<Codecs[K]['encodeInto']>[0] }[Kind];
export type NdMessage = rs.RouterSolicit | ra.RouterAdvert | ns.NeighborSolicit | na.NeighborAdvert | redirect.Redirect;

type Decoder = (b: Uint8Array, o: number, end: number) => Icmpv6Message;
type Entry = Codec<Icmpv6Message, Icmpv6Input>;

/** Decoders by type byte; a type without one decodes as `icmpv6`. */
const DECODERS: Decoder[] = new Array<Decoder>(256).fill(other.decode);
const ENCODERS = new Map<string, Entry>();
for (const kind of Object.keys(CODECS) as Kind[]) {
  // A plain object of the two functions rather than the module namespace, which V8 calls through slowly.
  const c = CODECS[kind] as unknown as Entry;
  ENCODERS.set(kind, { decode: c.decode, encodingLength: c.encodingLength, encodeInto: c.encodeInto });
  if (kind !== 'icmpv6') DECODERS[ICMPV6_TYPE[kind]] = CODECS[kind].decode as Decoder;
}

export function decode(b: Uint8Array, o = 0, end = b.length): Icmpv6Message {
  need(b, o, 4, 'header', 'ICMPv6 header', end);
  return DECODERS[b[o]](b, o, end);
}

function entryOf(m: Icmpv6Input): Entry {
  const e = ENCODERS.get(m.kind);
  if (!e) throw new EncodeError(`unknown ICMPv6 kind ${JSON.stringify((m as { kind: unknown }).kind)}`, 'kind');
  return e;
}

export function typeOf(m: Icmpv6Input): number {
  entryOf(m);
  return m.kind === 'icmpv6' ? checkUint(m.type, 8, 'type') : ICMPV6_TYPE[m.kind];
}

export function encodingLength(m: Icmpv6Input): number {
  return entryOf(m).encodingLength(m);
}

/** The addresses of the enclosing IPv6 header, for the checksum. */
export interface PseudoHeader {
  src: Ipv6Address | string;
  dst: Ipv6Address | string;
}

/**
 * Encodes `m`. With `pseudo`, a checksum the value leaves out is computed over the pseudo-header;
 * a checksum the value gives is written as given.
 */
export function encode(m: Icmpv6Input, pseudo?: PseudoHeader, buf?: Uint8Array, offset = 0): Uint8Array {
  const e = entryOf(m);
  const len = e.encodingLength(m);
  const b = allocate(len, buf, offset, 'icmpv6');
  e.encodeInto(m, b, offset);
  if (pseudo && m.checksum === undefined) fillChecksum(b, offset, offset + len, Ipv6Address.from(pseudo.src, 'src'), Ipv6Address.from(pseudo.dst, 'dst'));
  return b;
}

/**
 * Computes and writes the checksum of the ICMPv6 message at `b[start..end)` in place, summing
 * the pseudo-header from the addresses' words (no pseudo-header buffer, no subarray).
 */
export function fillChecksum(b: Uint8Array, start: number, end: number, src: Ipv6Address, dst: Ipv6Address): void {
  b[start + 2] = 0;
  b[start + 3] = 0;
  const sum = finish(sumBytes(b, start, end, ipv6PseudoSum(src, dst, end - start, NH_ICMPV6)));
  b[start + 2] = sum >>> 8;
  b[start + 3] = sum;
}

/** The checksum of an ICMPv6 message whose own checksum field reads as zero. */
export function checksum(msg: Uint8Array, src: Ipv6Address, dst: Ipv6Address): number {
  return finish(sumBytes(msg, 0, msg.length, ipv6PseudoSum(src, dst, msg.length, NH_ICMPV6)));
}

/** True when the message's checksum is right for these addresses. */
export function checksumOk(msg: Uint8Array, src: Ipv6Address, dst: Ipv6Address): boolean {
  return finish(sumBytes(msg, 0, msg.length, ipv6PseudoSum(src, dst, msg.length, NH_ICMPV6))) === 0;
}
