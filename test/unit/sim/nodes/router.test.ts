/**
 * The radvd-like router: what its RAs carry, when it sends them, unicast-only and solicited-unicast
 * modes, stop/start/config events, answering NS and pings, and configuration errors.
 */
import { describe, expect, it } from 'vitest';
import { Ipv6Address } from '../../../../src/core/wire/ipv6-address.js';
import { MacAddress } from '../../../../src/core/wire/mac-address.js';
import { loadTopology } from '../../../../src/adapters/sim/topology/load.js';
import { TopologyError } from '../../../../src/adapters/sim/topology/errors.js';
import { SECOND } from '../../../../src/core/time.js';
import type { RouterAdvert } from '../../../../src/core/wire/ndisc/router-advert.js';
import { jsonReplacer } from '../../../../src/core/wire/describe.js';
import { TestWorld, type Sent } from './world.js';

const R_MAC = '02:00:00:00:00:01';
const R_LL = Ipv6Address.linkLocalFromMac(MacAddress.parse(R_MAC));
const H_MAC = '02:00:00:00:01:01';
const H_LL = Ipv6Address.linkLocalFromMac(MacAddress.parse(H_MAC));

function world(routerConfig: string, hosts = 1, duration = 120): string {
  return `
duration: ${duration}s
segments: {lan: {}}
nodes:
  r1:
    kind: router
    interfaces: {eth0: {segment: lan, mac: "${R_MAC}", ipv6: ["2001:db8:1::1/64"]}}
    config: ${routerConfig}
${hosts > 0 ? `  h{i}: {kind: host, count: ${hosts}, interfaces: {eth0: {segment: lan, mac: "${H_MAC}"}}}` : ''}
`;
}

const ras = (w: TestWorld): Sent[] => w.icmp('r1', 'router-advert');
const ra = (f: Sent): RouterAdvert => f.decoded!.icmpv6 as RouterAdvert;

describe('router: what an RA carries', () => {
  it('every option kind the codecs know, the flags, and the header fields, as configured', () => {
    const w = new TestWorld(
      world(`{
        maxInterval: 10, managed: true, other: true, homeAgent: true, proxy: true, preference: high,
        routerLifetime: 1200, reachableTime: 30000, retransTimer: 1000, curHopLimit: 32, mtu: 1400,
        prefixes: [{prefix: "2001:db8:1::/64", validLifetime: 7200, preferredLifetime: 3600}, {prefix: "2001:db8:2::/64", autonomous: false, onLink: false, validLifetime: infinity, preferredLifetime: infinity}],
        routes: [{prefix: "2001:db8:9::/48", preference: low, lifetime: 600}],
        rdnss: [{servers: ["2001:db8::53", "2001:db8::54"], lifetime: 300}],
        dnssl: [{domains: [example.com, lab.example.org], lifetime: 300}],
        pref64: [{prefix: "64:ff9b::/96", lifetime: 600}],
        captivePortal: "https://portal.example/",
        extraOptions: [{type: 253, data: "0102030405060708090a0b0c0d0e"}]}`, 0),
    ).until(3);
    const [f] = ras(w);
    expect(f.decoded!.ipv6!.src.equals(R_LL)).toBe(true);
    expect(f.decoded!.ipv6!.dst.equals(Ipv6Address.ALL_NODES)).toBe(true);
    expect(f.decoded!.ipv6!.hopLimit).toBe(255);
    expect(f.decoded!.icmpv6ChecksumOk).toBe(true);
    const m = ra(f);
    expect(m).toMatchObject({ managed: true, other: true, homeAgent: true, proxy: true, preference: 'high', routerLifetime: 1200, reachableTime: 30000, retransTimer: 1000, curHopLimit: 32 });
    const o = JSON.parse(JSON.stringify(m.options, jsonReplacer)) as Array<Record<string, unknown>>;
    expect(o).toEqual([
      { kind: 'prefix-info', prefixLength: 64, onLink: true, autonomous: true, routerAddress: false, reserved1: 0, validLifetime: 7200, preferredLifetime: 3600, reserved2: 0, prefix: '2001:db8:1::' },
      { kind: 'prefix-info', prefixLength: 64, onLink: false, autonomous: false, routerAddress: false, reserved1: 0, validLifetime: 0xffffffff, preferredLifetime: 0xffffffff, reserved2: 0, prefix: '2001:db8:2::' },
      { kind: 'route-info', prefixLength: 48, preference: 'low', reservedHigh: 0, reservedLow: 0, lifetime: 600, prefix: '2001:db8:9::', length: 2 },
      { kind: 'rdnss', reserved: 0, lifetime: 300, servers: ['2001:db8::53', '2001:db8::54'] },
      { kind: 'dnssl', reserved: 0, lifetime: 300, domains: ['example.com', 'lab.example.org'], length: 5 },
      { kind: 'mtu', reserved: 0, mtu: 1400 },
      { kind: 'source-lla', address: R_MAC },
      { kind: 'pref64', scaledLifetime: 75, plc: 0, prefix: '64:ff9b::' },
      { kind: 'captive-portal', uri: 'https://portal.example/', length: 4 },
      { kind: 'unknown', type: 253, data: '0102030405060708090a0b0c0d0e' },
    ]);
  });

  it('defaults like radvd: router lifetime 3 x MaxRtrAdvInterval, prefix lifetimes 86400/14400, SLLA on', () => {
    const w = new TestWorld(world('{maxInterval: 100, prefixes: [{prefix: "2001:db8:1::/64"}]}', 0)).until(3);
    const m = ra(ras(w)[0]);
    expect(m.routerLifetime).toBe(300);
    expect(m.options.map((x) => x.kind)).toEqual(['prefix-info', 'source-lla']);
    expect(m.options[0]).toMatchObject({ validLifetime: 86400, preferredLifetime: 14400, onLink: true, autonomous: true });
  });
});

describe('router: when RAs go out', () => {
  it('first RA when its link-local address is usable, then the first intervals capped at 16 s, then [min, max]', () => {
    const w = new TestWorld(world('{minInterval: 30, maxInterval: 40, prefixes: [{prefix: "2001:db8:1::/64"}]}', 0, 300)).until(300);
    const t = ras(w).map((f) => f.t);
    const llReady = w.events('addr.added', 'r1').find((e) => e.address === R_LL.toString())!.t;
    expect(t[0]).toBe(llReady);
    const gaps = t.slice(1).map((x, i) => x - t[i]);
    expect(gaps.slice(0, 3)).toEqual([16 * SECOND, 16 * SECOND, 16 * SECOND]);
    for (const g of gaps.slice(3)) {
      expect(g).toBeGreaterThanOrEqual(30 * SECOND);
      expect(g).toBeLessThanOrEqual(40 * SECOND);
    }
  });

  it('answers an RS with a multicast RA 0..0.5 s later; RS from many hosts at once get one RA', () => {
    const w = new TestWorld(world('{minInterval: 200, maxInterval: 600, prefixes: [{prefix: "2001:db8:1::/64"}]}', 8, 60).replace('kind: host, count: 8', 'kind: host, count: 8, startAt: 20s')).until(60);
    const rs = w.events('rs.received', 'r1').filter((e) => e.answered);
    const solicited = w.events('ra.sent', 'r1').filter((e) => e.solicited);
    // Hosts whose link-local address is still in DAD when the answer arrives take it and never solicit.
    expect(rs.length).toBeGreaterThanOrEqual(1);
    expect(solicited).toHaveLength(1);
    expect(solicited[0].t - rs[0].t).toBeLessThanOrEqual(SECOND / 2);
    expect(solicited[0].t).toBeGreaterThanOrEqual(rs[0].t);
    expect(rs.every((r) => r.t <= solicited[0].t)).toBe(true);
    // Every host got its address from that one answer.
    expect(w.events('addr.added').filter((e) => e.node !== 'r1' && String(e.address).startsWith('2001:db8:1:'))).toHaveLength(8);
  });

  it('in unicast-only mode sends no multicast RA and answers each RS by unicast to the host', () => {
    const w = new TestWorld(world('{maxInterval: 10, unicastOnly: true, prefixes: [{prefix: "2001:db8:1::/64"}]}', 1, 30)).until(30);
    const sent = ras(w);
    expect(sent.length).toBeGreaterThanOrEqual(1);
    for (const f of sent) {
      expect(f.decoded!.ipv6!.dst.equals(H_LL)).toBe(true);
      expect(f.decoded!.ethernet!.dst.toString()).toBe(H_MAC);
    }
    expect(w.events('addr.added', 'h1').some((e) => String(e.address).startsWith('2001:db8:1:'))).toBe(true);
  });

  it('with solicitedUnicast answers RS by unicast and keeps its periodic multicast RAs', () => {
    const w = new TestWorld(world('{maxInterval: 30, solicitedUnicast: true, prefixes: [{prefix: "2001:db8:1::/64"}]}', 1, 60).replace('count: 1,', 'count: 1, startAt: 2s,')).until(60);
    const uni = ras(w).filter((f) => !f.decoded!.ipv6!.dst.isMulticast);
    const multi = ras(w).filter((f) => f.decoded!.ipv6!.dst.isMulticast);
    expect(uni.length).toBeGreaterThanOrEqual(1);
    expect(uni.every((f) => f.decoded!.ipv6!.dst.equals(H_LL))).toBe(true);
    expect(multi.length).toBeGreaterThanOrEqual(3);
  });
});

describe('router: events', () => {
  it('stop sends a final RA with router lifetime 0 (RDNSS withdrawn, prefixes kept), then stays silent until start', () => {
    const w = new TestWorld(world('{maxInterval: 10, rdnss: [{servers: ["2001:db8::53"]}], prefixes: [{prefix: "2001:db8:1::/64"}]}', 1, 60)).until(10);
    w.tell('r1', { action: 'stop' });
    const stopAt = w.now;
    w.until(40);
    const after = ras(w).filter((f) => f.t >= stopAt);
    expect(after).toHaveLength(1);
    const m = ra(after[0]);
    expect(m.routerLifetime).toBe(0);
    expect(m.options.find((o) => o.kind === 'rdnss')).toMatchObject({ lifetime: 0 });
    expect(m.options.find((o) => o.kind === 'prefix-info')).toMatchObject({ validLifetime: 86400, preferredLifetime: 14400 });
    w.tell('r1', { action: 'start' });
    const startAt = w.now;
    w.until(41);
    expect(ras(w).filter((f) => f.t >= startAt).map((f) => f.t - startAt)).toEqual([0]);
  });

  it('config changes what the next RA says, no sooner than 3 s after the last multicast RA', () => {
    const w = new TestWorld(world('{maxInterval: 600, prefixes: [{prefix: "2001:db8:1::/64"}]}', 0, 60)).until(2);
    const last = ras(w).at(-1)!.t;
    w.tell('r1', { action: 'config', managed: true, routerLifetime: 0 });
    w.until(10);
    const next = ras(w).find((f) => f.t > last)!;
    expect(next.t - last).toBe(3 * SECOND);
    expect(ra(next)).toMatchObject({ managed: true, routerLifetime: 0 });
    expect(() => w.tell('r1', { action: 'config', minInterval: 500 })).toThrow(/r1: event config: .*minInterval/);
    expect(() => w.tell('r1', { action: 'jump' })).toThrow(/unknown event action "jump"/);
  });

  it('answers NS for its address and echo requests from hosts; restarts advertise again after DAD', () => {
    const w = new TestWorld(
      world('{maxInterval: 600, prefixes: [{prefix: "2001:db8:1::/64"}]}', 1, 60).replace(
        'mac: "02:00:00:00:01:01"}}}',
        'mac: "02:00:00:00:01:01"}}, config: {ping: [{to: "2001:db8:1::1", start: 5, count: 3}, {to: "' + R_LL.toString() + '", iface: eth0, start: 5, count: 3}]}}',
      ),
    ).until(20);
    expect(w.events('ping.ok', 'h1')).toHaveLength(6);
    const na = w.icmp('r1', 'neighbor-advert').map((f) => f.decoded!.icmpv6!);
    expect(na.length).toBeGreaterThanOrEqual(1);
    expect(na.every((m) => m.kind === 'neighbor-advert' && m.router)).toBe(true);
    w.crash('r1');
    w.until(30);
    w.restart('r1');
    const restartAt = w.now;
    w.until(40);
    const again = ras(w).filter((f) => f.t >= restartAt);
    expect(again.length).toBeGreaterThanOrEqual(1);
    expect(again[0].t - restartAt).toBeGreaterThanOrEqual(SECOND); // DAD first
  });
});

describe('router: configuration errors', () => {
  const bad: Array<[string, RegExp]> = [
    ['{maxInterval: 10, minInterval: 9}', /nodes\.r1\.config\.minInterval: r1: 9 exceeds 0\.75 x maxInterval/],
    ['{maxInterval: 10, routerLifetime: 5}', /nodes\.r1\.config\.routerLifetime: r1: 5 is neither 0 nor at least maxInterval/],
    ['{prefixes: [{prefix: "2001:db8::1"}]}', /nodes\.r1\.config\.prefixes\[0\]\.prefix: r1: "2001:db8::1" is not an IPv6 address with a prefix length/],
    ['{pref64: [{prefix: "64:ff9b::/80"}]}', /nodes\.r1\.config\.pref64\[0\]\.prefix: r1: \/80 is not a PREF64 length/],
    ['{interfaces: {eth7: {maxInterval: 10}}}', /nodes\.r1\.config\.interfaces\.eth7: r1: the node has no interface "eth7"/],
    ['{interfaces: {eth0: {maxInterval: 10, minInterval: 8}}}', /nodes\.r1\.config\.interfaces\.eth0\.minInterval: r1: 8 exceeds/],
  ];
  for (const [config, message] of bad) {
    it(`rejects ${config} with a located message`, () => {
      let err: unknown;
      try {
        new TestWorld(world(config, 0));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(TopologyError);
      expect(String((err as Error).message)).toMatch(message);
      expect(String((err as Error).message)).toMatch(/topology:\d+:\d+/);
    });
  }

  it('the schema accepts every documented setting', () => {
    expect(() => loadTopology(world('{maxInterval: 10, minInterval: 3, unicastOnly: false, finalAdvertisements: 3, flushDns: false, deprecatePrefix: true}', 0))).not.toThrow();
  });
});
