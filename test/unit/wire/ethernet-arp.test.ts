/** Ethernet II (with and without an 802.1Q tag) and ARP (RFC 826) from hand-written frames. */
import { describe, expect, it } from 'vitest';
import * as ethernet from '../../../src/core/wire/ethernet.js';
import * as arp from '../../../src/core/wire/arp.js';
import * as packet from '../../../src/core/wire/packet.js';
import { DecodeError } from '../../../src/core/wire/errors.js';
import { hex, toHexString } from './hex.js';

const ARP_REQUEST = hex(`
  0001            # hardware type Ethernet
  0800            # protocol type IPv4
  06 04           # hardware and protocol address lengths
  0001            # op: request
  525400123456    # sender MAC
  c0000201        # sender IP 192.0.2.1
  000000000000    # target MAC (unknown)
  c0000202        # target IP 192.0.2.2
`);

const ARP_REPLY = hex(`
  0001 0800 06 04
  0002            # op: reply
  02005e000186    # sender MAC
  c0000202        # sender IP 192.0.2.2
  525400123456    # target MAC
  c0000201        # target IP 192.0.2.1
`);

// A broadcast request as it leaves a NIC: padded with zeros to the 60-byte minimum frame.
const REQUEST_FRAME = hex(`
  ffffffffffff 525400123456 0806
  0001 0800 06 04 0001 525400123456 c0000201 000000000000 c0000202
  000000000000000000000000000000000000
`);

describe('Ethernet', () => {
  it('decodes a plain Ethernet II header and keeps the rest as payload', () => {
    const f = ethernet.decode(REQUEST_FRAME);
    expect(REQUEST_FRAME.length).toBe(60);
    expect(f.dst.toString()).toBe('ff:ff:ff:ff:ff:ff');
    expect(f.dst.isBroadcast).toBe(true);
    expect(f.src.toString()).toBe('52:54:00:12:34:56');
    expect(f.src.isMulticast).toBe(false);
    expect(f.vlan).toBeUndefined();
    expect(f.etherType).toBe(ethernet.ETHERTYPE_ARP);
    expect(f.payload.length).toBe(46);
    expect(toHexString(ethernet.encode(f))).toBe(toHexString(REQUEST_FRAME));
  });

  it('decodes an 802.1Q tag: priority 5, DEI, VLAN 100', () => {
    const tagged = hex(`
      33330000 0001 02005e000186
      8100 b064         # TPID, TCI: PCP 5 (101), DEI 1, VID 100 (0x064)
      86dd              # inner EtherType IPv6
      6000
    `);
    const f = ethernet.decode(tagged);
    expect(f.dst.toString()).toBe('33:33:00:00:00:01');
    expect(f.dst.isMulticast).toBe(true);
    expect(f.vlan).toEqual({ pcp: 5, dei: true, id: 100 });
    expect(f.etherType).toBe(ethernet.ETHERTYPE_IPV6);
    expect(toHexString(f.payload)).toBe('6000');
    expect(toHexString(ethernet.encode(f))).toBe(toHexString(tagged));
  });

  it('rejects a short header and a cut tag', () => {
    expect(() => ethernet.decode(hex('ffffffffffff 525400123456 08'))).toThrowError('header: Ethernet header needs 14 bytes, 13 present at byte 0');
    expect(() => ethernet.decode(hex('ffffffffffff 525400123456 8100 00'))).toThrowError('vlan: 802.1Q tag truncated at byte 14');
  });

  it('refuses to encode a VLAN id or EtherType out of range, naming the field', () => {
    const base = { dst: 'ff:ff:ff:ff:ff:ff', src: '52:54:00:12:34:56', etherType: 0x0806, payload: '' };
    expect(() => ethernet.encode({ ...base, vlan: { pcp: 0, dei: false, id: 4096 } })).toThrowError(/^vlan\.id: expected an integer 0\.\.4095, got 4096$/);
    expect(() => ethernet.encode({ ...base, etherType: 0x10000 })).toThrowError(/^etherType: /);
    expect(() => ethernet.encode({ ...base, src: '52:54:00:12:34' })).toThrowError(/^src: expected a MAC address/);
  });
});

describe('ARP', () => {
  it('decodes a request field by field', () => {
    const a = arp.decode(ARP_REQUEST);
    if (a.form !== 'ethernet-ipv4') throw new Error(`expected ethernet-ipv4, got ${a.form}`);
    expect(a.hardwareType).toBe(1);
    expect(a.op).toBe(arp.OP_REQUEST);
    expect(a.senderMac.toString()).toBe('52:54:00:12:34:56');
    expect(a.senderIp.toString()).toBe('192.0.2.1');
    expect(a.targetMac.isZero).toBe(true);
    expect(a.targetIp.toString()).toBe('192.0.2.2');
    expect(toHexString(arp.encode(a))).toBe(toHexString(ARP_REQUEST));
  });

  it('decodes a reply field by field', () => {
    const a = arp.decode(ARP_REPLY);
    if (a.form !== 'ethernet-ipv4') throw new Error(`expected ethernet-ipv4, got ${a.form}`);
    expect(a.op).toBe(arp.OP_REPLY);
    expect(a.senderMac.toString()).toBe('02:00:5e:00:01:86');
    expect(a.senderIp.toString()).toBe('192.0.2.2');
    expect(a.targetMac.toString()).toBe('52:54:00:12:34:56');
    expect(a.targetIp.toString()).toBe('192.0.2.1');
    expect(toHexString(arp.encode(a))).toBe(toHexString(ARP_REPLY));
  });

  it('ignores the Ethernet padding after the 28 ARP bytes', () => {
    const p = packet.decode(REQUEST_FRAME);
    expect(p.arp?.form).toBe('ethernet-ipv4');
    expect(p.payload).toBeUndefined();
  });

  it('decodes other address lengths as raw bytes: ARP over InfiniBand (RFC 4391, 20-byte hardware addresses)', () => {
    const ib = hex(`
      0020                                      # hardware type 32, InfiniBand
      0800 14 04                                # IPv4, hlen 20, plen 4
      0001
      00000404 fe800000000000000002c90300012345 # sender: QPN and GID
      c0000201
      0000000000000000000000000000000000000000
      c0000202
    `);
    const a = arp.decode(ib);
    if (a.form !== 'generic') throw new Error(`expected generic, got ${a.form}`);
    expect(a.hardwareType).toBe(32);
    expect(a.protocolType).toBe(0x0800);
    expect(a.op).toBe(1);
    expect(toHexString(a.senderHardware)).toBe('00000404fe800000000000000002c90300012345');
    expect(toHexString(a.senderProtocol)).toBe('c0000201');
    expect(toHexString(a.targetHardware)).toBe('0000000000000000000000000000000000000000');
    expect(toHexString(a.targetProtocol)).toBe('c0000202');
    expect(toHexString(arp.encode(a))).toBe(toHexString(ib));
  });

  it('Ethernet-length addresses for a protocol other than IPv4 stay generic', () => {
    const b = ARP_REQUEST.slice();
    b[2] = 0x86;
    b[3] = 0xdd;
    expect(arp.decode(b).form).toBe('generic');
  });

  it('rejects a packet shorter than its address lengths say, pointing at hlen', () => {
    const cut = ARP_REQUEST.subarray(0, 27);
    expect(() => arp.decode(cut)).toThrowError('hlen: addresses need 28 bytes, packet has 27 at byte 4');
    // Seen from a whole frame the path and offset are the frame's.
    const frame = REQUEST_FRAME.subarray(0, 14 + 27);
    try {
      packet.decode(frame);
      throw new Error('no error');
    } catch (err) {
      expect(err).toBeInstanceOf(DecodeError);
      expect((err as DecodeError).message).toBe('arp.hlen: addresses need 28 bytes, packet has 27 at byte 18');
    }
    expect(() => arp.decode(hex('0001 0800 06'))).toThrowError('header: ARP header needs 8 bytes, 5 present at byte 0');
  });

  it('refuses to encode generic addresses of unequal lengths', () => {
    expect(() =>
      arp.encode({ form: 'generic', hardwareType: 6, protocolType: 0x0800, op: 1, senderHardware: '0102', senderProtocol: 'c0000201', targetHardware: '01', targetProtocol: 'c0000202' }),
    ).toThrowError('targetHardware: must have as many bytes as senderHardware');
  });
});
