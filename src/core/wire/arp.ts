/**
 * ARP (RFC 826). Ethernet/IPv4 packets decode to typed addresses; any other hardware/protocol
 * length pair decodes to raw address bytes.
 */
import { allocate } from './codec.js';
import { DecodeError, EncodeError, checkUint, need } from './errors.js';
import { MacAddress } from './mac-address.js';
import { Ipv4Address } from './ipv4-address.js';
import { bytesFrom, type Loose } from './loose.js';
import { ETHERTYPE_IPV4 } from './ethernet.js';

export const OP_REQUEST = 1;
export const OP_REPLY = 2;
export const HTYPE_ETHERNET = 1;
export const ETHERNET_IPV4_LENGTH = 28;

export interface EthernetIpv4Arp {
  form: 'ethernet-ipv4';
  hardwareType: number;
  op: number;
  senderMac: MacAddress;
  senderIp: Ipv4Address;
  targetMac: MacAddress;
  targetIp: Ipv4Address;
}

export interface GenericArp {
  form: 'generic';
  hardwareType: number;
  protocolType: number;
  op: number;
  senderHardware: Uint8Array;
  senderProtocol: Uint8Array;
  targetHardware: Uint8Array;
  targetProtocol: Uint8Array;
}

export type Arp = EthernetIpv4Arp | GenericArp;

export function decode(b: Uint8Array): Arp {
  need(b, 0, 8, 'header', 'ARP header');
  const hardwareType = (b[0] << 8) | b[1];
  const protocolType = (b[2] << 8) | b[3];
  const hlen = b[4];
  const plen = b[5];
  const op = (b[6] << 8) | b[7];
  const total = 8 + 2 * (hlen + plen);
  if (b.length < total) {
    throw new DecodeError(`addresses need ${total} bytes, packet has ${b.length}`, 'hlen', 4);
  }
  if (hlen === 6 && plen === 4 && protocolType === ETHERTYPE_IPV4) {
    return {
      form: 'ethernet-ipv4',
      hardwareType,
      op,
      senderMac: MacAddress.read(b, 8),
      senderIp: Ipv4Address.read(b, 14),
      targetMac: MacAddress.read(b, 18),
      targetIp: Ipv4Address.read(b, 24),
    };
  }
  let o = 8;
  const take = (n: number): Uint8Array => {
    const s = b.subarray(o, o + n);
    o += n;
    return s;
  };
  return {
    form: 'generic',
    hardwareType,
    protocolType,
    op,
    senderHardware: take(hlen),
    senderProtocol: take(plen),
    targetHardware: take(hlen),
    targetProtocol: take(plen),
  };
}

export function encodingLength(a: Loose<Arp>): number {
  if (a.form === 'ethernet-ipv4') return ETHERNET_IPV4_LENGTH;
  return 8 + 2 * (bytesFrom(a.senderHardware, 'senderHardware').length + bytesFrom(a.senderProtocol, 'senderProtocol').length);
}

export function encode(a: Loose<Arp>, buf?: Uint8Array, offset = 0): Uint8Array {
  const len = encodingLength(a);
  const b = allocate(len, buf, offset, 'arp');
  const o = offset;
  const htype = checkUint(a.hardwareType, 16, 'hardwareType');
  const op = checkUint(a.op, 16, 'op');
  b[o] = htype >>> 8;
  b[o + 1] = htype;
  b[o + 6] = op >>> 8;
  b[o + 7] = op;
  if (a.form === 'ethernet-ipv4') {
    b[o + 2] = 0x08;
    b[o + 3] = 0x00;
    b[o + 4] = 6;
    b[o + 5] = 4;
    MacAddress.from(a.senderMac, 'senderMac').write(b, o + 8);
    Ipv4Address.from(a.senderIp, 'senderIp').write(b, o + 14);
    MacAddress.from(a.targetMac, 'targetMac').write(b, o + 18);
    Ipv4Address.from(a.targetIp, 'targetIp').write(b, o + 24);
    return b;
  }
  const sha = bytesFrom(a.senderHardware, 'senderHardware');
  const spa = bytesFrom(a.senderProtocol, 'senderProtocol');
  const tha = bytesFrom(a.targetHardware, 'targetHardware');
  const tpa = bytesFrom(a.targetProtocol, 'targetProtocol');
  if (tha.length !== sha.length) throw new EncodeError('must have as many bytes as senderHardware', 'targetHardware');
  if (tpa.length !== spa.length) throw new EncodeError('must have as many bytes as senderProtocol', 'targetProtocol');
  const ptype = checkUint(a.protocolType, 16, 'protocolType');
  b[o + 2] = ptype >>> 8;
  b[o + 3] = ptype;
  b[o + 4] = checkUint(sha.length, 8, 'senderHardware.length');
  b[o + 5] = checkUint(spa.length, 8, 'senderProtocol.length');
  let p = o + 8;
  for (const part of [sha, spa, tha, tpa]) {
    b.set(part, p);
    p += part.length;
  }
  return b;
}
