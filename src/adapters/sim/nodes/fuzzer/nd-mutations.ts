/**
 * Broken Neighbor Discovery messages, each named by what is wrong. Every one starts from bytes the
 * codecs wrote and breaks one thing, so the rest of the message is sound and the receiver's check
 * for that one thing is what gets exercised (FreeBSD-SA-20:32 was DNSSL/RDNSS parsing: those get
 * the most variants). The RAs carry router lifetime 0, no usable prefix and no sound MTU, so a
 * receiver that rightly accepts the message around a bad option gains no router, address or MTU.
 */
import * as icmpv6 from '../../../../core/wire/icmpv6.js';
import * as ipv6 from '../../../../core/wire/ipv6.js';
import { Ipv6Address } from '../../../../core/wire/ipv6-address.js';
import { encodeOptions, optionsLength, type NdOptionInput } from '../../../../core/wire/ndisc/option-list.js';
import type { Gen } from './gen.js';

export interface Icmpv6Mutant {
  src: Ipv6Address;
  dst: Ipv6Address;
  hopLimit: number;
  /** The whole ICMPv6 message, checksum included (right unless the mutation is about it). */
  message: Uint8Array;
  /** Overrides the IPv6 payload length field (a lie about the length). */
  payloadLength?: number;
}

const DOC_SERVER = Ipv6Address.parse('2001:db8:f::53');

/** A sound option of a random kind, as the codec writes it. */
function someOption(g: Gen): NdOptionInput {
  switch (g.int(0, 5)) {
    case 0:
      return { kind: 'source-lla', address: g.mac };
    case 1:
      return { kind: 'nonce', nonce: g.bytes(6) };
    case 2:
      return { kind: 'rdnss', lifetime: g.int(0, 3600), servers: [DOC_SERVER] };
    case 3:
      return { kind: 'dnssl', lifetime: g.int(0, 3600), domains: ['example.com'] };
    case 4:
      return { kind: 'route-info', prefixLength: 48, preference: 'medium', lifetime: 0, prefix: '2001:db8:f::' };
    default:
      return { kind: 'unknown', type: 200 + g.int(0, 50), data: g.bytes(6) };
  }
}

/** A sound 8-byte option. */
function smallOption(g: Gen): NdOptionInput {
  switch (g.int(0, 2)) {
    case 0:
      return { kind: 'source-lla', address: g.mac };
    case 1:
      return { kind: 'nonce', nonce: g.bytes(6) };
    default:
      return { kind: 'unknown', type: 200 + g.int(0, 50), data: g.bytes(6) };
  }
}

/** Encodes options, then hands their bytes to `mutate` (which may change them in place). */
function optionBytes(options: NdOptionInput[]): Uint8Array {
  const b = new Uint8Array(optionsLength(options));
  encodeOptions(options, b, 0);
  return b;
}

/** A router lifetime 0 RA whose option area is exactly `area`. */
function raWith(g: Gen, area: Uint8Array, tweak: { code?: number; curHopLimit?: number } = {}): Uint8Array {
  return icmpv6.encode(
    { kind: 'router-advert', code: tweak.code ?? 0, curHopLimit: tweak.curHopLimit ?? 0, routerLifetime: 0, options: [{ kind: 'malformed', bytes: area }] },
    { src: g.linkLocal, dst: Ipv6Address.ALL_NODES },
  );
}

function soundRa(g: Gen): Uint8Array {
  const n = g.int(0, 3);
  return raWith(g, optionBytes(Array.from({ length: n }, () => someOption(g))));
}

function fromLinkLocal(g: Gen, message: Uint8Array): Icmpv6Mutant {
  return { src: g.linkLocal, dst: Ipv6Address.ALL_NODES, hopLimit: 255, message };
}

/** An RA around one broken option, with sound options around it. */
function raAround(g: Gen, bad: Uint8Array): Icmpv6Mutant {
  const before = optionBytes(Array.from({ length: g.int(0, 2) }, () => someOption(g)));
  const after = optionBytes(Array.from({ length: g.int(0, 2) }, () => someOption(g)));
  const area = new Uint8Array(before.length + bad.length + after.length);
  area.set(before, 0);
  area.set(bad, before.length);
  area.set(after, before.length + bad.length);
  return fromLinkLocal(g, raWith(g, area));
}

/** Sets the length byte of an encoded option. */
function withLength(option: Uint8Array, units: number): Uint8Array {
  const b = Uint8Array.from(option);
  b[1] = units;
  return b;
}

function dnsslBody(g: Gen, names: Uint8Array): Uint8Array {
  // Header (type 31, length, reserved, lifetime), then the name bytes, padded to 8-byte units.
  const header = optionBytes([{ kind: 'dnssl', lifetime: g.int(1, 3600), domains: ['a.example'] }]).subarray(0, 8);
  const units = Math.ceil((8 + names.length) / 8);
  const b = new Uint8Array(units * 8);
  b.set(header, 0);
  b[1] = units;
  b.set(names, 8);
  return b;
}

export const ND_MUTATIONS: Record<string, (g: Gen) => Icmpv6Mutant> = {
  'ra-hop-limit': (g) => ({ ...fromLinkLocal(g, soundRa(g)), hopLimit: g.pick([0, 1, 64, 128, 254]) }),
  'ra-code': (g) => fromLinkLocal(g, raWith(g, new Uint8Array(0), { code: g.int(1, 255) })),
  'ra-source-not-link-local': (g) => {
    const src = new Ipv6Address(0x2001_0db8, 0x000f_0000, 0, g.int(1, 0xffff));
    const message = icmpv6.encode({ kind: 'router-advert', curHopLimit: 0, routerLifetime: 0 }, { src, dst: Ipv6Address.ALL_NODES });
    return { src, dst: Ipv6Address.ALL_NODES, hopLimit: 255, message };
  },
  'ra-bad-checksum': (g) => {
    const good = soundRa(g);
    const sum = ((good[2] << 8) | good[3]) ^ g.int(1, 0xffff);
    return fromLinkLocal(g, icmpv6.encode({ kind: 'icmpv6', type: good[0], code: good[1], checksum: sum, body: good.subarray(4) }));
  },
  'ra-option-length-zero': (g) => raAround(g, withLength(optionBytes([someOption(g)]), 0)),
  'ra-option-overrun': (g) => {
    const opt = optionBytes([someOption(g)]);
    return fromLinkLocal(g, raWith(g, withLength(opt, opt.length / 8 + g.int(1, 200))));
  },
  'ra-truncated': (g) => {
    // Shorter than an RA's fixed part, with a checksum that fits what is left: the decoder must say no.
    const full = soundRa(g);
    const body = full.subarray(4, g.int(4, 15));
    return fromLinkLocal(g, icmpv6.encode({ kind: 'icmpv6', type: full[0], code: 0, body }, { src: g.linkLocal, dst: Ipv6Address.ALL_NODES }));
  },
  'ra-rdnss-short': (g) => {
    const opt = optionBytes([{ kind: 'rdnss', lifetime: 600, servers: [DOC_SERVER, DOC_SERVER] }]);
    return raAround(g, withLength(opt.subarray(0, 16), g.pick([1, 2])));
  },
  'ra-rdnss-even': (g) => raAround(g, withLength(optionBytes([{ kind: 'rdnss', lifetime: 600, servers: [DOC_SERVER, DOC_SERVER] }]).subarray(0, 32), 4)),
  'ra-dnssl-short': (g) => raAround(g, withLength(optionBytes([{ kind: 'dnssl', lifetime: 600, domains: ['example.com'] }]).subarray(0, 8), 1)),
  'ra-dnssl-compression-pointer': (g) => raAround(g, dnsslBody(g, Uint8Array.of(3, 0x77, 0x77, 0x77, 0xc0, g.int(0, 255), 0))),
  'ra-dnssl-label-overrun': (g) => raAround(g, dnsslBody(g, Uint8Array.of(g.int(20, 63), 0x61, 0x62))),
  'ra-dnssl-unterminated': (g) => {
    const labels = [5, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 3, 0x63, 0x6f, 0x6d];
    const body = dnsslBody(g, Uint8Array.from(labels));
    // Fill the padding with label bytes so no terminating zero is left.
    for (let i = 8 + labels.length; i < body.length; i++) body[i] = 0x61;
    return raAround(g, body);
  },
  'ra-dnssl-long-label': (g) => raAround(g, dnsslBody(g, Uint8Array.from([64, ...new Array<number>(64).fill(0x61), 0]))),
  'ra-prefix-bad-length': (g) => {
    const opt = optionBytes([{ kind: 'prefix-info', prefixLength: 64, onLink: false, autonomous: false, validLifetime: 0, preferredLifetime: 0, prefix: '2001:db8:f::' }]);
    const units = g.pick([1, 2, 3, 5]);
    const b = new Uint8Array(units * 8);
    b.set(opt.subarray(0, Math.min(opt.length, b.length)));
    return raAround(g, withLength(b, units));
  },
  'ra-prefix-length-over-128': (g) =>
    raAround(g, optionBytes([{ kind: 'prefix-info', prefixLength: g.int(129, 255), onLink: true, autonomous: true, validLifetime: 600, preferredLifetime: 300, prefix: '2001:db8:f::' }])),
  'ra-prefix-preferred-over-valid': (g) =>
    raAround(g, optionBytes([{ kind: 'prefix-info', prefixLength: 64, onLink: false, autonomous: true, validLifetime: 60, preferredLifetime: 600, prefix: '2001:db8:f::' }])),
  'ra-mtu-small': (g) => raAround(g, optionBytes([{ kind: 'mtu', mtu: g.int(0, 1279) }])),
  'ra-mtu-bad-length': (g) => raAround(g, withLength(Uint8Array.from([...optionBytes([{ kind: 'mtu', mtu: 1500 }]), ...new Uint8Array(8)]), 2)),
  'ra-lla-bad-length': (g) => raAround(g, withLength(Uint8Array.from([...optionBytes([{ kind: 'source-lla', address: g.mac }]), ...new Uint8Array(8)]), 2)),
  'ra-route-info-bad': (g) => {
    const opt = optionBytes([{ kind: 'route-info', prefixLength: 48, preference: 'medium', lifetime: 0, prefix: '2001:db8:f::' }]);
    const b = Uint8Array.from(opt);
    b[2] = g.int(65, 255); // a prefix longer than the option can carry
    return raAround(g, b);
  },
  'ra-pref64-bad-length': (g) => raAround(g, withLength(optionBytes([{ kind: 'pref64', scaledLifetime: 1, plc: 0, prefix: '64:ff9b::' }]).subarray(0, 8), 1)),
  'ra-captive-portal-bad-utf8': (g) => {
    const b = optionBytes([{ kind: 'captive-portal', uri: 'https://x' }]);
    b[2] = 0xff;
    b[3] = 0xfe;
    return raAround(g, b);
  },
  'ra-many-options': (g) => {
    // As many 8-byte options as an Ethernet frame holds.
    const opts = Array.from({ length: g.int(100, 170) }, () => smallOption(g));
    return fromLinkLocal(g, raWith(g, optionBytes(opts)));
  },
  'ra-random-options': (g) => fromLinkLocal(g, raWith(g, g.bytes(8 * g.int(1, 40)))),
  'ns-multicast-target': (g) => {
    const target = new Ipv6Address(0xff02_0000, 0, 0, g.int(1, 0xffff));
    const dst = Ipv6Address.ALL_NODES;
    return { src: g.linkLocal, dst, hopLimit: 255, message: icmpv6.encode({ kind: 'neighbor-solicit', target }, { src: g.linkLocal, dst }) };
  },
  'ns-dad-with-lla': (g) => {
    const target = new Ipv6Address(0xfe80_0000, 0, g.int(0, 0xffff_ffff) >>> 0, g.int(0, 0xffff_ffff) >>> 0);
    const dst = Ipv6Address.ALL_NODES;
    const message = icmpv6.encode({ kind: 'neighbor-solicit', target, options: [{ kind: 'source-lla', address: g.mac }] }, { src: Ipv6Address.UNSPECIFIED, dst });
    return { src: Ipv6Address.UNSPECIFIED, dst, hopLimit: 255, message };
  },
  'na-solicited-to-multicast': (g) => {
    const target = new Ipv6Address(0xfe80_0000, 0, 0x0200_00ff, 0xfe00_0000 + g.int(0, 0xffff));
    const dst = Ipv6Address.ALL_NODES;
    return { src: g.linkLocal, dst, hopLimit: 255, message: icmpv6.encode({ kind: 'neighbor-advert', router: false, solicited: true, override: true, target }, { src: g.linkLocal, dst }) };
  },
  'icmpv6-truncated': (g) => fromLinkLocal(g, g.bytes(g.int(0, 3))),
  'ipv6-payload-length': (g) => ({ ...fromLinkLocal(g, soundRa(g)), payloadLength: g.int(0, 0xffff) }),
};

/** The IPv6 packet around a mutant, its payload length as given when the mutation lies about it. */
export function ipv6Around(m: Icmpv6Mutant): Uint8Array {
  return ipv6.encode({ hopLimit: m.hopLimit, src: m.src, dst: m.dst, protocol: ipv6.NH_ICMPV6, payload: m.message, ...(m.payloadLength !== undefined ? { payloadLength: m.payloadLength } : {}) });
}
