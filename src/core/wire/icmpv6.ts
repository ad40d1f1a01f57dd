/**
 * ICMPv6 (RFC 4443): the message kinds linklab speaks, and the checksum over the IPv6
 * pseudo-header. Other types decode to their header and raw body.
 */
import { EncodeError, checkUint, need } from './errors.js';
import { bytesFrom, type EncodeInput } from './loose.js';
import { Ipv6Address } from './ipv6-address.js';
import { finish, ipv6PseudoSum, sumBytes } from './checksum.js';
import { NH_ICMPV6 } from './ipv6.js';
import { allocate, writeHeader } from './ndisc/header.js';
import * as rs from './ndisc/router-solicit.js';
import * as ra from './ndisc/router-advert.js';
import * as ns from './ndisc/neighbor-solicit.js';
import * as na from './ndisc/neighbor-advert.js';
import * as redirect from './ndisc/redirect.js';
import * as echo from './icmpv6-echo.js';

export interface OtherIcmpv6 {
  kind: 'icmpv6';
  type: number;
  code: number;
  checksum: number;
  /** Everything after the four header bytes. */
  body: Uint8Array;
}

export type OtherIcmpv6Input = EncodeInput<OtherIcmpv6, 'code' | 'checksum'>;

export type Icmpv6Message =
  | rs.RouterSolicit
  | ra.RouterAdvert
  | ns.NeighborSolicit
  | na.NeighborAdvert
  | redirect.Redirect
  | echo.Echo
  | OtherIcmpv6;

export type NdMessage = rs.RouterSolicit | ra.RouterAdvert | ns.NeighborSolicit | na.NeighborAdvert | redirect.Redirect;

export type Icmpv6Input =
  | rs.RouterSolicitInput
  | ra.RouterAdvertInput
  | ns.NeighborSolicitInput
  | na.NeighborAdvertInput
  | redirect.RedirectInput
  | echo.EchoInput
  | OtherIcmpv6Input;

export function decode(b: Uint8Array): Icmpv6Message {
  need(b, 0, 4, 'header', 'ICMPv6 header');
  switch (b[0]) {
    case rs.TYPE:
      return rs.decode(b);
    case ra.TYPE:
      return ra.decode(b);
    case ns.TYPE:
      return ns.decode(b);
    case na.TYPE:
      return na.decode(b);
    case redirect.TYPE:
      return redirect.decode(b);
    case echo.TYPE_REQUEST:
    case echo.TYPE_REPLY:
      return echo.decode(b);
    default:
      return { kind: 'icmpv6', type: b[0], code: b[1], checksum: (b[2] << 8) | b[3], body: b.subarray(4) };
  }
}

export function typeOf(m: Icmpv6Input): number {
  switch (m.kind) {
    case 'router-solicit':
      return rs.TYPE;
    case 'router-advert':
      return ra.TYPE;
    case 'neighbor-solicit':
      return ns.TYPE;
    case 'neighbor-advert':
      return na.TYPE;
    case 'redirect':
      return redirect.TYPE;
    case 'echo-request':
      return echo.TYPE_REQUEST;
    case 'echo-reply':
      return echo.TYPE_REPLY;
    case 'icmpv6':
      return checkUint(m.type, 8, 'type');
    default:
      throw new EncodeError(`unknown ICMPv6 kind ${JSON.stringify((m as { kind: unknown }).kind)}`, 'kind');
  }
}

export function encodingLength(m: Icmpv6Input): number {
  switch (m.kind) {
    case 'router-solicit':
      return rs.encodingLength(m);
    case 'router-advert':
      return ra.encodingLength(m);
    case 'neighbor-solicit':
      return ns.encodingLength(m);
    case 'neighbor-advert':
      return na.encodingLength(m);
    case 'redirect':
      return redirect.encodingLength(m);
    case 'echo-request':
    case 'echo-reply':
      return echo.encodingLength(m);
    case 'icmpv6':
      return 4 + bytesFrom(m.body, 'body').length;
    default:
      return typeOf(m);
  }
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
  const len = encodingLength(m);
  const b = allocate(len, buf, offset, 'icmpv6');
  switch (m.kind) {
    case 'router-solicit':
      rs.encode(m, b, offset);
      break;
    case 'router-advert':
      ra.encode(m, b, offset);
      break;
    case 'neighbor-solicit':
      ns.encode(m, b, offset);
      break;
    case 'neighbor-advert':
      na.encode(m, b, offset);
      break;
    case 'redirect':
      redirect.encode(m, b, offset);
      break;
    case 'echo-request':
    case 'echo-reply':
      echo.encode(m, b, offset);
      break;
    case 'icmpv6':
      writeHeader(b, offset, typeOf(m), m);
      b.set(bytesFrom(m.body, 'body'), offset + 4);
      break;
  }
  if (pseudo && m.checksum === undefined) {
    b[offset + 2] = 0;
    b[offset + 3] = 0;
    const sum = checksum(b.subarray(offset, offset + len), Ipv6Address.from(pseudo.src, 'src'), Ipv6Address.from(pseudo.dst, 'dst'));
    b[offset + 2] = sum >>> 8;
    b[offset + 3] = sum;
  }
  return b;
}

/** The checksum of an ICMPv6 message whose own checksum field reads as zero. */
export function checksum(msg: Uint8Array, src: Ipv6Address, dst: Ipv6Address): number {
  return finish(sumBytes(msg, 0, msg.length, ipv6PseudoSum(src, dst, msg.length, NH_ICMPV6)));
}

/** True when the message's checksum is right for these addresses. */
export function checksumOk(msg: Uint8Array, src: Ipv6Address, dst: Ipv6Address): boolean {
  return finish(sumBytes(msg, 0, msg.length, ipv6PseudoSum(src, dst, msg.length, NH_ICMPV6))) === 0;
}
