/**
 * pcapng and classic pcap files: linklab's writer read back, and files from elsewhere written out
 * byte by byte (a big-endian pcapng section with nanosecond timestamps, which tshark also reads
 * as described in the comments; classic pcap in both byte orders with both magics).
 */
import { describe, expect, it } from 'vitest';
import * as pcapng from '../../../src/core/wire/pcapng.js';
import * as pcap from '../../../src/core/wire/pcap.js';
import * as packet from '../../../src/core/wire/packet.js';
import { LINKTYPE_ETHERNET, LINKTYPE_IPV6, LINKTYPE_RAW } from '../../../src/core/wire/linktype.js';
import { DecodeError } from '../../../src/core/wire/errors.js';
import { hex, toHexString } from './hex.js';

const ARP_FRAME = hex('ffffffffffff 525400123456 0806 0001 0800 06 04 0001 525400123456 c0000201 000000000000 c0000202');

function decodeError(f: () => unknown): DecodeError {
  try {
    f();
  } catch (err) {
    if (err instanceof DecodeError) return err;
    throw err;
  }
  throw new Error('expected a DecodeError');
}

describe('pcapng written by linklab', () => {
  it('reads back several interfaces with names, microsecond timestamps, lengths and comments', () => {
    const w = new pcapng.PcapngWriter('linklab test');
    const eth = w.addInterface(LINKTYPE_ETHERNET, 'eth0');
    const tun = w.addInterface(LINKTYPE_RAW, 'is0', 1500);
    const anon = w.addInterface(LINKTYPE_IPV6);
    const odd = hex('600000000000 3bff'); // 8 bytes... and one more to force padding
    const oddData = new Uint8Array([...odd, 0x01]);
    w.packet(eth, 1_700_000_000_123_456, ARP_FRAME);
    w.packet(tun, 1_700_000_000_123_457, oddData, 1400, 'cut at 9 bytes');
    w.packet(anon, 0, new Uint8Array(0));
    w.packet(eth, 2 ** 40 + 7, ARP_FRAME.subarray(0, 14), 42);

    const cap = pcapng.read(w.bytes());
    expect(cap.interfaces).toEqual([
      { linkType: LINKTYPE_ETHERNET, name: 'eth0', snapLength: 262144, unitsPerSecond: 1_000_000 },
      { linkType: LINKTYPE_RAW, name: 'is0', snapLength: 1500, unitsPerSecond: 1_000_000 },
      { linkType: LINKTYPE_IPV6, snapLength: 262144, unitsPerSecond: 1_000_000 },
    ]);
    expect(cap.packets.map((p) => [p.interfaceId, p.timestamp, p.data.length, p.originalLength, p.comment])).toEqual([
      [0, 1_700_000_000_123_456, 42, 42, undefined],
      [1, 1_700_000_000_123_457, 9, 1400, 'cut at 9 bytes'],
      [2, 0, 0, 0, undefined],
      [0, 2 ** 40 + 7, 14, 42, undefined],
    ]);
    expect(toHexString(cap.packets[0].data)).toBe(toHexString(ARP_FRAME));
    expect(toHexString(cap.packets[1].data)).toBe(toHexString(oddData));
  });

  it('keeps a comment and an interface name that start with U+FEFF (a byte-order mark is text too)', () => {
    const w = new pcapng.PcapngWriter();
    w.addInterface(LINKTYPE_ETHERNET, '\uFEFFeth0');
    w.packet(0, 1, ARP_FRAME, undefined, '\uFEFF');
    const cap = pcapng.read(w.bytes());
    expect(cap.interfaces[0].name).toBe('\uFEFFeth0');
    expect(cap.packets[0].comment).toBe('\uFEFF');
  });

  it('starts with a section header whose blocks are all multiples of 4 bytes', () => {
    const w = new pcapng.PcapngWriter();
    w.addInterface(LINKTYPE_ETHERNET, 'x');
    w.packet(0, 1, new Uint8Array(5));
    const b = w.bytes();
    expect(toHexString(b.subarray(0, 4))).toBe('0a0d0d0a');
    expect(toHexString(b.subarray(8, 12))).toBe('4d3c2b1a'); // byte-order magic, little-endian
    expect(b.length % 4).toBe(0);
    expect(pcap.sniff(b)).toBe('pcapng');
  });

  it('streams through a sink: the chunks make the same file', () => {
    const chunks: Uint8Array[] = [];
    const w = new pcapng.PcapngWriter('linklab', (c) => chunks.push(c));
    w.addInterface(LINKTYPE_ETHERNET, 'sim0');
    w.packet(0, 5, ARP_FRAME);
    const joined = Uint8Array.from(chunks.flatMap((c) => [...c]));
    expect(pcapng.read(joined).packets[0].timestamp).toBe(5);
    expect(() => w.packet(3, 0, ARP_FRAME)).toThrowError('no interface 3 in this capture');
  });
});

// A big-endian section from another writer: SHB, an IDB for "eth0" with nanosecond resolution,
// an EPB (1700000000.123456789 s, 42 of 60 bytes captured, comment "hi"), a name resolution
// block linklab skips, and a simple packet block. tshark reads this file as: 1700000000.123456789
// eth0 60/42 "hi" 192.0.2.1, then a 42-byte frame on eth0 with no time.
const BIG_ENDIAN = hex(`
  0a0d0d0a 0000001c 1a2b3c4d 0001 0000 ffffffffffffffff 0000001c
  00000001 00000028 0001 0000 00040000
    0002 0004 65746830                 # if_name "eth0"
    0009 0001 09000000                 # if_tsresol 10^-9
    00000000 00000028
  00000006 00000058 00000000
    17979cfe 3d85cd15                  # 1700000000123456789 ns
    0000002a 0000003c                  # captured 42, original 60
    ffffffffffff525400123456 0806 0001 0800 0604 0001 525400123456 c0000201 000000000000 c0000202 0000
    0001 0002 6869 0000                # opt_comment "hi"
    00000000 00000058
  00000004 00000010 00000000 00000010
  00000003 0000003c 0000002a
    ffffffffffff525400123456 0806 0001 0800 0604 0001 525400123456 c0000201 000000000000 c0000202 0000
    0000003c
`);

describe('pcapng from another writer', () => {
  it('reads a big-endian section with nanosecond timestamps, truncated to microseconds', () => {
    const cap = pcapng.read(BIG_ENDIAN);
    expect(cap.interfaces).toEqual([{ linkType: 1, name: 'eth0', snapLength: 262144, unitsPerSecond: 1e9 }]);
    expect(cap.packets).toHaveLength(2);
    const [epb, spb] = cap.packets;
    expect(epb).toMatchObject({ interfaceId: 0, timestamp: 1_700_000_000_123_456, originalLength: 60, comment: 'hi' });
    expect(toHexString(epb.data)).toBe(toHexString(ARP_FRAME));
    expect(packet.decode(epb.data).arp).toMatchObject({ op: 1 });
    expect(spb).toMatchObject({ interfaceId: 0, timestamp: 0, originalLength: 42 });
    expect(toHexString(spb.data)).toBe(toHexString(ARP_FRAME));
  });

  it('reads several sections, each with its own byte order and interface numbering', () => {
    const w = new pcapng.PcapngWriter();
    w.addInterface(LINKTYPE_RAW, 'second');
    w.packet(0, 42, hex('4500'));
    const both = new Uint8Array([...BIG_ENDIAN, ...w.bytes()]);
    const cap = pcapng.read(both);
    expect(cap.interfaces.map((i) => i.name)).toEqual(['eth0', 'second']);
    expect(cap.packets.map((p) => [p.interfaceId, p.timestamp])).toEqual([
      [0, 1_700_000_000_123_456],
      [0, 0],
      [1, 42],
    ]);
  });

  it('keeps nanosecond timestamps exact where a double would round (…999 ns stays in its microsecond)', () => {
    const b = BIG_ENDIAN.slice();
    // 1700000000123456999 ns = 0x17979cfe_3d85cde7: truncated, 1700000000123456 µs.
    b.set(hex('17979cfe 3d85cde7'), 28 + 40 + 12);
    expect(pcapng.read(b).packets[0].timestamp).toBe(1_700_000_000_123_456);
  });

  it('rejects broken files with the block and byte', () => {
    expect(decodeError(() => pcapng.read(BIG_ENDIAN.subarray(28))).message).toBe('block[0]: not a pcapng file: no section header block first at byte 0');
    const badMagic = BIG_ENDIAN.slice();
    badMagic[8] = 0;
    expect(decodeError(() => pcapng.read(badMagic)).message).toBe('block[0].magic: byte-order magic 0x4d3c2b00 is not pcapng\'s at byte 8');
    const badTrailer = BIG_ENDIAN.slice();
    badTrailer[28 + 39] = 0x2c;
    expect(decodeError(() => pcapng.read(badTrailer)).message).toBe('block[1].length: trailing block length differs from the leading one at byte 64');
    expect(decodeError(() => pcapng.read(BIG_ENDIAN.subarray(0, 100))).message).toBe('block[2].length: block of 88 bytes runs past the end of the file at byte 72');
    const noIdb = new Uint8Array([...BIG_ENDIAN.subarray(0, 28), ...BIG_ENDIAN.subarray(68, 156)]);
    expect(decodeError(() => pcapng.read(noIdb)).message).toBe('block[1].interfaceId: packet on interface 0, which was never described at byte 36');
    const bigCaplen = BIG_ENDIAN.slice();
    bigCaplen[68 + 23] = 0x60;
    expect(decodeError(() => pcapng.read(bigCaplen)).message).toBe('block[2].capturedLength: captured length 96 runs past the block at byte 88');
    const badResolution = BIG_ENDIAN.slice();
    badResolution[28 + 28] = 0x7f;
    expect(decodeError(() => pcapng.read(badResolution)).message).toBe('block[1].if_tsresol: timestamp resolution 2^-127/10^-127 is not supported at byte 56');
  });
});

/** A classic pcap header and one record, in the byte order and magic given (written out by hand). */
function classic(order: 'le' | 'be', magic: number, frac: number): Uint8Array {
  const b = new Uint8Array(24 + 16 + ARP_FRAME.length);
  const v = new DataView(b.buffer);
  const le = order === 'le';
  v.setUint32(0, magic, le);
  v.setUint16(4, 2, le);
  v.setUint16(6, 4, le);
  v.setUint32(16, 65535, le);
  v.setUint32(20, 1, le);
  v.setUint32(24, 1_700_000_000, le);
  v.setUint32(28, frac, le);
  v.setUint32(32, ARP_FRAME.length, le);
  v.setUint32(36, 60, le);
  b.set(ARP_FRAME, 40);
  return b;
}

describe('classic pcap', () => {
  it('the little-endian microsecond header as tcpdump writes it on x86', () => {
    const b = classic('le', 0xa1b2c3d4, 123456);
    expect(toHexString(b.subarray(0, 24))).toBe('d4c3b2a1020004000000000000000000ffff000001000000');
    expect(pcap.sniff(b)).toBe('pcap');
  });

  for (const [order, magic, frac, name] of [
    ['le', 0xa1b2c3d4, 123456, 'little-endian, microseconds'],
    ['be', 0xa1b2c3d4, 123456, 'big-endian, microseconds'],
    ['le', 0xa1b23c4d, 123456789, 'little-endian, nanoseconds'],
    ['be', 0xa1b23c4d, 123456789, 'big-endian, nanoseconds'],
  ] as const) {
    it(`reads ${name}`, () => {
      const cap = pcap.readCapture(classic(order, magic, frac));
      expect(cap.interfaces).toEqual([{ linkType: 1, snapLength: 65535, unitsPerSecond: 1_000_000 }]);
      expect(cap.packets).toHaveLength(1);
      expect(cap.packets[0]).toMatchObject({ interfaceId: 0, timestamp: 1_700_000_000_123_456, originalLength: 60 });
      expect(toHexString(cap.packets[0].data)).toBe(toHexString(ARP_FRAME));
    });
  }

  it('rejects what is not a capture, and a cut record', () => {
    expect(decodeError(() => pcap.readCapture(hex('00112233 44556677'))).message).toBe('magic: neither a pcap nor a pcapng file at byte 0');
    expect(pcap.sniff(hex('0a0d'))).toBeNull();
    const b = classic('le', 0xa1b2c3d4, 0);
    expect(decodeError(() => pcap.read(b.subarray(0, 50))).message).toBe('record[0].capturedLength: captured length 42 runs past the end of the file at byte 32');
    expect(decodeError(() => pcap.read(b.subarray(0, 30))).message).toBe('record[0]: record header truncated at byte 24');
    expect(decodeError(() => pcap.read(b.subarray(0, 20))).message).toBe('header: file header truncated at byte 0');
  });
});
