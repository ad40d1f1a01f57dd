/**
 * pcapng (draft-ietf-opsawg-pcapng): a writer of one section with interface and enhanced packet
 * blocks in microseconds, and a reader of any section, either byte order, with simple and
 * obsolete packet blocks too. Timestamps are integer microseconds.
 */
import { DecodeError } from './errors.js';

const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const OBSOLETE_PB = 0x00000002;
const SPB = 0x00000003;
const EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPT_END = 0;
const OPT_COMMENT = 1;
const IF_NAME = 2;
const IF_TSRESOL = 9;
const SHB_USERAPPL = 4;

const TWO32 = 0x1_0000_0000;
const encoder = new TextEncoder();

export interface PcapngInterface {
  linkType: number;
  name?: string;
  snapLength: number;
  /** Units per second of this interface's timestamps. */
  unitsPerSecond: number;
}

export interface CapturedPacket {
  interfaceId: number;
  /** Microseconds since the epoch (or since the start of a simulated run). */
  timestamp: number;
  data: Uint8Array;
  originalLength: number;
  comment?: string;
}

export interface Capture {
  interfaces: PcapngInterface[];
  packets: CapturedPacket[];
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** Builds one pcapng option (code, length, value, padding) into `parts`. */
function option(code: number, value: Uint8Array): Uint8Array {
  const b = new Uint8Array(4 + pad4(value.length));
  const v = new DataView(b.buffer);
  v.setUint16(0, code, true);
  v.setUint16(2, value.length, true);
  b.set(value, 4);
  return b;
}

function block(type: number, body: Uint8Array[]): Uint8Array {
  const bodyLen = body.reduce((n, p) => n + p.length, 0);
  const total = 12 + bodyLen;
  const b = new Uint8Array(total);
  const v = new DataView(b.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, total, true);
  let o = 8;
  for (const p of body) {
    b.set(p, o);
    o += p.length;
  }
  v.setUint32(total - 4, total, true);
  return b;
}

function endOfOptions(): Uint8Array {
  return new Uint8Array(4); // opt_endofopt: code 0, length 0
}

/**
 * Writes a little-endian pcapng stream through `sink` (default: kept in memory for `bytes()`).
 * Interfaces use microsecond timestamps, pcapng's default resolution.
 */
export class PcapngWriter {
  private readonly kept: Uint8Array[] = [];
  private interfaces = 0;

  constructor(
    application = 'linklab',
    private readonly sink: (chunk: Uint8Array) => void = (c) => this.kept.push(c),
  ) {
    const head = new Uint8Array(16);
    const v = new DataView(head.buffer);
    v.setUint32(0, BYTE_ORDER_MAGIC, true);
    v.setUint16(4, 1, true);
    v.setUint16(6, 0, true);
    v.setInt32(8, -1, true); // section length unknown: -1 as a 64-bit value
    v.setInt32(12, -1, true);
    this.sink(block(SHB, [head, option(SHB_USERAPPL, encoder.encode(application)), endOfOptions()]));
  }

  /** Adds an interface description; returns its id for `packet`. */
  addInterface(linkType: number, name?: string, snapLength = 262144): number {
    const head = new Uint8Array(8);
    const v = new DataView(head.buffer);
    v.setUint16(0, linkType, true);
    v.setUint32(4, snapLength, true);
    const opts: Uint8Array[] = [];
    if (name !== undefined) opts.push(option(IF_NAME, encoder.encode(name)));
    opts.push(option(IF_TSRESOL, Uint8Array.of(6)), endOfOptions());
    this.sink(block(IDB, [head, ...opts]));
    return this.interfaces++;
  }

  /** Adds an enhanced packet block with a timestamp in microseconds. */
  packet(interfaceId: number, timestamp: number, data: Uint8Array, originalLength = data.length, comment?: string): void {
    if (interfaceId >= this.interfaces) throw new RangeError(`no interface ${interfaceId} in this capture`);
    const head = new Uint8Array(20);
    const v = new DataView(head.buffer);
    v.setUint32(0, interfaceId, true);
    v.setUint32(4, Math.floor(timestamp / TWO32), true);
    v.setUint32(8, timestamp >>> 0, true);
    v.setUint32(12, data.length, true);
    v.setUint32(16, originalLength, true);
    const padded = new Uint8Array(pad4(data.length));
    padded.set(data);
    const parts: Uint8Array[] = [head, padded];
    if (comment !== undefined) parts.push(option(OPT_COMMENT, encoder.encode(comment)), endOfOptions());
    this.sink(block(EPB, parts));
  }

  /** The whole stream so far, when no sink was given. */
  bytes(): Uint8Array {
    const total = this.kept.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(total);
    let o = 0;
    for (const c of this.kept) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

/** Reads the options in `b[o..end)`, calling `each(code, value)`. */
function readOptions(b: Uint8Array, o: number, end: number, le: boolean, each: (code: number, value: Uint8Array) => void): void {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let p = o;
  while (p + 4 <= end) {
    const code = v.getUint16(p, le);
    const len = v.getUint16(p + 2, le);
    if (code === OPT_END) return;
    if (p + 4 + len > end) throw new DecodeError(`option ${code} of ${len} bytes runs past its block`, 'options', p);
    each(code, b.subarray(p + 4, p + 4 + len));
    p += 4 + pad4(len);
  }
}

function unitsOf(tsresol: number, field: string, offset: number): number {
  const exp = tsresol & 0x7f;
  if (exp > 30) throw new DecodeError(`timestamp resolution 2^-${exp}/10^-${exp} is not supported`, field, offset);
  return tsresol & 0x80 ? 2 ** exp : 10 ** exp;
}

/**
 * A 64-bit timestamp in `unitsPerSecond` as integer microseconds, truncated like the pcap reader.
 * Past 2^53 units (nanosecond clocks) doubles lose digits, so other resolutions go through BigInt,
 * exact for binary resolutions and decimal ones down to 10^-22 s.
 */
function toMicros(high: number, low: number, unitsPerSecond: number): number {
  if (unitsPerSecond === 1_000_000) return high * TWO32 + low;
  const units = (BigInt(high) << 32n) | BigInt(low);
  return Number((units * 1_000_000n) / BigInt(unitsPerSecond));
}

// ignoreBOM: a comment that starts with U+FEFF keeps it; the bytes are the comment.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Reads a whole pcapng file. */
export function read(b: Uint8Array): Capture {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const interfaces: PcapngInterface[] = [];
  const packets: CapturedPacket[] = [];
  let sectionBase = 0; // interface ids restart in every section
  let le = true;
  let o = 0;
  let blockIndex = 0;
  while (o < b.length) {
    const field = `block[${blockIndex}]`;
    if (o + 12 > b.length) throw new DecodeError('block header truncated', field, o);
    let type = v.getUint32(o, le);
    if (v.getUint32(o, true) === SHB) {
      type = SHB;
      if (o + 12 > b.length) throw new DecodeError('section header truncated', field, o);
      const magic = v.getUint32(o + 8, true);
      if (magic === BYTE_ORDER_MAGIC) le = true;
      else if (magic === 0x4d3c2b1a) le = false;
      else throw new DecodeError(`byte-order magic 0x${magic.toString(16)} is not pcapng's`, `${field}.magic`, o + 8);
      sectionBase = interfaces.length;
    } else if (blockIndex === 0) {
      throw new DecodeError('not a pcapng file: no section header block first', field, o);
    }
    const total = v.getUint32(o + 4, le);
    if (total < 12 || total % 4 !== 0) throw new DecodeError(`block length ${total} is not a multiple of 4 of at least 12`, `${field}.length`, o + 4);
    if (o + total > b.length) throw new DecodeError(`block of ${total} bytes runs past the end of the file`, `${field}.length`, o + 4);
    if (v.getUint32(o + total - 4, le) !== total) {
      throw new DecodeError('trailing block length differs from the leading one', `${field}.length`, o + total - 4);
    }
    const body = o + 8;
    const end = o + total - 4;
    switch (type) {
      case SHB:
        break;
      case IDB: {
        if (end - body < 8) throw new DecodeError('interface description truncated', field, body);
        const ifc: PcapngInterface = { linkType: v.getUint16(body, le), snapLength: v.getUint32(body + 4, le), unitsPerSecond: 1_000_000 };
        readOptions(b, body + 8, end, le, (code, value) => {
          if (code === IF_NAME) ifc.name = decoder.decode(value).replace(/\0+$/, '');
          if (code === IF_TSRESOL && value.length >= 1) {
            ifc.unitsPerSecond = unitsOf(value[0], `${field}.if_tsresol`, value.byteOffset - b.byteOffset);
          }
        });
        interfaces.push(ifc);
        break;
      }
      case EPB:
      case OBSOLETE_PB: {
        if (end - body < 20) throw new DecodeError('packet block truncated', field, body);
        const id = type === EPB ? v.getUint32(body, le) : v.getUint16(body, le);
        const ifc = interfaces[sectionBase + id];
        if (!ifc) throw new DecodeError(`packet on interface ${id}, which was never described`, `${field}.interfaceId`, body);
        const caplen = v.getUint32(body + 12, le);
        const origlen = v.getUint32(body + 16, le);
        if (body + 20 + caplen > end) throw new DecodeError(`captured length ${caplen} runs past the block`, `${field}.capturedLength`, body + 12);
        const pkt: CapturedPacket = {
          interfaceId: sectionBase + id,
          timestamp: toMicros(v.getUint32(body + 4, le), v.getUint32(body + 8, le), ifc.unitsPerSecond),
          data: b.subarray(body + 20, body + 20 + caplen),
          originalLength: origlen,
        };
        readOptions(b, body + 20 + pad4(caplen), end, le, (code, value) => {
          if (code === OPT_COMMENT) pkt.comment = decoder.decode(value);
        });
        packets.push(pkt);
        break;
      }
      case SPB: {
        if (end - body < 4) throw new DecodeError('simple packet block truncated', field, body);
        const ifc = interfaces[sectionBase];
        if (!ifc) throw new DecodeError('simple packet before any interface', field, body);
        const origlen = v.getUint32(body, le);
        const caplen = Math.min(origlen, ifc.snapLength || origlen, end - body - 4);
        packets.push({ interfaceId: sectionBase, timestamp: 0, data: b.subarray(body + 4, body + 4 + caplen), originalLength: origlen });
        break;
      }
      default:
        break; // name resolution, statistics and custom blocks carry nothing linklab reads
    }
    o += total;
    blockIndex++;
  }
  return { interfaces, packets };
}
