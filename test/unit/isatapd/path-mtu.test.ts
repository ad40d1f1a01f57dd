/**
 * Path MTU discovery pieces of the userspace ISATAP data plane: the table of reported path MTUs,
 * the decision for one packet (RFC 4213 3.2, as Linux's sit decides), and the Packet Too Big.
 */
import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/core/time.js';
import { fit, MTU_EXPIRES, PathMtuTable, SEND, SEND_WITHOUT_DF } from '../../../src/core/isatapd/dataplane/path-mtu.js';
import { packetTooBig } from '../../../src/core/isatapd/dataplane/too-big.js';
import * as icmpv6 from '../../../src/core/wire/icmpv6.js';
import * as ipv6 from '../../../src/core/wire/ipv6.js';
import { Ipv6Address } from '../../../src/core/wire/ipv6-address.js';

const B = 0xc6336401; // 198.51.100.1
const C = 0xcb007102; // 203.0.113.2

describe('path MTU table', () => {
  it('keeps the lowest report until it expires after 600 s, then forgets it', () => {
    const t = new PathMtuTable();
    expect(t.get(B, 0)).toBeUndefined();
    expect(t.learn(B, 1400, 0)).toBe(true);
    expect(t.learn(B, 1450, SECOND)).toBe(false); // a higher report does not raise it
    expect(t.learn(B, 1350, 2 * SECOND)).toBe(true);
    expect(t.get(B, 2 * SECOND + MTU_EXPIRES - 1)).toBe(1350);
    expect(t.get(B, 2 * SECOND + MTU_EXPIRES)).toBeUndefined();
    expect(t.size).toBe(0);
  });

  it('ignores reports no IPv4 router may make (below 68, above 65535, or 0 from old routers)', () => {
    const t = new PathMtuTable();
    for (const mtu of [0, 67, 65536, 1400.5]) expect(t.learn(B, mtu, 0)).toBe(false);
    expect(t.size).toBe(0);
  });

  it('holds a bounded number of hops, forgetting the oldest learned first', () => {
    const t = new PathMtuTable(2);
    t.learn(B, 1400, 0);
    t.learn(C, 1400, 0);
    t.learn(0x0a000001, 1400, 0);
    expect([t.get(B, 0), t.get(C, 0), t.get(0x0a000001, 0)]).toEqual([undefined, 1400, 1400]);
  });
});

describe('what a packet of a given size does on a path', () => {
  it.each([
    { length: 1480, pathMtu: undefined, pmtudisc: true, expected: SEND },
    { length: 1480, pathMtu: 1350, pmtudisc: false, expected: SEND },
    { length: 1330, pathMtu: 1350, pmtudisc: true, expected: SEND },
    { length: 1331, pathMtu: 1350, pmtudisc: true, expected: 1330 },
    { length: 1280, pathMtu: 1300, pmtudisc: true, expected: SEND },
    { length: 1280, pathMtu: 1290, pmtudisc: true, expected: SEND_WITHOUT_DF },
    { length: 1281, pathMtu: 1290, pmtudisc: true, expected: 1280 },
    { length: 600, pathMtu: 576, pmtudisc: true, expected: SEND_WITHOUT_DF },
  ])('$length bytes, path MTU $pathMtu, pmtudisc $pmtudisc: $expected', ({ length, pathMtu, pmtudisc, expected }) => {
    expect(fit(length, pathMtu, pmtudisc)).toBe(expected);
  });
});

describe('Packet Too Big', () => {
  const from = Ipv6Address.parse('fe80::5efe:c000:202');
  const sender = Ipv6Address.parse('2001:db8:5::5efe:c000:202');
  const peer = Ipv6Address.parse('2001:db8:5::5efe:c633:6401');
  const packet = (size: number, protocol = 6, first = 0): Uint8Array => {
    const payload = new Uint8Array(size - 40).fill(0xab);
    payload[0] = first;
    return ipv6.encode({ hopLimit: 64, src: sender, dst: peer, protocol, payload });
  };

  it('goes to the sender with the MTU and as much of the packet as fits in 1280 bytes, checksummed', () => {
    const big = packet(1480);
    const ptb = packetTooBig(big, 0, big.length, 1330, from)!;
    expect(ptb.length).toBe(1280);
    const outer = ipv6.decode(ptb);
    expect([String(outer.src), String(outer.dst), outer.nextHeader]).toEqual([String(from), String(sender), 58]);
    const m = outer.payload;
    expect(icmpv6.checksumOk(m, from, sender)).toBe(true);
    expect([m[0], m[1], new DataView(m.buffer, m.byteOffset).getUint32(4)]).toEqual([2, 0, 1330]);
    expect(m.subarray(8)).toEqual(big.subarray(0, 1232));
    const small = packet(1300);
    expect(packetTooBig(small, 0, 600, 1280, from)!.length).toBe(40 + 8 + 600); // only what there is
  });

  it('is not sent for an unspecified or multicast source, nor about an ICMPv6 error, but is about an echo', () => {
    const p = packet(1400);
    Ipv6Address.parse('::').write(p, 8);
    expect(packetTooBig(p, 0, p.length, 1330, from)).toBeNull();
    Ipv6Address.parse('ff02::1').write(p, 8);
    expect(packetTooBig(p, 0, p.length, 1330, from)).toBeNull();
    expect(packetTooBig(packet(1400, 58, 1), 0, 1400, 1330, from)).toBeNull(); // destination unreachable
    expect(packetTooBig(packet(1400, 58, 128), 0, 1400, 1330, from)).not.toBeNull(); // echo request
    expect(packetTooBig(packet(1400), 0, 39, 1330, from)).toBeNull(); // cut short
  });
});
