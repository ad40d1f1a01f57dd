// Byte vectors captured from a Linux 6.x kernel in a test namespace (see the comments), decoded
// field by field, and re-encoded to the same bytes.
import { describe, expect, it } from 'vitest';
import * as rtnl from '../../../src/core/wire/rtnetlink/index.js';
import { fromHex, toHex } from '../../../src/core/wire/bytes.js';
import { DecodeError } from '../../../src/core/wire/errors.js';
import { Ipv4Address } from '../../../src/core/wire/ipv4-address.js';

// `ip neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 dev va nud permanent`, then an RTM_GETNEIGH
// dump (seq 7): one RTM_NEWNEIGH part and NLMSG_DONE in one datagram.
const NEIGH_DUMP =
  '4c0000001c00020007000000d74d000002000000030000008000000108000100c00002070a000200020000000007000008000400000000001400030048000000480000004800000000000000140000000300020007000000d74d000000000000';

// RTM_NEWADDR 192.0.2.9/40 (an impossible prefix length) with NETLINK_EXT_ACK on: the kernel's
// refusal, with the request echoed (not capped) and the reason as an attribute.
const EINVAL_EXT_ACK =
  '540000000200000207000000f44d0000eaffffff20000000140005040700000000000000022800000100000008000200c000020920000100697076343a20496e76616c696420707265666978206c656e67746800';

describe('rtnetlink codec on kernel bytes', () => {
  it('decodes a neighbour dump: the entry, then the end of the dump', () => {
    const ms = rtnl.decodeAll(fromHex(NEIGH_DUMP)!);
    expect(ms.map((m) => m.kind)).toEqual(['neighbor', 'done']);
    const n = ms[0];
    if (n.kind !== 'neighbor') throw new Error('not a neighbour');
    expect(n.header).toEqual({ length: 76, type: rtnl.RTM_NEWNEIGH, flags: rtnl.NLM_F_MULTI, seq: 7, pid: 19927 });
    expect(n.family).toBe(rtnl.AF_INET);
    expect(n.index).toBe(3);
    expect(n.state).toBe(rtnl.NUD_PERMANENT);
    expect(String(n.attributes.destination)).toBe('192.0.2.7');
    expect(toHex(n.attributes.lladdr!)).toBe('020000000007');
    expect(n.attributes.probes).toBe(0);
    expect(n.attributes.cacheInfo).toEqual({ confirmed: 72, used: 72, updated: 72, refcnt: 0 });
    const d = ms[1];
    expect(d.kind === 'done' && d.error).toBe(0);
  });

  it('keeps a link name that starts with U+FEFF through encode and decode', () => {
    const bytes = rtnl.encode({
      kind: 'link',
      header: { type: rtnl.RTM_NEWLINK, flags: 0, seq: 1, pid: 0 },
      family: 0,
      deviceType: 1,
      index: 3,
      flags: 0,
      change: 0,
      attributes: { ifname: '\uFEFFva' },
    });
    expect(toHex(bytes)).toContain('efbbbf766100'); // the mark's UTF-8, "va", NUL
    const m = rtnl.decode(bytes);
    expect(m.kind === 'link' && m.attributes.ifname).toBe('\uFEFFva');
  });

  it('re-encodes the decoded dump to the kernel bytes', () => {
    const ms = rtnl.decodeAll(fromHex(NEIGH_DUMP)!);
    expect(toHex(rtnl.encodeAll(ms))).toBe(NEIGH_DUMP);
  });

  it('decodes an error with the echoed request and the extended-ack message', () => {
    const m = rtnl.decode(fromHex(EINVAL_EXT_ACK)!);
    if (m.kind !== 'error') throw new Error('not an error');
    expect(m.error).toBe(-22);
    expect(m.request.type).toBe(rtnl.RTM_NEWADDR);
    expect(m.request.seq).toBe(7);
    expect(m.requestPayload.length).toBe(16);
    expect(m.extAck?.message).toBe('ipv4: Invalid prefix length');
    expect(toHex(rtnl.encode(m))).toBe(EINVAL_EXT_ACK);
  });

  it('encodes a neighbour install the way the kernel reads it (little-endian, 4-byte aligned)', () => {
    const bytes = rtnl.encode({
      kind: 'neighbor',
      header: { type: rtnl.RTM_NEWNEIGH, flags: rtnl.NLM_F_REQUEST | rtnl.NLM_F_ACK | rtnl.NLM_F_CREATE | rtnl.NLM_F_REPLACE, seq: 0x01020304, pid: 0 },
      family: rtnl.AF_INET,
      index: 2,
      state: rtnl.NUD_STALE,
      flags: 0,
      type: 0,
      attributes: { destination: Ipv4Address.parse('192.0.2.7'), lladdr: fromHex('020000000007')! },
    });
    expect(toHex(bytes)).toBe(
      '30000000' + '1c00' + '0505' + '04030201' + '00000000' + // nlmsghdr: len 48, RTM_NEWNEIGH, flags 0x505, seq
        '02000000' + '02000000' + '0400' + '00' + '00' + // ndmsg: AF_INET, ifindex 2, NUD_STALE
        '08000100c0000207' + // NDA_DST
        '0a00020002000000000700' + '00', // NDA_LLADDR, padded to 4
    );
  });

  it('names the field and offset of a broken attribute', () => {
    const b = fromHex(NEIGH_DUMP)!;
    b[28] = 200; // NDA_DST's rta_len now runs past the message
    expect(() => rtnl.decodeAll(b)).toThrowError(DecodeError);
    try {
      rtnl.decodeAll(b);
    } catch (err) {
      expect((err as DecodeError).field).toBe('messages[0].attributes[0].length');
      expect((err as DecodeError).offset).toBe(28);
    }
  });

  it('rejects a known attribute of the wrong size', () => {
    const b = fromHex(NEIGH_DUMP)!;
    // NDA_PROBES (4 bytes) declared as 6: the attribute walk still fits, the value does not.
    const probes = 48; // offset of NDA_PROBES' rta_len in the first message
    expect(b[probes + 2]).toBe(rtnl.NDA_PROBES);
    b[probes] = 6;
    expect(() => rtnl.decodeAll(b)).toThrowError(/attributes\.probes: 2 bytes, expected 4/);
  });
});
