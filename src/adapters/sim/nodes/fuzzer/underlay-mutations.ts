/**
 * Broken protocol-41 datagrams for the IPv4 underlay, each addressed to a target: bad outer
 * headers, bad inner IPv6, a spoofed inner source (RFC 5214's source rule), and the ND mutants
 * carried inside, sent as if from an ISATAP peer so that only the ND check stops them.
 */
import * as ipv4 from '../../../../core/wire/ipv4.js';
import * as ipv6 from '../../../../core/wire/ipv6.js';
import * as ip6in4 from '../../../../core/wire/ip6in4.js';
import * as icmpv6 from '../../../../core/wire/icmpv6.js';
import { Ipv4Address } from '../../../../core/wire/ipv4-address.js';
import { Ipv6Address } from '../../../../core/wire/ipv6-address.js';
import { isatapAddress } from '../../../../core/wire/isatap.js';
import type { Gen } from './gen.js';
import { ND_MUTATIONS, ipv6Around } from './nd-mutations.js';

const LINK_LOCAL = new Ipv6Address(0xfe80_0000, 0, 0, 0);

/** A sound echo request between ISATAP link-local addresses of `from` and `to`. */
function innerEcho(g: Gen, from: Ipv4Address, to: Ipv4Address): Uint8Array {
  const src = isatapAddress(LINK_LOCAL, from);
  const dst = isatapAddress(LINK_LOCAL, to);
  const msg = icmpv6.encode({ kind: 'echo-request', identifier: g.int(0, 0xffff), sequence: g.int(0, 0xffff), data: g.bytes(8) }, { src, dst });
  return ipv6.encode({ hopLimit: 64, src, dst, protocol: ipv6.NH_ICMPV6, payload: msg });
}

function wrap(g: Gen, to: Ipv4Address, inner: Uint8Array, tweak: Partial<ipv4.Ipv4PacketInput> = {}): Uint8Array {
  return ipv4.encode({ src: g.ipv4, dst: to, ttl: 64, protocol: ipv4.PROTO_IPV6, payload: inner, ...tweak });
}

const OUTER: Record<string, (g: Gen) => Uint8Array> = {
  'p41-truncated-inner': (g) => {
    const to = g.target();
    return wrap(g, to, innerEcho(g, g.ipv4, to).slice(0, g.int(0, 39)));
  },
  'p41-inner-version': (g) => {
    const to = g.target();
    const inner = ipv6.decode(innerEcho(g, g.ipv4, to));
    return wrap(g, to, ipv6.encode({ ...inner, version: g.pick([0, 4, 5, 15]) }));
  },
  'p41-inner-payload-length': (g) => {
    const to = g.target();
    const inner = ipv6.decode(innerEcho(g, g.ipv4, to));
    return wrap(g, to, ipv6.encode({ ...inner, payloadLength: inner.payloadLength + g.int(1, 2000) }));
  },
  'p41-outer-total-length': (g) => {
    const to = g.target();
    const inner = innerEcho(g, g.ipv4, to);
    return wrap(g, to, inner, { totalLength: 20 + inner.length + g.int(1, 100) });
  },
  'p41-outer-checksum': (g) => {
    const to = g.target();
    const inner = innerEcho(g, g.ipv4, to);
    const good = ip6in4.encode(inner, { src: g.ipv4, dst: to, ttl: 64 });
    return wrap(g, to, inner, { checksum: ((good[10] << 8) | good[11]) ^ g.int(1, 0xffff) });
  },
  'p41-outer-ihl': (g) => {
    const to = g.target();
    return wrap(g, to, innerEcho(g, g.ipv4, to), { ihl: g.int(0, 4) });
  },
  'p41-fragment': (g) => {
    const to = g.target();
    return wrap(g, to, innerEcho(g, g.ipv4, to), { moreFragments: true, fragmentOffset: g.int(0, 100) });
  },
  'p41-spoofed-source': (g) => {
    const to = g.target();
    const other = new Ipv4Address(0xcb00_7100 + g.int(1, 254)); // 203.0.113.x: not the sender
    return wrap(g, to, innerEcho(g, other, to));
  },
};

/** Every underlay mutation, by name. */
export const UNDERLAY_MUTATIONS: Record<string, (g: Gen) => Uint8Array> = {
  ...OUTER,
  ...Object.fromEntries(
    Object.entries(ND_MUTATIONS).map(([name, make]) => [
      `p41-${name}`,
      (g: Gen): Uint8Array => {
        const to = g.target();
        const m = make(g);
        // Claim the ISATAP link-local source that matches the outer source, so the source rule passes.
        const src = m.src.isLinkLocal ? isatapAddress(LINK_LOCAL, g.ipv4) : m.src;
        const dst = isatapAddress(LINK_LOCAL, to);
        const message = m.message.length >= 4 ? icmpv6.encode({ kind: 'icmpv6', type: m.message[0], code: m.message[1], body: m.message.subarray(4), ...(name === 'ra-bad-checksum' ? { checksum: (m.message[2] << 8) | m.message[3] } : {}) }, { src, dst }) : m.message;
        return wrap(g, to, ipv6Around({ ...m, src, dst, message }));
      },
    ]),
  ),
};
