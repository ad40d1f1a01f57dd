/** Classic libpcap files (microsecond or nanosecond magic, either byte order), and sniffing the format. */
import { DecodeError } from './errors.js';
import * as pcapng from './pcapng.js';

export function read(b: Uint8Array): pcapng.Capture {
  if (b.length < 24) throw new DecodeError('file header truncated', 'header', 0);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const magicLe = v.getUint32(0, true);
  let le: boolean;
  let nanos: boolean;
  if (magicLe === 0xa1b2c3d4 || magicLe === 0xa1b23c4d) {
    le = true;
    nanos = magicLe === 0xa1b23c4d;
  } else {
    const magicBe = v.getUint32(0, false);
    if (magicBe !== 0xa1b2c3d4 && magicBe !== 0xa1b23c4d) {
      throw new DecodeError(`magic 0x${magicLe.toString(16)} is not a pcap file's`, 'magic', 0);
    }
    le = false;
    nanos = magicBe === 0xa1b23c4d;
  }
  const snapLength = v.getUint32(16, le);
  const linkType = v.getUint32(20, le) & 0xffff;
  const packets: pcapng.CapturedPacket[] = [];
  let o = 24;
  while (o < b.length) {
    const field = `record[${packets.length}]`;
    if (o + 16 > b.length) throw new DecodeError('record header truncated', field, o);
    const sec = v.getUint32(o, le);
    const frac = v.getUint32(o + 4, le);
    const caplen = v.getUint32(o + 8, le);
    const origlen = v.getUint32(o + 12, le);
    if (o + 16 + caplen > b.length) throw new DecodeError(`captured length ${caplen} runs past the end of the file`, `${field}.capturedLength`, o + 8);
    packets.push({
      interfaceId: 0,
      timestamp: sec * 1_000_000 + (nanos ? Math.floor(frac / 1000) : frac),
      data: b.subarray(o + 16, o + 16 + caplen),
      originalLength: origlen,
    });
    o += 16 + caplen;
  }
  return { interfaces: [{ linkType, snapLength, unitsPerSecond: 1_000_000 }], packets };
}

export type CaptureFormat = 'pcap' | 'pcapng';

/** Which capture format `b` starts with, or null when it is neither. */
export function sniff(b: Uint8Array): CaptureFormat | null {
  if (b.length < 4) return null;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const m = v.getUint32(0, true);
  if (m === 0x0a0d0d0a) return 'pcapng';
  if ([0xa1b2c3d4, 0xa1b23c4d, 0xd4c3b2a1, 0x4d3cb2a1].includes(m)) return 'pcap';
  return null;
}

/** Reads a pcap or pcapng file. */
export function readCapture(b: Uint8Array): pcapng.Capture {
  const format = sniff(b);
  if (format === 'pcapng') return pcapng.read(b);
  if (format === 'pcap') return read(b);
  throw new DecodeError('neither a pcap nor a pcapng file', 'magic', 0);
}
