/** IPv4 header (RFC 791): checksum, options and fragment fields. */
import { allocate } from './codec.js';
import { DecodeError, EncodeError, checkUint, need } from './errors.js';
import { Ipv4Address } from './ipv4-address.js';
import { internetChecksum } from './checksum.js';
import { bytesFrom, type EncodeInput } from './loose.js';

export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const PROTO_IPV6 = 41;
export const MIN_HEADER_LENGTH = 20;

export interface Ipv4Packet {
  version: number;
  /** Header length in 32-bit words. */
  ihl: number;
  dscp: number;
  ecn: number;
  totalLength: number;
  identification: number;
  /** The reserved ("evil") flag bit. */
  reservedFlag: boolean;
  dontFragment: boolean;
  moreFragments: boolean;
  /** In 8-byte units. */
  fragmentOffset: number;
  ttl: number;
  protocol: number;
  checksum: number;
  src: Ipv4Address;
  dst: Ipv4Address;
  options: Uint8Array;
  payload: Uint8Array;
}

export type Ipv4PacketInput = EncodeInput<Ipv4Packet, 'version' | 'ihl' | 'totalLength' | 'checksum' | 'reservedFlag' | 'options' | 'dscp' | 'ecn' | 'identification' | 'dontFragment' | 'moreFragments' | 'fragmentOffset'>;

export function decode(b: Uint8Array): Ipv4Packet {
  need(b, 0, MIN_HEADER_LENGTH, 'header', 'IPv4 header');
  const version = b[0] >>> 4;
  if (version !== 4) throw new DecodeError(`version ${version}, expected 4`, 'version', 0);
  const ihl = b[0] & 0x0f;
  if (ihl < 5) throw new DecodeError(`header length ${ihl * 4} below 20`, 'ihl', 0);
  const headerLength = ihl * 4;
  need(b, 0, headerLength, 'options', `header with options (ihl ${ihl})`);
  const totalLength = (b[2] << 8) | b[3];
  if (totalLength < headerLength) {
    throw new DecodeError(`total length ${totalLength} shorter than header ${headerLength}`, 'totalLength', 2);
  }
  if (totalLength > b.length) {
    throw new DecodeError(`total length ${totalLength} exceeds the ${b.length} bytes present`, 'totalLength', 2);
  }
  const frag = (b[6] << 8) | b[7];
  return {
    version,
    ihl,
    dscp: b[1] >>> 2,
    ecn: b[1] & 3,
    totalLength,
    identification: (b[4] << 8) | b[5],
    reservedFlag: (frag & 0x8000) !== 0,
    dontFragment: (frag & 0x4000) !== 0,
    moreFragments: (frag & 0x2000) !== 0,
    fragmentOffset: frag & 0x1fff,
    ttl: b[8],
    protocol: b[9],
    checksum: (b[10] << 8) | b[11],
    src: Ipv4Address.read(b, 12),
    dst: Ipv4Address.read(b, 16),
    options: b.subarray(MIN_HEADER_LENGTH, headerLength),
    payload: b.subarray(headerLength, totalLength),
  };
}

/** True when the header checksum of the IPv4 packet at the start of `b` is right. */
export function checksumOk(b: Uint8Array): boolean {
  const headerLength = (b[0] & 0x0f) * 4;
  return b.length >= headerLength && internetChecksum(b, 0, headerLength) === 0;
}

const NO_OPTIONS = new Uint8Array(0);

function optionsOf(p: Ipv4PacketInput): Uint8Array {
  const options = p.options === undefined ? NO_OPTIONS : bytesFrom(p.options, 'options');
  if (options.length % 4 !== 0 || options.length > 40) {
    throw new EncodeError(`options take a multiple of 4 bytes up to 40, got ${options.length}`, 'options');
  }
  return options;
}

export function encodingLength(p: Ipv4PacketInput): number {
  return MIN_HEADER_LENGTH + optionsOf(p).length + bytesFrom(p.payload, 'payload').length;
}

export function encode(p: Ipv4PacketInput, buf?: Uint8Array, offset = 0): Uint8Array {
  const options = optionsOf(p);
  const payload = bytesFrom(p.payload, 'payload');
  const headerLength = MIN_HEADER_LENGTH + options.length;
  const len = headerLength + payload.length;
  const b = allocate(len, buf, offset, 'ipv4');
  const o = offset;
  b[o] = (checkUint(p.version ?? 4, 4, 'version') << 4) | checkUint(p.ihl ?? headerLength / 4, 4, 'ihl');
  b[o + 1] = (checkUint(p.dscp ?? 0, 6, 'dscp') << 2) | checkUint(p.ecn ?? 0, 2, 'ecn');
  const total = checkUint(p.totalLength ?? len, 16, 'totalLength');
  b[o + 2] = total >>> 8;
  b[o + 3] = total;
  const id = checkUint(p.identification ?? 0, 16, 'identification');
  b[o + 4] = id >>> 8;
  b[o + 5] = id;
  const frag =
    (p.reservedFlag ? 0x8000 : 0) |
    (p.dontFragment ? 0x4000 : 0) |
    (p.moreFragments ? 0x2000 : 0) |
    checkUint(p.fragmentOffset ?? 0, 13, 'fragmentOffset');
  b[o + 6] = frag >>> 8;
  b[o + 7] = frag;
  b[o + 8] = checkUint(p.ttl, 8, 'ttl');
  b[o + 9] = checkUint(p.protocol, 8, 'protocol');
  b[o + 10] = 0;
  b[o + 11] = 0;
  Ipv4Address.from(p.src, 'src').write(b, o + 12);
  Ipv4Address.from(p.dst, 'dst').write(b, o + 16);
  if (options.length > 0) b.set(options, o + MIN_HEADER_LENGTH);
  const sum = p.checksum === undefined ? internetChecksum(b, o, o + headerLength) : checkUint(p.checksum, 16, 'checksum');
  b[o + 10] = sum >>> 8;
  b[o + 11] = sum;
  b.set(payload, o + headerLength);
  return b;
}
