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
  putUint32(b, 0, ifindex);
  putUint32(b, 4, ip.value);
  return b;
}

export function decodeKey(b: Uint8Array): ArpKey | null {
  if (b.length !== KEY_LENGTH) return null;
  return { ifindex: getUint32(b, 0), ip: new Ipv4Address(getUint32(b, 4)) };
}

export function encodeEntry(e: ArpEntry): Uint8Array {
  if (e.kind === 'positive') {
    const b = new Uint8Array(11);
    b[0] = TAG_POSITIVE;
    e.mac.write(b, 1);
    putUint32(b, 7, e.seen);
    return b;
  }
  const b = new Uint8Array(6);
  b[0] = TAG_NEGATIVE;
  b[1] = Math.min(255, e.probes);
  putUint32(b, 2, e.since);
  return b;
}

/** Decodes a stored value; null for anything that is not one of ours (it is then ignored). */
export function decodeEntry(b: Uint8Array): ArpEntry | null {
  if (b.length === 11 && b[0] === TAG_POSITIVE) return { kind: 'positive', mac: MacAddress.read(b, 1), seen: getUint32(b, 7) };
  if (b.length === 6 && b[0] === TAG_NEGATIVE) return { kind: 'negative', probes: b[1], since: getUint32(b, 2) };
  return null;
}

/** Whether a key and value are a record arpd writes (checked by the privileged side, per record). */
export function isRecord(key: Uint8Array, value: Uint8Array): boolean {
  if (key.length !== KEY_LENGTH) return false;
  return (value.length === 11 && value[0] === TAG_POSITIVE) || (value.length === 6 && value[0] === TAG_NEGATIVE);
}

/** Whether a stored value is the positive entry for `mac` (checked on every packet, so no decode). */
export function isPositiveFor(b: Uint8Array, mac: MacAddress): boolean {
  if (b.length !== 11 || b[0] !== TAG_POSITIVE) return false;
  const v = mac.value;
  const hi = Math.floor(v / 0x1_0000_0000);
  return b[1] === hi >>> 8 && b[2] === (hi & 0xff) && getUint32(b, 3) === v % 0x1_0000_0000;
}

/** The `seen` time of a positive entry's stored value. */
export function seenOf(b: Uint8Array): number {
  return getUint32(b, 7);
}

// Big-endian, without a DataView per call (they cost more than the work on this path).
function putUint32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = v >>> 16;
  b[o + 2] = v >>> 8;
  b[o + 3] = v;
}

function getUint32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}
