/**
 * fast-check arbitraries for everything the wire codecs carry, for anyone who needs random but
 * well-formed packets (property tests, fuzzers, simulator scenarios).
 *
 * Message and option arbitraries produce values in exactly the shape the decoders return (the
 * "canonical" value: every field present, addresses as objects, bytes as Uint8Array), so
 * `decode(encode(v))` must equal `v`. Layer arbitraries for packets (`ipv4Input`, `ipv6Input`,
 * `packetInput`) leave out what encoders compute (lengths, checksums, next headers).
 *
 * Nothing here calls a linklab encoder: where a value depends on its wire form (DNSSL lengths,
 * presentation text of DNS labels) the rule is written out below from the RFC.
 */
import fc from 'fast-check';
import { MacAddress } from '../../src/core/wire/mac-address.js';
import { Ipv4Address } from '../../src/core/wire/ipv4-address.js';
import { Ipv6Address } from '../../src/core/wire/ipv6-address.js';
import type { NdOption } from '../../src/core/wire/ndisc/option-list.js';
import type { LinkLayerAddressOption } from '../../src/core/wire/ndisc/options/link-layer-address.js';
import type { PrefixInfoOption } from '../../src/core/wire/ndisc/options/prefix-info.js';
import type { RedirectedHeaderOption } from '../../src/core/wire/ndisc/options/redirected-header.js';
import type { MtuOption } from '../../src/core/wire/ndisc/options/mtu.js';
import type { NonceOption } from '../../src/core/wire/ndisc/options/nonce.js';
import type { RouteInfoOption } from '../../src/core/wire/ndisc/options/route-info.js';
import type { RdnssOption } from '../../src/core/wire/ndisc/options/rdnss.js';
import type { DnsslOption } from '../../src/core/wire/ndisc/options/dnssl.js';
import type { CaptivePortalOption } from '../../src/core/wire/ndisc/options/captive-portal.js';
import type { Pref64Option } from '../../src/core/wire/ndisc/options/pref64.js';
import type { UnknownOption } from '../../src/core/wire/ndisc/options/unknown.js';
import type { Preference } from '../../src/core/wire/ndisc/preference.js';
import type { RouterSolicit } from '../../src/core/wire/ndisc/router-solicit.js';
import type { RouterAdvert } from '../../src/core/wire/ndisc/router-advert.js';
import type { NeighborSolicit } from '../../src/core/wire/ndisc/neighbor-solicit.js';
import type { NeighborAdvert } from '../../src/core/wire/ndisc/neighbor-advert.js';
import type { Redirect } from '../../src/core/wire/ndisc/redirect.js';
import type { Echo } from '../../src/core/wire/icmpv6-echo.js';
import type { Icmpv6Message, NdMessage, OtherIcmpv6 } from '../../src/core/wire/icmpv6.js';
import type { Arp, EthernetIpv4Arp, GenericArp } from '../../src/core/wire/arp.js';
import type { EthernetFrame } from '../../src/core/wire/ethernet.js';
import type { ExtensionHeaderInput } from '../../src/core/wire/ipv6.js';
import type { LinkKind, PacketInput } from '../../src/core/wire/packet.js';
import { ND_OPTION_TYPE } from '../../src/core/wire/icmpv6-types.js';

// ---------------------------------------------------------------------------------------------
// Numbers, bytes, addresses

export const u8 = fc.integer({ min: 0, max: 0xff });
export const u16 = fc.integer({ min: 0, max: 0xffff });
export const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
export const u48 = fc.integer({ min: 0, max: 2 ** 48 - 1 });

/** Bytes of any length from `min` to `max`. */
export function bytes(min: number, max: number): fc.Arbitrary<Uint8Array> {
  return fc.uint8Array({ minLength: min, maxLength: max });
}

/** Bytes whose length is `base` plus a multiple of `step`, up to `max` (option bodies, headers). */
export function bytesStepped(base: number, step: number, max: number): fc.Arbitrary<Uint8Array> {
  return bytes(base, max).map((b) => b.subarray(0, base + step * Math.floor((b.length - base) / step)));
}

/** Lifetimes: any 32-bit value, with infinity and zero (their special meanings) often. */
export const lifetime = fc.oneof({ weight: 4, arbitrary: u32 }, fc.constant(0xffff_ffff), fc.constant(0), fc.integer({ min: 1, max: 86400 }));

/** ICMPv6 codes: 0 as nearly every sender writes it, sometimes anything. */
export const icmpCode = fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: u8 });

export const macAddress: fc.Arbitrary<MacAddress> = fc.oneof(
  { weight: 6, arbitrary: u48 },
  fc.constant(0),
  fc.constant(2 ** 48 - 1),
).map((v) => new MacAddress(v));

export const ipv4Address: fc.Arbitrary<Ipv4Address> = fc.oneof(
  { weight: 4, arbitrary: u32 },
  // The documentation ranges the tests may use on real links.
  fc.constantFrom(0xc0000200, 0xc6336400, 0xcb007100).chain((net) => fc.integer({ min: 0, max: 255 }).map((h) => net + h)),
  fc.constant(0),
).map((v) => new Ipv4Address(v >>> 0));

/** A 32-bit word of an IPv6 address, often zero so `::` forms appear. */
const word = fc.oneof({ weight: 3, arbitrary: u32 }, { weight: 2, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: u16 });

export const ipv6Address: fc.Arbitrary<Ipv6Address> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(word, word, word, word) },
  { weight: 2, arbitrary: fc.tuple(fc.constant(0xfe80_0000), fc.constant(0), word, word) }, // link-local
  { weight: 1, arbitrary: fc.tuple(fc.constant(0x2001_0db8), word, word, word) }, // documentation
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(0xff02_0000, 0xff05_0000, 0xff0e_0000), fc.constant(0), fc.constantFrom(0, 1), word) }, // multicast
  { weight: 1, arbitrary: fc.constant<[number, number, number, number]>([0, 0, 0, 0]) },
).map(([a, b, c, d]) => new Ipv6Address(a >>> 0, b >>> 0, c >>> 0, d >>> 0));

export const linkLocalAddress: fc.Arbitrary<Ipv6Address> = fc.tuple(u32, u32).map(([c, d]) => new Ipv6Address(0xfe80_0000, 0, c, d));

/** `a` with every byte from `keep` on cleared (prefixes carried in fewer than 16 bytes). */
export function keepBytes(a: Ipv6Address, keep: number): Ipv6Address {
  const w = [a.w0, a.w1, a.w2, a.w3].map((x, i) => {
    const bytesInWord = Math.max(0, Math.min(4, keep - 4 * i));
    return bytesInWord === 0 ? 0 : bytesInWord === 4 ? x : (x & (0xffff_ffff << (8 * (4 - bytesInWord)))) >>> 0;
  });
  return new Ipv6Address(w[0], w[1], w[2], w[3]);
}

export const preference: fc.Arbitrary<Preference> = fc.constantFrom('medium', 'high', 'reserved', 'low');

// ---------------------------------------------------------------------------------------------
// DNS names (RFC 1035 3.1 on the wire, RFC 4343 / master-file escapes in text)

/** The presentation form of one label: printable ASCII as is, `.` and `\` escaped, the rest `\DDD`. */
export function labelPresentation(label: Uint8Array): string {
  let s = '';
  for (const c of label) {
    if (c === 0x2e || c === 0x5c) s += '\\' + String.fromCharCode(c);
    else if (c > 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += '\\' + String(c).padStart(3, '0');
  }
  return s;
}

/** A domain name as wire labels: 1 to 4 labels of 1 to 63 bytes, at most 255 bytes on the wire. */
export function wireName(label: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array[]> {
  return fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => {
    const out: Uint8Array[] = [];
    let wire = 1;
    for (const l of labels) {
      if (wire + 1 + l.length > 255) break;
      out.push(l);
      wire += 1 + l.length;
    }
    return out;
  });
}

/** Labels of any bytes, mostly short, sometimes the 63-byte maximum. */
export const anyLabel = fc.oneof({ weight: 5, arbitrary: bytes(1, 12) }, { weight: 1, arbitrary: bytes(1, 63) });

/** Letters, digits and hyphens only (what every dissector prints the same way). */
export const ldhLabel = fc
  .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'.split('')), { minLength: 1, maxLength: 12 })
  .map((cs) => new TextEncoder().encode(cs.join('')));

export function nameWireLength(labels: Uint8Array[]): number {
  return labels.reduce((n, l) => n + 1 + l.length, 1);
}

export function namePresentation(labels: Uint8Array[]): string {
  return labels.map(labelPresentation).join('.');
}

export function nameWire(labels: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(nameWireLength(labels));
  let o = 0;
  for (const l of labels) {
    out[o++] = l.length;
    out.set(l, o);
    o += l.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// ND options, in decoded (canonical) form

export const linkLayerAddressOption: fc.Arbitrary<LinkLayerAddressOption> = fc.record({
  kind: fc.constantFrom('source-lla' as const, 'target-lla' as const),
  address: macAddress,
});

export const prefixInfoOption: fc.Arbitrary<PrefixInfoOption> = fc.record({
  kind: fc.constant('prefix-info' as const),
  prefixLength: fc.oneof({ weight: 3, arbitrary: fc.constant(64) }, { weight: 2, arbitrary: fc.integer({ min: 0, max: 128 }) }, { weight: 1, arbitrary: u8 }),
  onLink: fc.boolean(),
  autonomous: fc.boolean(),
  routerAddress: fc.boolean(),
  reserved1: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, fc.integer({ min: 0, max: 31 })),
  validLifetime: lifetime,
  preferredLifetime: lifetime,
  reserved2: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, u32),
  prefix: ipv6Address,
});

export const redirectedHeaderOption: fc.Arbitrary<RedirectedHeaderOption> = fc.record({
  kind: fc.constant('redirected-header' as const),
  reserved: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, u48),
  data: bytesStepped(0, 8, 96),
});

export const mtuOption: fc.Arbitrary<MtuOption> = fc.record({
  kind: fc.constant('mtu' as const),
  reserved: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, u16),
  mtu: fc.oneof(fc.constantFrom(1280, 1480, 1500, 9000), u32),
});

export const nonceOption: fc.Arbitrary<NonceOption> = fc.record({
  kind: fc.constant('nonce' as const),
  nonce: bytesStepped(6, 8, 38),
});

export const routeInfoOption: fc.Arbitrary<RouteInfoOption> = fc
  .record({
    prefixLength: fc.integer({ min: 0, max: 128 }),
    extraUnits: fc.integer({ min: 0, max: 2 }),
    preference,
    reservedHigh: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, fc.integer({ min: 0, max: 7 })),
    reservedLow: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, fc.integer({ min: 0, max: 7 })),
    lifetime,
    prefix: ipv6Address,
  })
  .map(({ prefixLength, extraUnits, prefix, ...rest }) => {
    // RFC 4191 2.3: 1 unit for ::/0, 2 up to /64, 3 beyond; the option carries (length - 1) * 8 bytes.
    const least = prefixLength === 0 ? 1 : prefixLength <= 64 ? 2 : 3;
    const length = Math.min(3, least + extraUnits);
    return { kind: 'route-info' as const, prefixLength, ...rest, prefix: keepBytes(prefix, 8 * (length - 1)), length };
  });

export const rdnssOption: fc.Arbitrary<RdnssOption> = fc.record({
  kind: fc.constant('rdnss' as const),
  reserved: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, u16),
  lifetime,
  servers: fc.array(ipv6Address, { minLength: 1, maxLength: 3 }),
});

/** A DNSSL option; `label` chooses the label bytes (any bytes, or `ldhLabel` for dissectors). */
export function dnsslOptionOf(label: fc.Arbitrary<Uint8Array>): fc.Arbitrary<DnsslOption> {
  return fc
    .record({
      reserved: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, u16),
      lifetime,
      names: fc.array(wireName(label), { maxLength: 3 }),
      extraUnits: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, fc.integer({ min: 1, max: 2 })),
    })
    .map(({ reserved, lifetime: life, names, extraUnits }) => {
      // RFC 8106 5.2: header, the names, zero padding to a multiple of 8; at least 2 units.
      const wire = names.reduce((n, l) => n + nameWireLength(l), 0);
      const length = Math.min(255, Math.max(2, Math.ceil((8 + wire) / 8)) + extraUnits);
      return { kind: 'dnssl' as const, reserved, lifetime: life, domains: names.map(namePresentation), length };
    });
}

export const dnsslOption: fc.Arbitrary<DnsslOption> = dnsslOptionOf(anyLabel);

const utf8 = new TextEncoder();

/**
 * Text of any Unicode scalar values (no lone surrogates, so it survives UTF-8), `max` code points
 * at most. Built from code points because fc.string's generic machinery costs far more per run.
 */
export function unicodeText(max: number): fc.Arbitrary<string> {
  const scalar = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xd7ff }) },
    { weight: 1, arbitrary: fc.integer({ min: 0xe000, max: 0x10ffff }) },
  );
  return fc.array(scalar, { maxLength: max }).map((cps) => String.fromCodePoint(...cps));
}

const urlChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-._~/?=&%:'.split(''));
const url = fc
  .tuple(fc.constantFrom('http://', 'https://'), fc.array(ldhLabel, { minLength: 1, maxLength: 3 }), fc.array(urlChar, { maxLength: 24 }))
  .map(([scheme, host, path]) => `${scheme}${host.map((l) => new TextDecoder().decode(l)).join('.')}/${path.join('')}`);

export const captivePortalOption: fc.Arbitrary<CaptivePortalOption> = fc
  .record({
    uri: fc.oneof({ weight: 4, arbitrary: url }, { weight: 2, arbitrary: unicodeText(24) }, { weight: 1, arbitrary: unicodeText(8).map((t) => '\ufeff' + t) }),
    extraUnits: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, fc.constant(1)),
  })
  .map(({ uri, extraUnits }) => {
    // No NUL inside (RFC 8910 pads with NULs), and padding is where the URI's bytes end.
    const clean = uri.replace(/\0/g, '');
    const length = Math.ceil((2 + utf8.encode(clean).length) / 8) + extraUnits;
    return { kind: 'captive-portal' as const, uri: clean, length: Math.max(1, length) };
  })
  .filter((o) => o.length <= 255);

export const pref64Option: fc.Arbitrary<Pref64Option> = fc.record({
  kind: fc.constant('pref64' as const),
  scaledLifetime: fc.integer({ min: 0, max: 8191 }),
  plc: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 5 }) }, fc.integer({ min: 6, max: 7 })),
  prefix: ipv6Address.map((a) => new Ipv6Address(a.w0, a.w1, a.w2, 0)),
});

/** Option types linklab decodes; anything else is `unknown`. */
export const KNOWN_OPTION_TYPES: readonly number[] = Object.values(ND_OPTION_TYPE);

export const unknownOption: fc.Arbitrary<UnknownOption> = fc.record({
  kind: fc.constant('unknown' as const),
  type: u8.filter((t) => !KNOWN_OPTION_TYPES.includes(t)),
  data: bytesStepped(6, 8, 46),
});

/** One option of each kind, by name, for properties that cover every kind separately. */
export const OPTION_KINDS = {
  'source/target-lla': linkLayerAddressOption,
  'prefix-info': prefixInfoOption,
  'redirected-header': redirectedHeaderOption,
  mtu: mtuOption,
  nonce: nonceOption,
  'route-info': routeInfoOption,
  rdnss: rdnssOption,
  dnssl: dnsslOption,
  'captive-portal': captivePortalOption,
  pref64: pref64Option,
  unknown: unknownOption,
} satisfies Record<string, fc.Arbitrary<NdOption>>;

export const ndOption: fc.Arbitrary<NdOption> = fc.oneof(...Object.values(OPTION_KINDS).map((arbitrary) => arbitrary as fc.Arbitrary<NdOption>));

export const ndOptions: fc.Arbitrary<NdOption[]> = fc.array(ndOption, { maxLength: 5 });

// ---------------------------------------------------------------------------------------------
// Option bytes a decoder must refuse, with where it must say the problem is

export interface BadOption {
  /** Which rule it breaks. */
  name: string;
  /** The whole option, type byte first, a multiple of 8 bytes. */
  bytes: Uint8Array;
  /** The field the DecodeError must name (below `options[i]`). */
  field: 'length' | 'domains';
  /** The offset the error must give, from the option's first byte. */
  at: number;
}

function optionBytes(type: number, units: number, reserved: number, life: number, body: Uint8Array): Uint8Array {
  const b = new Uint8Array(8 * units);
  b[0] = type;
  b[1] = units;
  b[2] = reserved >>> 8;
  b[3] = reserved & 0xff;
  b[4] = life >>> 24;
  b[5] = (life >>> 16) & 0xff;
  b[6] = (life >>> 8) & 0xff;
  b[7] = life & 0xff;
  b.set(body.subarray(0, b.length - 8), 8);
  return b;
}

const goodNames = fc.array(wireName(anyLabel), { maxLength: 2 }).map((names) => {
  const parts = names.map(nameWire);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
});

/** A DNSSL body: `before` (good names), then `bad` at its offset, then `after`; padded with `fill`. */
function dnsslWith(before: Uint8Array, bad: Uint8Array, after: Uint8Array, fill: number, life: number, reserved: number, size?: number): { bytes: Uint8Array; at: number } {
  const body = new Uint8Array(before.length + bad.length + after.length);
  body.set(before);
  body.set(bad, before.length);
  body.set(after, before.length + bad.length);
  const units = size ?? Math.max(2, Math.ceil((8 + body.length) / 8));
  const bytesOut = optionBytes(31, units, reserved, life, body);
  bytesOut.fill(fill, 8 + body.length);
  return { bytes: bytesOut, at: 8 + before.length };
}

/**
 * DNSSL and RDNSS options that must become `malformed` (cause 'contents'): each of the edge cases
 * of RFC 8106 and RFC 1035 names (FreeBSD-SA-20:32 was a memory-safety bug in exactly this code).
 */
export const badDnsslOrRdnss: fc.Arbitrary<BadOption> = fc.oneof(
  // A zero where a name starts is padding; a name after it follows an empty name.
  fc.tuple(goodNames, wireName(anyLabel), lifetime, u16).map(([before, next, life, r]): BadOption => {
    const { bytes: b, at } = dnsslWith(before, Uint8Array.of(0), nameWire(next), 0, life, r);
    return { name: 'zero-length label before another name', bytes: b, field: 'domains', at };
  }),
  fc.tuple(goodNames, fc.integer({ min: 64, max: 0xbf }), bytes(0, 20), lifetime, u16).map(([before, len, rest, life, r]): BadOption => {
    const { bytes: b, at } = dnsslWith(before, Uint8Array.of(len, ...rest), new Uint8Array(0), 0, life, r);
    return { name: `label of ${len} bytes`, bytes: b, field: 'domains', at };
  }),
  fc.tuple(goodNames, bytes(0, 2), fc.integer({ min: 0xc0, max: 0xff }), u8, lifetime, u16).map(([before, label, ptr, low, life, r]): BadOption => {
    // A pointer either where a name starts, or after a label of the name.
    const lead = label.length > 0 ? Uint8Array.of(label.length, ...label) : new Uint8Array(0);
    const { bytes: b, at } = dnsslWith(before, Uint8Array.of(...lead, ptr, low), new Uint8Array(0), 0, life, r);
    return { name: 'compression pointer', bytes: b, field: 'domains', at: at + lead.length };
  }),
  fc.tuple(goodNames, fc.array(fc.integer({ min: 52, max: 63 }), { minLength: 5, maxLength: 7 }), lifetime, u16).map(([before, lens, life, r]): BadOption => {
    // Labels adding up past 255 bytes with their length bytes: refused where the name starts.
    const long = lens.flatMap((n) => [n, ...new Array<number>(n).fill(0x61)]);
    const { bytes: b, at } = dnsslWith(before, Uint8Array.from([...long, 0]), new Uint8Array(0), 0, life, r);
    return { name: 'name over 255 bytes', bytes: b, field: 'domains', at };
  }),
  fc.tuple(goodNames, fc.integer({ min: 2, max: 120 }), lifetime, u16).map(([before, room, life, r]): BadOption => {
    // Labels that fill the option exactly, with no terminating zero.
    const units = Math.ceil((8 + before.length + room) / 8);
    let left = 8 * units - 8 - before.length;
    const tail: number[] = [];
    while (left > 0) {
      let n = Math.min(63, left - 1);
      if (left - 1 - n === 1) n -= 1; // a label needs two bytes at least
      tail.push(n, ...new Array<number>(n).fill(0x62));
      left -= 1 + n;
    }
    const { bytes: b, at } = dnsslWith(before, Uint8Array.from(tail), new Uint8Array(0), 0, life, r, units);
    return { name: 'name without terminating zero', bytes: b, field: 'domains', at };
  }),
  fc.tuple(goodNames, fc.integer({ min: 0, max: 150 }), fc.integer({ min: 0, max: 62 }), lifetime, u16).map(([before, room, over, life, r]): BadOption => {
    // Complete one-label names fill the option until at most 63 bytes are left; then a label
    // length that needs more bytes than remain.
    const units = Math.max(2, Math.ceil((8 + before.length + 1 + room) / 8));
    let left = 8 * units - 8 - before.length;
    const fill: number[] = [];
    while (left > 63) {
      const n = left === 64 ? 1 : 61;
      fill.push(n, ...new Array<number>(n).fill(0x61), 0);
      left -= n + 2;
    }
    // `left` bytes remain (1..63): a label of `left` or more bytes does not fit after its length byte.
    const len = Math.min(63, left + over);
    const { bytes: b, at } = dnsslWith(before, Uint8Array.from([...fill, len]), new Uint8Array(0), 0x63, life, r, units);
    return { name: 'label past the option', bytes: b, field: 'domains', at: at + fill.length };
  }),
  fc.tuple(lifetime, u16).map(([life, r]): BadOption => ({ name: 'DNSSL of 1 unit', bytes: optionBytes(31, 1, r, life, new Uint8Array(0)), field: 'length', at: 1 })),
  fc.tuple(fc.constantFrom(1, 2, 4, 6, 8), lifetime, u16, bytes(0, 64)).map(([units, life, r, body]): BadOption => ({
    name: `RDNSS of ${units} units`,
    bytes: optionBytes(25, units, r, life, body),
    field: 'length',
    at: 1,
  })),
);

// ---------------------------------------------------------------------------------------------
// ICMPv6 messages, in decoded (canonical) form

const header = { code: icmpCode, checksum: u16 };

export const routerSolicit: fc.Arbitrary<RouterSolicit> = fc.record({
  kind: fc.constant('router-solicit' as const),
  ...header,
  reserved: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, u32),
  options: ndOptions,
});

export const routerAdvert: fc.Arbitrary<RouterAdvert> = fc.record({
  kind: fc.constant('router-advert' as const),
  ...header,
  curHopLimit: u8,
  managed: fc.boolean(),
  other: fc.boolean(),
  homeAgent: fc.boolean(),
  preference,
  proxy: fc.boolean(),
  reservedFlags: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, fc.integer({ min: 0, max: 3 })),
  routerLifetime: u16,
  reachableTime: u32,
  retransTimer: u32,
  options: ndOptions,
});

export const neighborSolicit: fc.Arbitrary<NeighborSolicit> = fc.record({
  kind: fc.constant('neighbor-solicit' as const),
  ...header,
  reserved: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, u32),
  target: ipv6Address,
  options: ndOptions,
});

export const neighborAdvert: fc.Arbitrary<NeighborAdvert> = fc.record({
  kind: fc.constant('neighbor-advert' as const),
  ...header,
  router: fc.boolean(),
  solicited: fc.boolean(),
  override: fc.boolean(),
  reserved: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, fc.integer({ min: 0, max: 2 ** 29 - 1 })),
  target: ipv6Address,
  options: ndOptions,
});

export const redirect: fc.Arbitrary<Redirect> = fc.record({
  kind: fc.constant('redirect' as const),
  ...header,
  reserved: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, u32),
  target: ipv6Address,
  destination: ipv6Address,
  options: ndOptions,
});

export const echo: fc.Arbitrary<Echo> = fc.record({
  kind: fc.constantFrom('echo-request' as const, 'echo-reply' as const),
  ...header,
  identifier: u16,
  sequence: u16,
  data: bytes(0, 64),
});

/** ICMPv6 types decoded into their own shapes; every other type is `{kind: 'icmpv6'}`. */
export const KNOWN_ICMPV6_TYPES: readonly number[] = [128, 129, 133, 134, 135, 136, 137];

export const otherIcmpv6: fc.Arbitrary<OtherIcmpv6> = fc.record({
  kind: fc.constant('icmpv6' as const),
  type: u8.filter((t) => !KNOWN_ICMPV6_TYPES.includes(t)),
  code: u8,
  checksum: u16,
  body: bytes(0, 64),
});

export const ND_MESSAGE_KINDS = {
  'router-solicit': routerSolicit,
  'router-advert': routerAdvert,
  'neighbor-solicit': neighborSolicit,
  'neighbor-advert': neighborAdvert,
  redirect,
} satisfies Record<NdMessage['kind'], fc.Arbitrary<NdMessage>>;

export const ndMessage: fc.Arbitrary<NdMessage> = fc.oneof(...Object.values(ND_MESSAGE_KINDS).map((a) => a as fc.Arbitrary<NdMessage>));

export const icmpv6Message: fc.Arbitrary<Icmpv6Message> = fc.oneof(
  { weight: 5, arbitrary: ndMessage as fc.Arbitrary<Icmpv6Message> },
  { weight: 1, arbitrary: echo as fc.Arbitrary<Icmpv6Message> },
  { weight: 1, arbitrary: otherIcmpv6 as fc.Arbitrary<Icmpv6Message> },
);

/** `m` without its checksum, so an encoder given a pseudo-header computes it. */
export function withoutChecksum<T extends { checksum: number }>(m: T): Omit<T, 'checksum'> {
  const { checksum: _checksum, ...rest } = m;
  return rest;
}

// ---------------------------------------------------------------------------------------------
// ARP, Ethernet, IPv4, IPv6

export const arpEthernetIpv4: fc.Arbitrary<EthernetIpv4Arp> = fc.record({
  form: fc.constant('ethernet-ipv4' as const),
  hardwareType: fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, u16),
  op: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(1, 2) }, u16),
  senderMac: macAddress,
  senderIp: ipv4Address,
  targetMac: macAddress,
  targetIp: ipv4Address,
});

export const arpGeneric: fc.Arbitrary<GenericArp> = fc
  .record({
    hardwareType: u16,
    protocolType: u16,
    op: u16,
    hlen: fc.integer({ min: 0, max: 32 }),
    plen: fc.integer({ min: 0, max: 20 }),
    sha: bytes(32, 32),
    spa: bytes(20, 20),
    tha: bytes(32, 32),
    tpa: bytes(20, 20),
  })
  .map(({ hardwareType, protocolType, op, hlen, plen, sha, spa, tha, tpa }) => ({
    form: 'generic' as const,
    hardwareType,
    // 6/4 with IPv4 is the Ethernet/IPv4 form, by definition not generic.
    protocolType: hlen === 6 && plen === 4 && protocolType === 0x0800 ? 0x0801 : protocolType,
    op,
    senderHardware: sha.subarray(0, hlen),
    senderProtocol: spa.subarray(0, plen),
    targetHardware: tha.subarray(0, hlen),
    targetProtocol: tpa.subarray(0, plen),
  }));

export const arp: fc.Arbitrary<Arp> = fc.oneof({ weight: 3, arbitrary: arpEthernetIpv4 as fc.Arbitrary<Arp> }, { weight: 1, arbitrary: arpGeneric as fc.Arbitrary<Arp> });

export const vlanTag = fc.record({ pcp: fc.integer({ min: 0, max: 7 }), dei: fc.boolean(), id: fc.integer({ min: 0, max: 4095 }) });

/** Ethernet frames with or without an 802.1Q tag (an untagged frame never has EtherType 0x8100). */
export function ethernetFrame(tagged: boolean): fc.Arbitrary<EthernetFrame> {
  const base = { dst: macAddress, src: macAddress, etherType: u16, payload: bytes(0, 64) };
  if (tagged) return fc.record({ ...base, vlan: vlanTag });
  return fc.record(base).map((f) => (f.etherType === 0x8100 ? { ...f, etherType: 0x88a8 } : f));
}

/** IPv4 options: whole 32-bit words, at most 40 bytes. */
export const ipv4Options = bytesStepped(0, 4, 40);

/** An IPv4 header and payload as an encoder takes it (length, IHL and checksum computed). */
export const ipv4Input = fc
  .record({
    dscp: fc.integer({ min: 0, max: 63 }),
    ecn: fc.integer({ min: 0, max: 3 }),
    identification: u16,
    reservedFlag: fc.boolean(),
    dontFragment: fc.boolean(),
    moreFragments: fc.boolean(),
    fragmentOffset: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, fc.integer({ min: 0, max: 8191 })),
    ttl: u8,
    protocol: u8.map((p) => (p === 41 ? 4 : p)), // 41 carries IPv6: see ip6in4
    src: ipv4Address,
    dst: ipv4Address,
    options: ipv4Options,
    payload: bytes(0, 64),
  });

const optionsHeaderData = bytesStepped(6, 8, 30);

export const extensionHeader: fc.Arbitrary<ExtensionHeaderInput> = fc.oneof(
  fc.record({ kind: fc.constant('hop-by-hop' as const), data: optionsHeaderData }),
  fc.record({ kind: fc.constant('destination-options' as const), data: optionsHeaderData }),
  fc.record({ kind: fc.constant('routing' as const), routingType: u8, segmentsLeft: u8, data: bytesStepped(4, 8, 36) }),
  fc.record({
    kind: fc.constant('fragment' as const),
    reserved: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, u8),
    fragmentOffset: fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, fc.integer({ min: 0, max: 8191 })),
    reserved2: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, fc.integer({ min: 0, max: 3 })),
    moreFragments: fc.boolean(),
    identification: u32,
  }),
);

/** Upper-layer protocol numbers that are not extension headers. */
export const upperProtocol = u8.filter((p) => p !== 0 && p !== 43 && p !== 44 && p !== 60);

/**
 * Extension headers in any order; a fragment with a non-zero offset ends the list, because what
 * follows it is not the start of a header.
 */
export const extensionHeaders = fc.array(extensionHeader, { maxLength: 4 }).map((exts) => {
  const cut = exts.findIndex((e) => e.kind === 'fragment' && e.fragmentOffset !== 0);
  return cut < 0 ? exts : exts.slice(0, cut + 1);
});

/** An IPv6 header, extension headers and payload as an encoder takes them. */
export const ipv6Input = fc.record({
  trafficClass: u8,
  flowLabel: fc.integer({ min: 0, max: 0xf_ffff }),
  hopLimit: u8,
  src: ipv6Address,
  dst: ipv6Address,
  extensions: extensionHeaders,
  protocol: upperProtocol,
  payload: bytes(0, 64),
});

// ---------------------------------------------------------------------------------------------
// Whole packets for packet.ts

export interface PacketCase {
  /** Where decoding starts. */
  link: LinkKind;
  input: PacketInput;
}

const ethernetHeader = fc.record({ dst: macAddress, src: macAddress }, { requiredKeys: ['dst', 'src'] });
const ethernetMaybeTagged = fc.tuple(ethernetHeader, fc.option(vlanTag, { nil: undefined })).map(([e, vlan]) => (vlan ? { ...e, vlan } : e));

/** IPv6 header fields for a packet that carries ICMPv6 (no fragmentation, so it decodes whole). */
const ipv6ForIcmp = fc.record({
  trafficClass: u8,
  flowLabel: fc.integer({ min: 0, max: 0xf_ffff }),
  hopLimit: fc.oneof({ weight: 3, arbitrary: fc.constant(255) }, u8),
  src: ipv6Address,
  dst: ipv6Address,
  extensions: fc.array(extensionHeader, { maxLength: 2 }).map((exts) => exts.filter((e) => e.kind !== 'fragment')),
});

const icmpNoChecksum = icmpv6Message.map((m) => withoutChecksum(m) as PacketInput['icmpv6']);

const ipv4Unfragmented = ipv4Input.map(({ payload: _payload, protocol: _protocol, ...h }) => ({ ...h, moreFragments: false, fragmentOffset: 0 }));

export const packetCase: fc.Arbitrary<PacketCase> = fc.oneof(
  fc.record({ ethernet: ethernetMaybeTagged, arp }).map((input) => ({ link: 'ethernet' as const, input })),
  fc.record({ ethernet: ethernetMaybeTagged, ipv6: ipv6ForIcmp, icmpv6: icmpNoChecksum }).map((input) => ({ link: 'ethernet' as const, input })),
  fc.record({ ethernet: ethernetHeader, ipv4: ipv4Unfragmented, ipv6: ipv6ForIcmp, icmpv6: icmpNoChecksum }).map((input) => ({ link: 'ethernet' as const, input })),
  fc
    .record({ ethernet: ethernetMaybeTagged, ipv4: ipv4Input, payload: bytes(1, 64) })
    .map(({ ethernet, ipv4, payload }) => {
      const { payload: _p, ...h } = ipv4;
      return { link: 'ethernet' as const, input: { ethernet, ipv4: h, payload } };
    }),
  fc
    .record({ ethernet: ethernetHeader, ipv6: ipv6Input, payload: bytes(1, 64) })
    .map(({ ethernet, ipv6, payload }) => {
      const { payload: _p, ...h } = ipv6;
      return { link: 'ethernet' as const, input: { ethernet, ipv6: { ...h, protocol: h.protocol === 58 ? 17 : h.protocol }, payload } };
    }),
  fc
    .record({ ethernet: ethernetHeader, etherType: u16.filter((t) => ![0x0800, 0x0806, 0x86dd, 0x8100].includes(t)), payload: bytes(1, 64) })
    .map(({ ethernet, etherType, payload }) => ({ link: 'ethernet' as const, input: { ethernet: { ...ethernet, etherType }, payload } })),
  fc.record({ ipv6: ipv6ForIcmp, icmpv6: icmpNoChecksum }).map((input) => ({ link: 'ipv6' as const, input })),
  fc.record({ ipv4: ipv4Unfragmented, ipv6: ipv6ForIcmp, icmpv6: icmpNoChecksum }).map((input) => ({ link: 'ipv4' as const, input })),
  icmpv6Message.map((m) => ({ link: 'icmpv6' as const, input: { icmpv6: m as PacketInput['icmpv6'] } })),
);

// ---------------------------------------------------------------------------------------------
// Captures

export interface CaptureInput {
  interfaces: { linkType: number; name?: string; snapLength: number }[];
  packets: { interfaceId: number; timestamp: number; data: Uint8Array; originalLength: number; comment?: string }[];
}

const captureName = unicodeText(12).map((s) => s.replace(/\0/g, '_')).filter((s) => s.length > 0);

export const captureInput: fc.Arbitrary<CaptureInput> = fc
  .record({
    interfaces: fc.array(
      fc.record({ linkType: u16, name: captureName, snapLength: u32 }, { requiredKeys: ['linkType', 'snapLength'] }),
      { minLength: 1, maxLength: 3 },
    ),
    packets: fc.array(
      fc.record(
        {
          interfaceId: fc.nat(),
          timestamp: fc.oneof(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 1_600_000_000_000_000, max: 1_900_000_000_000_000 })),
          data: bytes(0, 48),
          originalLength: u32,
          comment: unicodeText(10),
        },
        { requiredKeys: ['interfaceId', 'timestamp', 'data', 'originalLength'] },
      ),
      { maxLength: 5 },
    ),
  })
  .map(({ interfaces, packets }) => ({ interfaces, packets: packets.map((p) => ({ ...p, interfaceId: p.interfaceId % interfaces.length })) }));

// ---------------------------------------------------------------------------------------------
// Mutations of valid bytes

export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; count: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.oneof(u8, fc.constantFrom(0, 1, 0x7f, 0x80, 0xff)) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: bytes(1, 8) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }) },
);

/** Applies mutations in order; positions wrap around the current length. */
export function mutate(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b = input.slice();
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % (m.kind === 'insert' || m.kind === 'truncate' ? b.length + 1 : b.length);
    switch (m.kind) {
      case 'flip':
        if (b.length > 0) b[at] ^= 1 << m.bit;
        break;
      case 'set':
        if (b.length > 0) b[at] = m.value;
        break;
      case 'truncate':
        b = b.slice(0, at);
        break;
      case 'insert':
        b = Uint8Array.from([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)]);
        break;
      case 'delete':
        b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + m.count)]);
        break;
    }
  }
  return b;
}

export const mutations = fc.array(mutation, { minLength: 1, maxLength: 4 });

export type OptionEdit =
  | { kind: 'duplicate'; i: number }
  | { kind: 'swap'; i: number; j: number }
  | { kind: 'remove'; i: number }
  | { kind: 'splice'; at: number; donor: number }
  | { kind: 'length'; i: number; units: number };

/** Edits to a message's option list: duplicated, reordered, removed, spliced-in, re-lengthed options. */
export const optionEdit: fc.Arbitrary<OptionEdit> = fc.oneof(
  fc.record({ kind: fc.constant('duplicate' as const), i: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), i: fc.nat(), j: fc.nat() }),
  fc.record({ kind: fc.constant('remove' as const), i: fc.nat() }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), donor: fc.nat() }),
  fc.record({ kind: fc.constant('length' as const), i: fc.nat(), units: fc.oneof(u8, fc.constantFrom(0, 1, 2, 3, 4, 5)) }),
);

/** Applies option edits to a list of encoded options; `donors` are options from other packets. */
export function editOptions(options: readonly Uint8Array[], edits: readonly OptionEdit[], donors: readonly Uint8Array[]): Uint8Array[] {
  const out = options.map((o) => o.slice());
  for (const e of edits) {
    const n = out.length;
    switch (e.kind) {
      case 'duplicate':
        if (n > 0) out.splice(e.i % n, 0, out[e.i % n].slice());
        break;
      case 'swap':
        if (n > 1) [out[e.i % n], out[e.j % n]] = [out[e.j % n], out[e.i % n]];
        break;
      case 'remove':
        if (n > 0) out.splice(e.i % n, 1);
        break;
      case 'splice':
        if (donors.length > 0) out.splice(e.at % (n + 1), 0, donors[e.donor % donors.length].slice());
        break;
      case 'length':
        if (n > 0 && out[e.i % n].length > 1) out[e.i % n][1] = e.units;
        break;
    }
  }
  return out;
}

export const optionEdits = fc.array(optionEdit, { maxLength: 4 });

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
