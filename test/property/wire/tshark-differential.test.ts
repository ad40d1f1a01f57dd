/**
 * Differential test against Wireshark's dissectors: for each ND message kind and each ARP form,
 * 1,000 random packets encoded by linklab (whole Ethernet frames, correct checksums) go into one
 * pcapng, one `tshark -T json` run dissects them, and every field tshark shows must equal
 * linklab's own decode. tshark must find nothing malformed and raise no expert error.
 *
 * The packets are random but stay within what both sides define: option types tshark does not
 * know are picked outside its list (it dissects 6-36 as SEND, mobility and 6LoWPAN options),
 * DNSSL labels are letters, digits and hyphens (tshark escapes other bytes its own way), PREF64
 * codes are the assigned 0-5 (tshark calls 6 and 7 an invalid length), and a redirected header
 * quotes a real IPv6 packet (tshark dissects it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tierAvailable } from '../../helpers/tier.js';
import { all, dissect, get, isTree, parseOrdered, problems, str, subtrees, type Tree } from '../../helpers/tshark.js';
import * as A from '../../helpers/arbitraries.js';
import * as packet from '../../../src/core/wire/packet.js';
import * as ipv6 from '../../../src/core/wire/ipv6.js';
import { PcapngWriter } from '../../../src/core/wire/pcapng.js';
import { LINKTYPE_ETHERNET } from '../../../src/core/wire/linktype.js';
import { Ipv6Address } from '../../../src/core/wire/ipv6-address.js';
import { Ipv4Address } from '../../../src/core/wire/ipv4-address.js';
import { MacAddress } from '../../../src/core/wire/mac-address.js';
import type { NdOption } from '../../../src/core/wire/ndisc/option-list.js';
import { PLC_PREFIX_LENGTHS } from '../../../src/core/wire/ndisc/options/pref64.js';
import type { NdMessage } from '../../../src/core/wire/icmpv6.js';
import type { Arp } from '../../../src/core/wire/arp.js';

const FILE = 'test/property/wire/tshark-differential.test.ts';
const runs = tierAvailable(FILE, { commands: ['tshark'] });
const PACKETS = 1000;
const SEED = Number(process.env.LINKLAB_FC_SEED) || Math.floor(Math.random() * 2 ** 31);

// ---------------------------------------------------------------------------------------------
// What to generate

/** Option types neither side interprets: tshark dissects 6-36 (but 21, 22) and linklab 37, 38. */
const unknownType = fc.oneof(fc.constantFrom(21, 22), fc.integer({ min: 39, max: 255 }));

/** A small IPv6 packet to quote in a redirected header: header and an 8-byte ICMPv6 echo. */
const quotedPacket = fc.tuple(A.ipv6Address, A.ipv6Address, A.u8).map(([src, dst, hl]) =>
  ipv6.encode({ src, dst, hopLimit: hl, protocol: 58, payload: Uint8Array.of(128, 0, 0, 0, 0, 1, 0, 1) }),
);

const tsharkOption: fc.Arbitrary<NdOption> = fc.oneof(
  A.linkLayerAddressOption,
  A.prefixInfoOption.map((o) => ({ ...o, prefixLength: o.prefixLength % 129 })),
  fc.record({ kind: fc.constant('redirected-header' as const), reserved: fc.constant(0), data: quotedPacket }),
  A.mtuOption,
  A.nonceOption,
  A.routeInfoOption,
  A.rdnssOption,
  A.dnsslOptionOf(A.ldhLabel),
  A.captivePortalOption.filter((o) => /^[\x21-\x7e]*$/.test(o.uri)),
  A.pref64Option.map((o) => ({ ...o, plc: o.plc % 6 })),
  fc.record({ kind: fc.constant('unknown' as const), type: unknownType, data: A.bytesStepped(6, 8, 30) }),
) as fc.Arbitrary<NdOption>;

const tsharkOptions = fc.array(tsharkOption, { maxLength: 6 });

const KINDS: Record<string, fc.Arbitrary<NdMessage>> = {
  'router-solicit': A.routerSolicit.map((m) => ({ ...m, options: [] })),
  'router-advert': A.routerAdvert,
  'neighbor-solicit': A.neighborSolicit,
  'neighbor-advert': A.neighborAdvert,
  redirect: A.redirect,
};

function frameFor(m: NdMessage, e: { src: MacAddress; dst: MacAddress }, src: Ipv6Address, dst: Ipv6Address): Uint8Array {
  return packet.encode({ ethernet: e, ipv6: { src, dst, hopLimit: 255 }, icmpv6: A.withoutChecksum(m) as packet.PacketInput['icmpv6'] });
}

// ---------------------------------------------------------------------------------------------
// How tshark writes what linklab decodes

const hex2 = (n: number, width: number): string => '0x' + n.toString(16).padStart(width, '0');
const colonHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':');
const bit = (on: boolean): string => (on ? '1' : '0');

/** Collects "field: tshark X, linklab Y" lines for one packet. */
class Comparison {
  readonly mismatches: string[] = [];
  constructor(private readonly where: string) {}

  /** tshark's text for `key` must be `expected` (a field it must show). */
  field(tree: Tree, key: string, expected: string): void {
    const got = get(tree, key);
    if (got !== expected) this.mismatches.push(`${this.where}: ${key}: tshark ${JSON.stringify(got)}, linklab ${JSON.stringify(expected)}`);
  }

  /** Addresses compare as addresses: tshark and linklab may write the same one differently. */
  ipv6(tree: Tree, key: string, expected: Ipv6Address): void {
    const got = get(tree, key);
    const parsed = typeof got === 'string' ? Ipv6Address.tryParse(got) : null;
    if (!parsed || !parsed.equals(expected)) this.mismatches.push(`${this.where}: ${key}: tshark ${JSON.stringify(got)}, linklab ${expected}`);
  }

  ipv6s(tree: Tree, key: string, expected: Ipv6Address[]): void {
    const got = all(tree, key);
    const same = got.length === expected.length && got.every((g, i) => typeof g === 'string' && Ipv6Address.tryParse(g)?.equals(expected[i]));
    if (!same) this.mismatches.push(`${this.where}: ${key}: tshark ${JSON.stringify(got)}, linklab ${JSON.stringify(expected.map(String))}`);
  }

  values(tree: Tree, key: string, expected: string[]): void {
    const got = all(tree, key);
    if (JSON.stringify(got) !== JSON.stringify(expected)) this.mismatches.push(`${this.where}: ${key}: tshark ${JSON.stringify(got)}, linklab ${JSON.stringify(expected)}`);
  }

  check(ok: boolean, what: string): void {
    if (!ok) this.mismatches.push(`${this.where}: ${what}`);
  }
}

function compareOption(c: Comparison, t: Tree, o: NdOption): void {
  switch (o.kind) {
    case 'source-lla':
      c.field(t, 'icmpv6.opt.src_linkaddr', o.address.toString());
      break;
    case 'target-lla':
      c.field(t, 'icmpv6.opt.target_linkaddr', o.address.toString());
      break;
    case 'prefix-info': {
      c.field(t, 'icmpv6.opt.prefix.length', String(o.prefixLength));
      const flags = (o.onLink ? 0x80 : 0) | (o.autonomous ? 0x40 : 0) | (o.routerAddress ? 0x20 : 0) | o.reserved1;
      c.field(t, 'icmpv6.opt.prefix.flag', hex2(flags, 2));
      const ft = get(t, 'icmpv6.opt.prefix.flag_tree');
      if (isTree(ft)) {
        c.field(ft, 'icmpv6.opt.prefix.flag.l', bit(o.onLink));
        c.field(ft, 'icmpv6.opt.prefix.flag.a', bit(o.autonomous));
        c.field(ft, 'icmpv6.opt.prefix.flag.r', bit(o.routerAddress));
        c.field(ft, 'icmpv6.opt.prefix.flag.reserved', String(o.reserved1));
      } else c.check(false, 'prefix flag tree missing');
      // Lifetimes: tshark gives the raw number (all ones included) and says "Infinity" only in
      // its label, so no normalising is needed.
      c.field(t, 'icmpv6.opt.prefix.valid_lifetime', String(o.validLifetime));
      c.field(t, 'icmpv6.opt.prefix.preferred_lifetime', String(o.preferredLifetime));
      c.ipv6(t, 'icmpv6.opt.prefix', o.prefix);
      break;
    }
    case 'redirected-header': {
      const quoted = get(t, 'ipv6');
      c.check(get(t, 'icmpv6.opt.redirected_packet') !== undefined, 'redirected packet not shown');
      if (isTree(quoted)) {
        c.ipv6(quoted, 'ipv6.src', Ipv6Address.read(o.data, 8));
        c.ipv6(quoted, 'ipv6.dst', Ipv6Address.read(o.data, 24));
      } else c.check(false, 'quoted IPv6 packet not dissected');
      break;
    }
    case 'mtu':
      c.field(t, 'icmpv6.opt.mtu', String(o.mtu));
      break;
    case 'nonce':
      c.field(t, 'icmpv6.opt.nonce', colonHex(o.nonce));
      break;
    case 'route-info': {
      c.field(t, 'icmpv6.opt.prefix.length', String(o.prefixLength));
      const pref = ['medium', 'high', 'reserved', 'low'].indexOf(o.preference);
      c.field(t, 'icmpv6.opt.route_info.flag', hex2((o.reservedHigh << 5) | (pref << 3) | o.reservedLow, 2));
      const ft = get(t, 'icmpv6.opt.route_info.flag_tree');
      if (isTree(ft)) c.field(ft, 'icmpv6.opt.route_info.flag.route_preference', String(pref));
      else c.check(false, 'route information flag tree missing');
      c.field(t, 'icmpv6.opt.route_lifetime', String(o.lifetime));
      // tshark shows no prefix field when the option carries none (length 1, ::/0).
      if (o.length > 1) c.ipv6(t, 'icmpv6.opt.prefix', o.prefix);
      break;
    }
    case 'rdnss':
      c.field(t, 'icmpv6.opt.rdnss.lifetime', String(o.lifetime));
      c.ipv6s(t, 'icmpv6.opt.rdnss', o.servers);
      break;
    case 'dnssl':
      c.field(t, 'icmpv6.opt.dnssl.lifetime', String(o.lifetime));
      c.values(t, 'icmpv6.opt.dnssl', o.domains);
      break;
    case 'captive-portal':
      c.field(t, 'icmpv6.opt.captive_portal', o.uri);
      break;
    case 'pref64':
      c.field(t, 'icmpv6.opt.pref64.scaled_lifetime', String(o.scaledLifetime));
      c.field(t, 'icmpv6.opt.pref64.plc', hex2(o.plc, 4));
      // RFC 8781 4: bits past the prefix length the PLC gives are ignored by receivers. tshark
      // shows the prefix cut to that length; linklab keeps every bit it got, so cut it here.
      c.ipv6(t, 'icmpv6.opt.pref64.prefix', o.prefix.mask(PLC_PREFIX_LENGTHS[o.plc]));
      break;
    case 'unknown':
      c.field(t, 'icmpv6.data', colonHex(o.data));
      break;
    case 'malformed':
      c.check(false, `linklab found a malformed option: ${o.error.message}`);
      break;
  }
}

function optionUnits(o: NdOption): number {
  switch (o.kind) {
    case 'source-lla':
    case 'target-lla':
    case 'mtu':
      return 1;
    case 'prefix-info':
      return 4;
    case 'pref64':
      return 2;
    case 'redirected-header':
      return 1 + o.data.length / 8;
    case 'nonce':
      return (o.nonce.length + 2) / 8;
    case 'rdnss':
      return 1 + 2 * o.servers.length;
    case 'unknown':
      return (o.data.length + 2) / 8;
    case 'malformed':
      return o.bytes[1];
    default:
      return o.length;
  }
}

function optionTypeOf(o: NdOption): number {
  const types: Record<string, number> = { 'source-lla': 1, 'target-lla': 2, 'prefix-info': 3, 'redirected-header': 4, mtu: 5, nonce: 14, 'route-info': 24, rdnss: 25, dnssl: 31, 'captive-portal': 37, pref64: 38 };
  return o.kind === 'unknown' ? o.type : o.kind === 'malformed' ? o.bytes[0] : types[o.kind];
}

function compareNd(c: Comparison, t: Tree, p: packet.Packet): void {
  const m = p.icmpv6 as NdMessage;
  const types = { 'router-solicit': 133, 'router-advert': 134, 'neighbor-solicit': 135, 'neighbor-advert': 136, redirect: 137 };
  c.field(t, 'icmpv6.type', String(types[m.kind]));
  c.field(t, 'icmpv6.code', String(m.code));
  c.field(t, 'icmpv6.checksum', hex2(m.checksum, 4));
  // tshark's checksum status: 1 is "Good", 0 "Bad".
  c.field(t, 'icmpv6.checksum.status', p.icmpv6ChecksumOk ? '1' : '0');
  c.check(p.icmpv6ChecksumOk === true, 'linklab says the checksum is bad');
  const reserved = (r: number): string => colonHex(Uint8Array.of(r >>> 24, (r >>> 16) & 255, (r >>> 8) & 255, r & 255));
  switch (m.kind) {
    case 'router-solicit':
      c.field(t, 'icmpv6.reserved', reserved(m.reserved));
      break;
    case 'router-advert': {
      c.field(t, 'icmpv6.nd.ra.cur_hop_limit', String(m.curHopLimit));
      const pref = ['medium', 'high', 'reserved', 'low'].indexOf(m.preference);
      const flags = (m.managed ? 0x80 : 0) | (m.other ? 0x40 : 0) | (m.homeAgent ? 0x20 : 0) | (pref << 3) | (m.proxy ? 4 : 0) | m.reservedFlags;
      c.field(t, 'icmpv6.nd.ra.flag', hex2(flags, 2));
      const ft = get(t, 'icmpv6.nd.ra.flag_tree');
      if (isTree(ft)) {
        c.field(ft, 'icmpv6.nd.ra.flag.m', bit(m.managed));
        c.field(ft, 'icmpv6.nd.ra.flag.o', bit(m.other));
        c.field(ft, 'icmpv6.nd.ra.flag.h', bit(m.homeAgent));
        c.field(ft, 'icmpv6.nd.ra.flag.prf', String(pref));
        c.field(ft, 'icmpv6.nd.ra.flag.p', bit(m.proxy));
        c.field(ft, 'icmpv6.nd.ra.flag.rsv', String(m.reservedFlags));
      } else c.check(false, 'RA flag tree missing');
      c.field(t, 'icmpv6.nd.ra.router_lifetime', String(m.routerLifetime));
      c.field(t, 'icmpv6.nd.ra.reachable_time', String(m.reachableTime));
      c.field(t, 'icmpv6.nd.ra.retrans_timer', String(m.retransTimer));
      break;
    }
    case 'neighbor-solicit':
      c.field(t, 'icmpv6.reserved', reserved(m.reserved));
      c.ipv6(t, 'icmpv6.nd.ns.target_address', m.target);
      break;
    case 'neighbor-advert': {
      const flags = ((m.router ? 0x8000_0000 : 0) | (m.solicited ? 0x4000_0000 : 0) | (m.override ? 0x2000_0000 : 0) | m.reserved) >>> 0;
      c.field(t, 'icmpv6.nd.na.flag', hex2(flags, 8));
      const ft = get(t, 'icmpv6.nd.na.flag_tree');
      if (isTree(ft)) {
        c.field(ft, 'icmpv6.nd.na.flag.r', bit(m.router));
        c.field(ft, 'icmpv6.nd.na.flag.s', bit(m.solicited));
        c.field(ft, 'icmpv6.nd.na.flag.o', bit(m.override));
        c.field(ft, 'icmpv6.nd.na.flag.rsv', String(m.reserved));
      } else c.check(false, 'NA flag tree missing');
      c.ipv6(t, 'icmpv6.nd.na.target_address', m.target);
      break;
    }
    case 'redirect':
      c.field(t, 'icmpv6.reserved', reserved(m.reserved));
      c.ipv6(t, 'icmpv6.nd.rd.target_address', m.target);
      c.ipv6(t, 'icmpv6.rd.na.destination_address', m.destination);
      break;
  }
  const shown = subtrees(t, 'icmpv6.opt');
  c.check(shown.length === m.options.length, `tshark shows ${shown.length} options, linklab ${m.options.length}`);
  m.options.forEach((o, i) => {
    const ot = shown[i];
    if (!ot) return;
    const oc = new Comparison(`options[${i}] (${o.kind})`);
    oc.field(ot, 'icmpv6.opt.type', String(optionTypeOf(o)));
    oc.field(ot, 'icmpv6.opt.length', String(optionUnits(o)));
    compareOption(oc, ot, o);
    c.mismatches.push(...oc.mismatches.map((x) => `${x}`));
  });
}

function compareArp(c: Comparison, t: Tree, a: Arp): void {
  const hw = a.form === 'ethernet-ipv4' ? [a.senderMac.toBytes(), a.targetMac.toBytes()] : [a.senderHardware, a.targetHardware];
  const proto = a.form === 'ethernet-ipv4' ? [a.senderIp.toBytes(), a.targetIp.toBytes()] : [a.senderProtocol, a.targetProtocol];
  c.field(t, 'arp.hw.type', String(a.hardwareType));
  c.field(t, 'arp.proto.type', hex2(a.form === 'ethernet-ipv4' ? 0x0800 : a.protocolType, 4));
  c.field(t, 'arp.hw.size', String(hw[0].length));
  c.field(t, 'arp.proto.size', String(proto[0].length));
  c.field(t, 'arp.opcode', String(a.op));
  // tshark names an address by type (hw_mac, proto_ipv4) when it recognises it, else shows the
  // bytes; both are compared as bytes.
  const addr = (side: 'src' | 'dst', kind: 'hw' | 'proto', expected: Uint8Array): void => {
    const typed = get(t, `arp.${side}.${kind === 'hw' ? 'hw_mac' : 'proto_ipv4'}`);
    const raw = get(t, `arp.${side}.${kind}`);
    let bytes: string | undefined;
    if (typeof typed === 'string') bytes = kind === 'hw' ? colonHex(MacAddress.parse(typed).toBytes()) : colonHex(Ipv4Address.parse(typed).toBytes());
    else if (typeof raw === 'string') bytes = raw;
    if (expected.length === 0) c.check(bytes === undefined || bytes === '', `arp.${side}.${kind}: tshark ${bytes}, linklab none`);
    else c.check(bytes === colonHex(expected), `arp.${side}.${kind}: tshark ${bytes}, linklab ${colonHex(expected)}`);
  };
  addr('src', 'hw', hw[0]);
  addr('src', 'proto', proto[0]);
  addr('dst', 'hw', hw[1]);
  if (a.op === 7 && a.hardwareType !== 3) {
    // DRARP error (RFC 1931): tshark reads the target protocol address as a one-byte status, except
    // over AX.25 (hardware type 3), whose opcode table has no DRARP (a scan of types 1, 3, 6 and 20,
    // hardware lengths 1-39, found only type 3 without the status).
    c.field(t, 'arp.dst.drarp_error_status', String(proto[1][0]));
  } else addr('dst', 'proto', proto[1]);
}

// ---------------------------------------------------------------------------------------------

let dir = '';
let keep = false; // a failing run keeps its captures for a look in Wireshark

async function differential(name: string, frames: Uint8Array[], compare: (c: Comparison, layers: Tree, p: packet.Packet) => void): Promise<void> {
  const w = new PcapngWriter();
  w.addInterface(LINKTYPE_ETHERNET, name);
  frames.forEach((f, i) => w.packet(0, 1_000_000 * i, f));
  const file = join(dir, `${name}.pcapng`);
  writeFileSync(file, w.bytes());
  const dissected = await dissect(file);
  expect(dissected).toHaveLength(frames.length);
  const mismatches: string[] = [];
  dissected.forEach((d, i) => {
    const c = new Comparison(`${name} packet ${i + 1}`);
    for (const p of problems(d.layers)) c.check(false, `tshark: ${p}`);
    const ours = packet.decode(frames[i]);
    compare(c, d.layers, ours);
    mismatches.push(...c.mismatches.map((x) => (x.startsWith(name) ? x : `${name} packet ${i + 1} ${x}`)));
  });
  if (mismatches.length > 0) {
    keep = true;
    throw new Error(`${mismatches.length} mismatches (seed ${SEED}; LINKLAB_FC_SEED=${SEED} replays; capture kept at ${file}):\n${mismatches.slice(0, 25).join('\n')}`);
  }
}

describe.skipIf(!runs)(`linklab and tshark agree on every field (seed ${SEED})`, () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'llwire-tshark-'));
  });
  afterAll(() => {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  });

  const addresses = fc.record({ eth: fc.record({ src: A.macAddress, dst: A.macAddress }), src: A.linkLocalAddress, dst: A.ipv6Address });

  for (const [kind, arbitrary] of Object.entries(KINDS)) {
    it(`${kind}: ${PACKETS} packets`, async () => {
      const withOptions = kind === 'router-solicit' ? fc.tuple(arbitrary, fc.array(A.linkLayerAddressOption.map((o) => ({ ...o, kind: 'source-lla' as const })), { maxLength: 1 }), tsharkOptions) : fc.tuple(arbitrary, fc.constant([]), tsharkOptions);
      const cases = fc.sample(fc.tuple(withOptions, addresses), { numRuns: PACKETS, seed: SEED + kind.length });
      const frames = cases.map(([[m, slla, options], a]) => frameFor({ ...m, options: kind === 'router-solicit' ? [...slla, ...options] : options } as NdMessage, a.eth, a.src, a.dst));
      await differential(kind, frames, (c, layers, p) => {
        const icmp = get(layers, 'icmpv6');
        if (!isTree(icmp) || !p.icmpv6) {
          c.check(false, 'no ICMPv6 layer');
          return;
        }
        const eth = get(layers, 'eth');
        const ip = get(layers, 'ipv6');
        if (isTree(eth) && isTree(ip) && p.ethernet && p.ipv6) {
          c.field(eth, 'eth.src', p.ethernet.src.toString());
          c.field(eth, 'eth.dst', p.ethernet.dst.toString());
          c.ipv6(ip, 'ipv6.src', p.ipv6.src);
          c.ipv6(ip, 'ipv6.dst', p.ipv6.dst);
          c.field(ip, 'ipv6.hlim', String(p.ipv6.hopLimit));
          c.field(ip, 'ipv6.plen', String(p.ipv6.payloadLength));
        } else c.check(false, 'no Ethernet or IPv6 layer');
        compareNd(c, icmp, p);
      });
    });
  }

  for (const [form, arbitrary] of [
    ['ethernet-ipv4', A.arpEthernetIpv4],
    // Hardware type 19 is ATM ARP, a different layout tshark dissects as such, and type 3 with
    // 7-byte addresses is AX.25, whose addresses tshark shows as callsigns instead of bytes (a scan
    // of types 0-40 and lengths 1-20 found no other case); lengths of at least one byte so each
    // address is a field.
    [
      'generic',
      A.arpGeneric.filter(
        (a) => a.hardwareType !== 19 && !(a.hardwareType === 3 && a.senderHardware.length === 7) && a.senderHardware.length > 0 && a.senderProtocol.length > 0,
      ),
    ],
  ] as const) {
    it(`ARP ${form}: ${PACKETS} packets`, async () => {
      const cases = fc.sample(fc.tuple(arbitrary as fc.Arbitrary<Arp>, A.macAddress, A.macAddress), { numRuns: PACKETS, seed: SEED + form.length });
      const frames = cases.map(([a, src, dst]) => packet.encode({ ethernet: { src, dst }, arp: a }));
      await differential(`arp-${form}`, frames, (c, layers, p) => {
        const t = get(layers, 'arp');
        if (!isTree(t) || !p.arp) {
          c.check(false, 'no ARP layer');
          return;
        }
        compareArp(c, t, p.arp);
        c.check(p.arp.form === form, `linklab decoded the ${p.arp.form} form`);
      });
    });
  }

  it('routing headers with segments left (types 0, 2, 4): both check the checksum over the final destination', async () => {
    const cases = fc.sample(fc.tuple(fc.constantFrom(0, 2, 4), fc.array(A.ipv6Address, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 4 }), addresses), { numRuns: 300, seed: SEED });
    const frames = cases.map(([type, list, left, a]) => {
      const addrs = type === 2 ? list.slice(0, 1) : list;
      const body = Uint8Array.from(addrs.flatMap((x) => [...x.toBytes()]));
      const head = type === 4 ? Uint8Array.of(addrs.length - 1, 0, 0, 0) : new Uint8Array(4);
      const data = new Uint8Array(head.length + body.length);
      data.set(head);
      data.set(body, 4);
      // At most the addresses still to visit (a segment routing header's list ends at Last Entry).
      const segmentsLeft = Math.min(left, type === 4 ? addrs.length - 1 : addrs.length);
      return packet.encode({
        ethernet: a.eth,
        ipv6: { hopLimit: 64, src: a.src, dst: a.dst, extensions: [{ kind: 'routing', routingType: type, segmentsLeft, data }] },
        icmpv6: { kind: 'echo-request', identifier: 1, sequence: 2, data: '70696e67' },
      });
    });
    await differential('routing-header', frames, (c, layers, p) => {
      const icmp = get(layers, 'icmpv6');
      if (!isTree(icmp) || !p.icmpv6) {
        c.check(false, 'no ICMPv6 layer');
        return;
      }
      c.field(icmp, 'icmpv6.checksum.status', p.icmpv6ChecksumOk ? '1' : '0');
      c.check(p.icmpv6ChecksumOk === true, 'linklab says the checksum is bad');
    });
  });

});

describe('reading tshark JSON', () => {
  it('keeps repeated keys, in order, as tshark writes two options or two servers', () => {
    const t = parseOrdered('{"icmpv6.opt": {"icmpv6.opt.rdnss": "2001:db8::1", "icmpv6.opt.rdnss": "2001:db8::2"}, "icmpv6.opt": {"x": "\\u00e9"}}');
    if (!isTree(t)) throw new Error('not an object');
    const options = subtrees(t, 'icmpv6.opt');
    expect(options).toHaveLength(2);
    expect(all(options[0], 'icmpv6.opt.rdnss')).toEqual(['2001:db8::1', '2001:db8::2']);
    expect(str(options[1], 'x')).toBe('é'); // escapes decoded
    expect(() => str(options[1], 'y')).toThrowError('tshark shows no field y');
    expect(() => parseOrdered('{"a": }')).toThrowError(/unexpected character/);
  });
});
