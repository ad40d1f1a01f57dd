/**
 * The fuzzer node: repeatable from the seed, and every mutation is stopped by the check it aims
 * at. For each Ethernet mutation a host receives a batch and must count each one where Linux
 * would drop it (or, for a broken option inside a sound RA, accept the RA and ignore the option)
 * and learn nothing from them. Protocol-41 mutations against the ISATAP router likewise.
 */
import { describe, expect, it } from 'vitest';
import { MUTATIONS } from '../../../../src/adapters/sim/nodes/fuzzer/node.js';
import { toHex } from '../../../../src/core/wire/bytes.js';
import { TestWorld } from './world.js';

const N = 12;

/** Where the host must count each mutation: counter path, or 'accepted' (RA taken, bad option ignored). */
const ETHERNET_EXPECT: Record<string, string | null> = {
  'ra-hop-limit': 'ndInvalid.hop-limit',
  'ra-code': 'ndInvalid.code',
  'ra-source-not-link-local': 'ndInvalid.source-not-link-local',
  'ra-bad-checksum': 'dropped.icmpv6-checksum',
  'ra-option-length-zero': 'ndInvalid.option-length-zero',
  'ra-option-overrun': 'ndInvalid.option-overrun',
  'ra-truncated': 'malformed.icmpv6',
  'ra-rdnss-short': 'accepted',
  'ra-rdnss-even': 'accepted',
  'ra-dnssl-short': 'accepted',
  'ra-dnssl-compression-pointer': 'accepted',
  'ra-dnssl-label-overrun': 'accepted',
  'ra-dnssl-unterminated': 'accepted',
  'ra-dnssl-long-label': 'accepted',
  'ra-prefix-bad-length': 'accepted',
  'ra-prefix-length-over-128': 'dropped.slaac-prefix-length',
  'ra-prefix-preferred-over-valid': 'accepted',
  'ra-mtu-small': 'accepted',
  'ra-mtu-bad-length': 'accepted',
  'ra-lla-bad-length': 'accepted',
  'ra-route-info-bad': 'accepted',
  'ra-pref64-bad-length': 'accepted',
  'ra-captive-portal-bad-utf8': 'accepted',
  'ns-multicast-target': 'ndInvalid.target-multicast',
  'ns-dad-with-lla': 'ndInvalid.source-lla-from-unspecified',
  'na-solicited-to-multicast': 'ndInvalid.solicited-to-multicast',
  'icmpv6-truncated': 'malformed.icmpv6',
  'arp-truncated': 'malformed.arp',
  'arp-bad-lengths': 'dropped.arp-not-ethernet-ipv4',
  'arp-op': 'dropped.arp-op',
  'arp-hardware-type': 'dropped.arp-not-ethernet-ipv4',
  'arp-multicast-sender': 'dropped.arp-address',
  'ipv4-bad-checksum': 'dropped.ipv4-checksum',
  'ipv4-bad-ihl': 'malformed.ipv4',
  'ipv4-total-length': 'malformed.ipv4',
  'ipv6-truncated-header': 'malformed.ipv6',
  'vlan-truncated': 'malformed.ethernet',
  // Random contents: each lands in some drop counter or is an RA taken without effect.
  'ra-many-options': null,
  'ra-random-options': null,
  'ipv6-payload-length': null,
};

function counter(c: Record<string, unknown>, path: string): number {
  const [group, key] = path.split('.', 2) as [string, string];
  const g = c[group] as Record<string, number> | undefined;
  return g?.[key] ?? 0;
}

function allDrops(c: Record<string, unknown>): number {
  let n = (c.raAccepted as number) ?? 0;
  for (const g of ['malformed', 'ndInvalid', 'dropped']) for (const v of Object.values(c[g] as Record<string, number>)) n += v;
  return n;
}

const segmentWorld = (mutation: string, seed = 1): TestWorld =>
  new TestWorld(
    `
duration: 10s
segments: {lan: {}}
nodes:
  h1: {kind: host, interfaces: {eth0: {segment: lan, ipv4: [192.0.2.1/24]}}}
  f1: {kind: fuzzer, interfaces: {eth0: {segment: lan}}, config: {rate: 50, start: 3, count: ${N}, mutations: [${mutation}]}}
`,
    { seed },
  );

describe('fuzzer', () => {
  it('knows a fixed list of mutations, each with an expectation here', () => {
    expect(Object.keys(ETHERNET_EXPECT).sort()).toEqual(MUTATIONS.ethernet);
    expect(MUTATIONS.underlay.length).toBeGreaterThan(MUTATIONS.ethernet.length - 12);
  });

  it('is repeatable: the same seed sends the same bytes, another seed different ones', () => {
    const run = (seed: number): string[] => {
      const w = new TestWorld(
        `
duration: 5s
segments: {lan: {}}
nodes:
  f1: {kind: fuzzer, interfaces: {eth0: {segment: lan}}, config: {rate: 100, count: 50}}
  h1: {kind: host, interfaces: {eth0: {segment: lan}}}
`,
        { seed },
      ).until(5);
      expect(w.events('fuzz.sent', 'f1')).toHaveLength(50);
      return w.sent.filter((s) => s.node === 'f1').map((s) => toHex(s.frame));
    };
    const a = run(7);
    expect(run(7)).toEqual(a);
    expect(run(8)).not.toEqual(a);
  });

  for (const [mutation, where] of Object.entries(ETHERNET_EXPECT)) {
    it(`${mutation}: every one is ${where === 'accepted' ? 'an RA taken with the bad option ignored' : `counted${where ? ` in ${where}` : ''}`}, and the host learns nothing`, () => {
      const w = segmentWorld(mutation).until(10);
      expect(w.events('fuzz.sent', 'f1').map((e) => e.mutation)).toEqual(new Array(N).fill(mutation));
      const c = w.query<Record<string, unknown>>('h1', 'counters');
      if (where === 'accepted') expect(c.raAccepted).toBe(N);
      else if (where) expect(counter(c, where)).toBe(N);
      else expect(allDrops(c)).toBeGreaterThanOrEqual(N);
      // Nothing learnt: no router, no address beyond its link-local one, MTU unchanged, no ARP entry.
      expect(w.query('h1', 'routes')).toEqual([]);
      expect(w.query('h1', 'addresses').filter((a) => a.family === 'ipv6' && a.iface === 'eth0').map((a) => String(a.address).slice(0, 5))).toEqual(['fe80:']);
      expect(w.query<Array<{ name: string; mtu: number }>>('h1', 'interfaces').find((i) => i.name === 'eth0')!.mtu).toBe(1500);
      expect(w.query('h1', 'neighbors')).toEqual([]);
    });
  }

  const P41_EXPECT: Record<string, string> = {
    'p41-truncated-inner': 'malformed.ipv6',
    'p41-inner-version': 'malformed.ipv6',
    'p41-inner-payload-length': 'malformed.ipv6',
    'p41-outer-total-length': 'malformed.ipv4',
    'p41-outer-checksum': 'dropped.ipv4-checksum',
    'p41-outer-ihl': 'malformed.ipv4',
    'p41-fragment': 'dropped.fragment',
    'p41-spoofed-source': 'dropped.source-rule',
    'p41-ra-bad-checksum': 'dropped.icmpv6-checksum',
    'p41-ra-truncated': 'malformed.icmpv6',
  };
  for (const [mutation, where] of Object.entries(P41_EXPECT)) {
    it(`${mutation}: the ISATAP router counts every one in ${where} and answers none`, () => {
      const w = new TestWorld(`
duration: 5s
nodes:
  ir: {kind: isatap-router, interfaces: {wan: {underlay: true, ipv4: [198.51.100.1/24]}}, config: {prefix: "2001:db8:5::/64"}}
  f1: {kind: fuzzer, interfaces: {wan: {underlay: true, ipv4: [198.51.100.9/24]}}, config: {rate: 50, count: ${N}, targets: [198.51.100.1], mutations: [${mutation}]}}
`).until(5);
      const c = w.query<Record<string, number>>('ir', 'counters');
      expect(c[where]).toBe(N);
      expect(c.packetsIn).toBe(N);
      expect(w.events('ra.sent', 'ir')).toEqual([]);
      expect(w.events('echo.reply', 'ir')).toEqual([]);
    });
  }

  it('rejects unknown mutations and an underlay fuzzer without targets, naming the field', () => {
    expect(() => segmentWorld('ra-made-up')).toThrow(/mutations\[0\]/);
    expect(
      () =>
        new TestWorld(`
nodes:
  f1: {kind: fuzzer, interfaces: {wan: {underlay: true, ipv4: [198.51.100.9/24]}}}
`),
    ).toThrow(/nodes\.f1\.config\.targets: f1: a fuzzer on the underlay needs targets/);
  });
});
