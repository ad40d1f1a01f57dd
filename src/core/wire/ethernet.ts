/** Ethernet II frames with at most one IEEE 802.1Q tag. */
import { allocate } from './codec.js';
import { DecodeError, checkUint, need } from './errors.js';
import { MacAddress } from './mac-address.js';
import { bytesFrom, type Loose } from './loose.js';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_IPV6 = 0x86dd;

export const HEADER_LENGTH = 14;
export const VLAN_TAG_LENGTH = 4;

export interface VlanTag {
  /** Priority code point, 0..7. */
  pcp: number;
  /** Drop eligible indicator. */
  dei: boolean;
  /** VLAN identifier, 0..4095. */
  id: number;
}

export interface EthernetFrame {
  dst: MacAddress;
  src: MacAddress;
  vlan?: VlanTag;
  etherType: number;
  payload: Uint8Array;
}

export function decode(b: Uint8Array): EthernetFrame {
  need(b, 0, HEADER_LENGTH, 'header', 'Ethernet header');
  const dst = MacAddress.read(b, 0);
  const src = MacAddress.read(b, 6);
  let type = (b[12] << 8) | b[13];
  if (type !== ETHERTYPE_VLAN) return { dst, src, etherType: type, payload: b.subarray(HEADER_LENGTH) };
  if (b.length < HEADER_LENGTH + VLAN_TAG_LENGTH) {
    throw new DecodeError('802.1Q tag truncated', 'vlan', HEADER_LENGTH);
  }
  const tci = (b[14] << 8) | b[15];
  type = (b[16] << 8) | b[17];
  const vlan = { pcp: tci >>> 13, dei: (tci & 0x1000) !== 0, id: tci & 0xfff };
  return { dst, src, vlan, etherType: type, payload: b.subarray(HEADER_LENGTH + VLAN_TAG_LENGTH) };
}

export function encodingLength(f: Loose<EthernetFrame>): number {
  return HEADER_LENGTH + (f.vlan ? VLAN_TAG_LENGTH : 0) + bytesFrom(f.payload, 'payload').length;
}

export function encode(f: Loose<EthernetFrame>, buf?: Uint8Array, offset = 0): Uint8Array {
  const payload = bytesFrom(f.payload, 'payload');
  const len = HEADER_LENGTH + (f.vlan ? VLAN_TAG_LENGTH : 0) + payload.length;
  const b = allocate(len, buf, offset, 'ethernet');
  MacAddress.from(f.dst, 'dst').write(b, offset);
  MacAddress.from(f.src, 'src').write(b, offset + 6);
  let o = offset + 12;
  if (f.vlan) {
    const tci = (checkUint(f.vlan.pcp, 3, 'vlan.pcp') << 13) | (f.vlan.dei ? 0x1000 : 0) | checkUint(f.vlan.id, 12, 'vlan.id');
    b[o] = 0x81;
    b[o + 1] = 0x00;
    b[o + 2] = tci >>> 8;
    b[o + 3] = tci;
    o += 4;
  }
  const type = checkUint(f.etherType, 16, 'etherType');
  b[o] = type >>> 8;
  b[o + 1] = type;
  b.set(payload, o + 2);
  return b;
}
