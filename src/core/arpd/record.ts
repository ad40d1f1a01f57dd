/**
 * The database's key and value formats. A key is (ifindex, IPv4), big-endian, so entries sort by
 * interface then address. A value starts with a tag byte, so a negative entry can never be
 * mistaken for a MAC address (the original marked negatives by a first byte of 0xff, which any
 * MAC starting with ff matched).
 */
import { MacAddress } from '../wire/mac-address.js';
import { Ipv4Address } from '../wire/ipv4-address.js';

export const KEY_LENGTH = 8;
const TAG_POSITIVE = 1;
const TAG_NEGATIVE = 2;

export interface PositiveEntry {
  kind: 'positive';
  mac: MacAddress;
  /** When the address was last heard, epoch seconds. */
  seen: number;
}

export interface NegativeEntry {
  kind: 'negative';
  /** Broadcast queries sent since the kernel reported the host dead. */
  probes: number;
  /** When the kernel last reported it dead, epoch seconds. */
  since: number;
}

export type ArpEntry = PositiveEntry | NegativeEntry;

export interface ArpKey {
  ifindex: number;
  ip: Ipv4Address;
}

export function encodeKey(ifindex: number, ip: Ipv4Address): Uint8Array {
  const b = new Uint8Array(KEY_LENGTH);
  const v = new DataView(b.buffer);
  v.setUint32(0, ifindex >>> 0);
  v.setUint32(4, ip.value);
  return b;
}

export function decodeKey(b: Uint8Array): ArpKey | null {
  if (b.length !== KEY_LENGTH) return null;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { ifindex: v.getUint32(0), ip: new Ipv4Address(v.getUint32(4)) };
}

export function encodeEntry(e: ArpEntry): Uint8Array {
  if (e.kind === 'positive') {
    const b = new Uint8Array(11);
    b[0] = TAG_POSITIVE;
    e.mac.write(b, 1);
    new DataView(b.buffer).setUint32(7, e.seen >>> 0);
    return b;
  }
  const b = new Uint8Array(6);
  b[0] = TAG_NEGATIVE;
  b[1] = Math.min(255, e.probes);
  new DataView(b.buffer).setUint32(2, e.since >>> 0);
  return b;
}

/** Decodes a stored value; null for anything that is not one of ours (it is then ignored). */
export function decodeEntry(b: Uint8Array): ArpEntry | null {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length === 11 && b[0] === TAG_POSITIVE) return { kind: 'positive', mac: MacAddress.read(b, 1), seen: v.getUint32(7) };
  if (b.length === 6 && b[0] === TAG_NEGATIVE) return { kind: 'negative', probes: b[1], since: v.getUint32(2) };
  return null;
}
