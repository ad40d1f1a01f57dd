/**
 * What arpd learns from an ARP packet seen on an interface: requests and replies for IPv4 over
 * Ethernet, keyed by the receiving interface and the sender's address. Announcements from
 * 0.0.0.0 (duplicate address detection) teach nothing, and neither do senders claiming a
 * broadcast, multicast or zero MAC.
 */
import * as ethernet from '../wire/ethernet.js';
import * as arp from '../wire/arp.js';
import { Ipv4Address } from '../wire/ipv4-address.js';
import { MacAddress } from '../wire/mac-address.js';
import { DecodeError } from '../wire/errors.js';

export type Lesson = { ok: true; ip: Ipv4Address; mac: MacAddress } | { ok: false; why: string };

export function lessonOf(frame: Uint8Array): Lesson {
  return quickLesson(frame) ?? slowLesson(frame);
}

/**
 * The common case read straight from the bytes (untagged Ethernet, an IPv4 request or reply from
 * a real sender), with no decoding into objects; null sends the frame to the full decode, which
 * also says why a frame teaches nothing. Both agree on every frame (test/property/arpd).
 */
export function quickLesson(b: Uint8Array): Lesson | null {
  if (b.length < 42 || b[12] !== 0x08 || b[13] !== 0x06) return null; // Ethernet + ARP for IPv4
  if (b[16] !== 0x08 || b[17] !== 0x00 || b[18] !== 6 || b[19] !== 4 || b[20] !== 0 || (b[21] !== 1 && b[21] !== 2)) return null;
  const ip = ((b[28] << 24) | (b[29] << 16) | (b[30] << 8) | b[31]) >>> 0;
  if (ip === 0 || (b[22] & 1) === 1) return null; // DAD probe; multicast or broadcast sender
  const mac = MacAddress.read(b, 22);
  if (mac.isZero) return null;
  return { ok: true, ip: new Ipv4Address(ip), mac };
}

export function slowLesson(frame: Uint8Array): Lesson {
  // EtherType first: most frames on a busy link are not ARP.
  if (frame.length < ethernet.HEADER_LENGTH) return { ok: false, why: 'short frame' };
  let f: ethernet.EthernetFrame;
  let a: arp.Arp;
  try {
    f = ethernet.decode(frame);
    if (f.etherType !== ethernet.ETHERTYPE_ARP) return { ok: false, why: 'not ARP' };
    a = arp.decode(f.payload);
  } catch (err) {
    if (err instanceof DecodeError) return { ok: false, why: err.message };
    throw err;
  }
  if (a.form !== 'ethernet-ipv4') return { ok: false, why: 'not IPv4 over Ethernet' };
  if (a.op !== arp.OP_REQUEST && a.op !== arp.OP_REPLY) return { ok: false, why: `op ${a.op}` };
  if (a.senderIp.isUnspecified) return { ok: false, why: 'sender 0.0.0.0' };
  if (a.senderMac.isZero || a.senderMac.isMulticast) return { ok: false, why: `sender MAC ${a.senderMac}` };
  return { ok: true, ip: a.senderIp, mac: a.senderMac };
}
