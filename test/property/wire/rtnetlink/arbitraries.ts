/** fast-check generators of well-formed rtnetlink messages, for the codec's properties. */
import fc from 'fast-check';
import * as rtnl from '../../../../src/core/wire/rtnetlink/index.js';
import { Ipv4Address } from '../../../../src/core/wire/ipv4-address.js';
import { Ipv6Address } from '../../../../src/core/wire/ipv6-address.js';
import type { RtnlMessageInput } from '../../../../src/core/wire/rtnetlink/index.js';

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const s32 = fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff });
const bytes = (max = 24) => fc.uint8Array({ maxLength: max });
// Any Unicode text (a leading U+FEFF included); NUL ends a netlink string, so none inside.
const text = fc.string({ unit: 'grapheme', maxLength: 16 }).filter((s) => !s.includes('\0'));

const ipv4 = u32.map((v) => new Ipv4Address(v));
const ipv6 = fc.tuple(u32, u32, u32, u32).map(([a, b, c, d]) => new Ipv6Address(a, b, c, d));
const ip = fc.oneof(ipv4, ipv6, fc.uint8Array({ maxLength: 20 }).filter((b) => b.length !== 4 && b.length !== 16));

/** Unknown attributes: any type the table does not name. */
const other = (known: number[]) => fc.array(fc.record({ type: u16.filter((t) => !known.includes(t)), data: bytes() }), { maxLength: 4 });

const header = (types: number[]) => fc.record({ type: fc.constantFrom(...types), flags: u16, seq: u32, pid: u32 });

export const link = fc.record({
  kind: fc.constant('link' as const),
  header: header([16, 17, 18, 19]),
  family: u8,
  deviceType: u16,
  index: s32,
  flags: u32,
  change: u32,
  attributes: fc.record(
    { address: bytes(8), broadcast: bytes(8), ifname: text, mtu: u32, link: s32, master: u32, txqlen: u32, operstate: u8, other: other([1, 2, 3, 4, 5, 10, 13, 16]) },
    { requiredKeys: ['other'] },
  ),
});

export const address = fc.record({
  kind: fc.constant('address' as const),
  header: header([20, 21, 22, 23]),
  family: u8,
  prefixLength: u8,
  flags: u8,
  scope: u8,
  index: u32,
  attributes: fc.record(
    {
      address: ip,
      local: ip,
      label: text,
      broadcast: ip,
      cacheInfo: fc.record({ preferred: u32, valid: u32, created: u32, updated: u32 }),
      flags: u32,
      other: other([1, 2, 3, 4, 6, 8]),
    },
    { requiredKeys: ['other'] },
  ),
});

export const neighbor = fc.record({
  kind: fc.constant('neighbor' as const),
  header: header([28, 29, 30, 31]),
  family: u8,
  index: s32,
  state: u16,
  flags: u8,
  type: u8,
  attributes: fc.record(
    { destination: ip, lladdr: bytes(8), probes: u32, cacheInfo: fc.record({ confirmed: u32, used: u32, updated: u32, refcnt: u32 }), other: other([1, 2, 3, 4]) },
    { requiredKeys: ['other'] },
  ),
});

export const route = fc.record({
  kind: fc.constant('route' as const),
  header: header([24, 25, 26, 27]),
  family: u8,
  dstLength: u8,
  srcLength: u8,
  tos: u8,
  table: u8,
  protocol: u8,
  scope: u8,
  type: u8,
  flags: u32,
  attributes: fc.record(
    { destination: ip, source: ip, iif: u32, oif: u32, gateway: ip, priority: u32, prefSource: ip, table: u32, pref: u8, other: other([1, 2, 3, 4, 5, 6, 7, 15, 20]) },
    { requiredKeys: ['other'] },
  ),
});

const extAck = fc.record({ message: text, offset: u32, other: other([1, 2]) }, { requiredKeys: ['other'] });

/** NLMSG_ERROR: a capped echo has no payload; NLM_F_ACK_TLVS is set exactly when extAck is there. */
export const error = fc
  .record({
    flags: u16,
    seq: u32,
    pid: u32,
    error: s32,
    capped: fc.boolean(),
    request: fc.record({ type: u16, flags: u16, seq: u32, pid: u32 }),
    cappedLength: fc.integer({ min: 16, max: 0xffff_ffff }),
    payload: bytes(40),
    extAck: fc.option(extAck, { nil: undefined }),
  })
  .map((r) => {
    let flags = r.flags & ~(rtnl.NLM_F_CAPPED | rtnl.NLM_F_ACK_TLVS);
    if (r.capped) flags |= rtnl.NLM_F_CAPPED;
    if (r.extAck) flags |= rtnl.NLM_F_ACK_TLVS;
    const payload = r.capped ? new Uint8Array(0) : r.payload;
    return {
      kind: 'error' as const,
      header: { type: rtnl.NLMSG_ERROR, flags, seq: r.seq, pid: r.pid },
      error: r.error,
      request: { ...r.request, length: r.capped ? r.cappedLength : 16 + payload.length },
      requestPayload: payload,
      ...(r.extAck ? { extAck: r.extAck } : {}),
    };
  });

export const done = fc.record({ flags: u16, seq: u32, pid: u32, error: s32, extAck: fc.option(extAck, { nil: undefined }) }).map((r) => ({
  kind: 'done' as const,
  header: { type: rtnl.NLMSG_DONE, flags: (r.flags & ~rtnl.NLM_F_ACK_TLVS) | (r.extAck ? rtnl.NLM_F_ACK_TLVS : 0), seq: r.seq, pid: r.pid },
  error: r.error,
  ...(r.extAck ? { extAck: r.extAck } : {}),
}));

export const otherMessage = fc.record({
  kind: fc.constant('other' as const),
  header: fc.record({ type: u16.filter((t) => rtnl.kindOfType(t) === 'other'), flags: u16, seq: u32, pid: u32 }),
  payload: bytes(40),
});

export const message: fc.Arbitrary<RtnlMessageInput> = fc.oneof(link, address, neighbor, route, error, done, otherMessage);
