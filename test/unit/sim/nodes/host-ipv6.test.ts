/**
 * The host model's IPv6: link-local address and DAD, Router Solicitations, SLAAC with the
 * two-hour rule and lifetimes, the default router list, link flaps, crash and restart. Each test
 * builds a small world (one segment, a router, a host or two) and checks what a user would see:
 * frames on the wire, trace events, and the host's `ip addr` / `ip route` views.
 */
import { describe, expect, it } from 'vitest';
import { Ipv6Address } from '../../../../src/core/wire/ipv6-address.js';
import { MacAddress } from '../../../../src/core/wire/mac-address.js';
import { SECOND } from '../../../../src/core/time.js';
import { TestWorld } from './world.js';

const MAC = '02:00:00:00:01:01';
const LL = Ipv6Address.linkLocalFromMac(MacAddress.parse(MAC));
const SLAAC = Ipv6Address.fromPrefixAndMac(Ipv6Address.parse('2001:db8:1::'), MacAddress.parse(MAC));

const hostOnly = `
duration: 60s
segments: {lan: {}}
nodes:
  h1: {kind: host, interfaces: {eth0: {segment: lan, mac: "${MAC}"}}}
`;

function withRouter(routerConfig: string, hostExtra = '', extraNodes = ''): string {
  return `
duration: 300s
segments: {lan: {}}
nodes:
  r1:
    kind: router
    interfaces: {eth0: {segment: lan, mac: "02:00:00:00:00:01", ipv6: ["2001:db8:1::1/64"]}}
    config: ${routerConfig}
  h1: {kind: host, interfaces: {eth0: {segment: lan, mac: "${MAC}"}}${hostExtra}}
${extraNodes}`;
}

describe('host: link-local address and DAD', () => {
  it('probes its EUI-64 link-local address once from :: to the solicited-node group, and uses it 1 s later', () => {
    const w = new TestWorld(hostOnly).until(5);
    const ns = w.icmp('h1', 'neighbor-solicit');
    expect(ns).toHaveLength(1);
    const p = ns[0].decoded!;
    expect(p.ipv6!.src.isUnspecified).toBe(true);
    expect(p.ipv6!.dst.equals(LL.solicitedNode())).toBe(true);
    expect(p.ipv6!.hopLimit).toBe(255);
    expect(p.ethernet!.dst.toString()).toBe(`33:33:ff:${MAC.slice(-8)}`);
    const msg = p.icmpv6!;
    expect(msg.kind === 'neighbor-solicit' && msg.target.equals(LL)).toBe(true);
    expect(msg.kind === 'neighbor-solicit' && msg.options).toEqual([]);
    // Linux: DAD starts after a random delay below rtr_solicit_delay (1 s), retrans_time (1 s) per probe.
    expect(ns[0].t).toBeLessThan(SECOND);
    const added = w.events('addr.added', 'h1');
    expect(added.map((e) => e.address)).toEqual([LL.toString()]);
    expect(added[0].t - ns[0].t).toBe(SECOND);
  });

  it('a duplicate static address fails DAD on the host that comes second; the first keeps it', () => {
    const w = new TestWorld(`
duration: 20s
segments: {lan: {}}
nodes:
  h1: {kind: host, interfaces: {eth0: {segment: lan, ipv6: ["2001:db8:9::5/64"]}}}
  h2: {kind: host, startAt: 5s, interfaces: {eth0: {segment: lan, ipv6: ["2001:db8:9::5/64"]}}}
`).until(20);
    expect(w.events('addr.dad-failed', 'h1')).toEqual([]);
    expect(w.events('addr.dad-failed', 'h2').map((e) => e.address)).toEqual(['2001:db8:9::5']);
    expect(w.query('h2', 'addresses').find((a) => a.address === '2001:db8:9::5')!.state).toBe('dadfailed');
    expect(w.query('h1', 'addresses').find((a) => a.address === '2001:db8:9::5')!.state).toBe('preferred');
  });
});

describe('host: router solicitation', () => {
  it('sends 3 RS 4 s apart from its link-local address once DAD is done, with its MAC, then stops', () => {
    const w = new TestWorld(hostOnly).until(60);
    const rs = w.icmp('h1', 'router-solicit');
    const llReady = w.events('addr.added', 'h1')[0].t;
    expect(rs.map((r) => r.t - llReady)).toEqual([0, 4 * SECOND, 8 * SECOND]);
    for (const r of rs) {
      expect(r.decoded!.ipv6!.dst.equals(Ipv6Address.ALL_ROUTERS)).toBe(true);
      expect(r.decoded!.ipv6!.src.equals(LL)).toBe(true);
      expect(r.decoded!.ipv6!.hopLimit).toBe(255);
      expect(r.decoded!.ethernet!.dst.toString()).toBe('33:33:00:00:00:02');
      const m = r.decoded!.icmpv6!;
      expect(m.kind === 'router-solicit' && m.options.map((o) => (o.kind === 'source-lla' ? o.address.toString() : o.kind))).toEqual([MAC]);
    }
    expect(w.events('rs.sent', 'h1')).toHaveLength(3);
  });

  it('an accepted RA ends the cycle; accept_ra 0 or forwarding 1 means no RS at all', () => {
    const late = new TestWorld(withRouter('{maxInterval: 30, prefixes: [{prefix: "2001:db8:1::/64"}]}', ', startAt: 0s').replace('kind: router', 'kind: router\n    startAt: 3s')).until(30);
    expect(late.icmp('h1', 'router-solicit').length).toBeGreaterThanOrEqual(1);
    expect(late.icmp('h1', 'router-solicit').length).toBeLessThan(3);
    for (const sysctl of ['"net.ipv6.conf.eth0.accept_ra": 0', '"net.ipv6.conf.eth0.forwarding": 1', '"net.ipv6.conf.eth0.router_solicitations": 0']) {
      const w = new TestWorld(`
duration: 30s
segments: {lan: {}}
nodes:
  h1: {kind: host, interfaces: {eth0: {segment: lan}}, config: {sysctl: {${sysctl}}}}
`).until(30);
      expect(w.events('rs.sent', 'h1'), sysctl).toEqual([]);
    }
  });
});

describe('host: SLAAC from a router', () => {
  it('autoconfigures 2001:db8:1::/64 in under 10 s, with the DAD probe for the new address on the wire', () => {
    const w = new TestWorld(withRouter('{maxInterval: 10, prefixes: [{prefix: "2001:db8:1::/64"}]}')).until(10);
    const added = w.events('addr.added', 'h1').find((e) => e.address === SLAAC.toString());
    expect(added).toBeDefined();
    expect(added!.t).toBeLessThan(10 * SECOND);
    const dad = w.icmp('h1', 'neighbor-solicit').filter((f) => f.decoded!.ipv6!.src.isUnspecified && f.decoded!.icmpv6!.kind === 'neighbor-solicit' && f.decoded!.icmpv6!.target.equals(SLAAC));
    expect(dad).toHaveLength(1);
    expect(added!.t - dad[0].t).toBe(SECOND);
    const routes = w.query('h1', 'routes');
    expect(routes.find((r) => r.prefix === '::/0')!.via).toBe(Ipv6Address.linkLocalFromMac(MacAddress.parse('02:00:00:00:00:01')).toString());
    expect(routes.some((r) => r.prefix === '2001:db8:1::/64')).toBe(true);
    // Lifetimes count down from the last RA (the router's defaults: 86400 s valid, 14400 s preferred).
    const a = w.query('h1', 'addresses').find((x) => x.address === SLAAC.toString())!;
    const sinceRa = Math.ceil((w.now - w.events('ra.accepted', 'h1').at(-1)!.t) / SECOND);
    expect(a).toMatchObject({ state: 'preferred', origin: 'slaac', prefixLength: 64, validLifetime: 86400 - sinceRa, preferredLifetime: 14400 - sinceRa });
  });

  it('ignores prefixes that are not /64, not autonomous, link-local, or with preferred > valid', () => {
    const w = new TestWorld(
      withRouter(`{maxInterval: 10, prefixes: [
        {prefix: "2001:db8:2::/48"},
        {prefix: "2001:db8:3::/64", autonomous: false},
        {prefix: "fe80::/64"},
        {prefix: "2001:db8:4::/64", validLifetime: 10, preferredLifetime: 20}]}`),
    ).until(20);
    const globals = w.query('h1', 'addresses').filter((a) => a.iface === 'eth0' && a.family === 'ipv6' && !String(a.address).startsWith('fe80'));
    expect(globals).toEqual([]);
    expect(w.query<Record<string, unknown>>('h1', 'counters').dropped).toMatchObject({ 'slaac-prefix-length': expect.any(Number) });
  });

  it('applies the two-hour rule: a short valid lifetime cannot cut an address with more than 2 h left below 2 h', () => {
    const w = new TestWorld(withRouter('{maxInterval: 10, prefixes: [{prefix: "2001:db8:1::/64", validLifetime: 10800, preferredLifetime: 3600}]}')).until(10);
    const addr = (): Record<string, unknown> => w.query('h1', 'addresses').find((a) => a.address === SLAAC.toString())!;
    expect(addr().validLifetime).toBeGreaterThan(10700);
    w.tell('r1', { action: 'config', prefixes: [{ prefix: '2001:db8:1::/64', validLifetime: 60, preferredLifetime: 30 }] });
    w.until(15);
    expect(addr().validLifetime).toBeLessThanOrEqual(7200);
    expect(addr().validLifetime).toBeGreaterThan(7190);
    // A lifetime above 2 h is taken as given.
    w.tell('r1', { action: 'config', prefixes: [{ prefix: '2001:db8:1::/64', validLifetime: 7500, preferredLifetime: 30 }] });
    w.until(20);
    expect(addr().validLifetime).toBeGreaterThan(7490);
    // The preferred lifetime is always taken as given; when the RAs stop it runs out first.
    expect(addr().preferredLifetime).toBeLessThanOrEqual(30);
    w.tell('r1', { action: 'stop' });
    w.until(60);
    expect(addr().state).toBe('deprecated');
    expect(w.events('addr.deprecated', 'h1').map((e) => e.address)).toEqual([SLAAC.toString()]);
    expect(w.events('addr.removed', 'h1')).toEqual([]);
  });

  it('with 2 h or less left, a shorter valid lifetime is ignored', () => {
    const w = new TestWorld(withRouter('{maxInterval: 10, prefixes: [{prefix: "2001:db8:1::/64", validLifetime: 3600, preferredLifetime: 1800}]}')).until(10);
    w.tell('r1', { action: 'config', prefixes: [{ prefix: '2001:db8:1::/64', validLifetime: 60, preferredLifetime: 30 }] });
    w.until(12);
    w.tell('r1', { action: 'stop' });
    w.until(100);
    const a = w.query('h1', 'addresses').find((x) => x.address === SLAAC.toString())!;
    expect(a.validLifetime).toBeGreaterThan(3400);
    expect(a.state).toBe('deprecated');
  });

  it('deprecates the address when its preferred lifetime ends and removes it when its valid lifetime ends', () => {
    const w = new TestWorld(withRouter('{maxInterval: 600, prefixes: [{prefix: "2001:db8:1::/64", validLifetime: 20, preferredLifetime: 10}]}')).until(5);
    w.tell('r1', { action: 'stop' });
    w.until(60);
    const lastRa = w.events('ra.accepted', 'h1').at(-1)!.t;
    const dep = w.events('addr.deprecated', 'h1');
    const rem = w.events('addr.removed', 'h1');
    expect(dep.map((e) => [e.address, e.t - lastRa])).toEqual([[SLAAC.toString(), 10 * SECOND]]);
    expect(rem.map((e) => [e.address, e.t - lastRa])).toEqual([[SLAAC.toString(), 20 * SECOND]]);
    expect(w.query('h1', 'routes').some((r) => r.prefix === '2001:db8:1::/64')).toBe(false);
  });
});

describe('host: default routers', () => {
  it('drops a router when its lifetime runs out without a new RA', () => {
    const w = new TestWorld(withRouter('{minInterval: 5, maxInterval: 10, routerLifetime: 30, prefixes: [{prefix: "2001:db8:1::/64"}]}')).until(5);
    w.crash('r1');
    w.until(60);
    const last = w.events('ra.accepted', 'h1').at(-1)!.t;
    const removed = w.events('route.removed', 'h1').filter((e) => e.prefix === '::/0');
    expect(removed.map((e) => e.t - last)).toEqual([30 * SECOND]);
    expect(w.query('h1', 'routes').filter((r) => r.prefix === '::/0')).toEqual([]);
  });

  it("drops a router at once on its final RA (router lifetime 0) when it stops, keeping the other router", () => {
    const w = new TestWorld(
      withRouter(
        '{maxInterval: 10, prefixes: [{prefix: "2001:db8:1::/64"}]}',
        '',
        `  r2:
    kind: router
    interfaces: {eth0: {segment: lan, mac: "02:00:00:00:00:02"}}
    config: {maxInterval: 10, prefixes: [{prefix: "2001:db8:2::/64"}]}`,
      ),
    ).until(10);
    expect(w.query('h1', 'routes').filter((r) => r.prefix === '::/0')).toHaveLength(2);
    w.tell('r2', { action: 'stop' });
    const stopAt = w.now;
    w.until(12);
    const removed = w.events('route.removed', 'h1').filter((e) => e.prefix === '::/0');
    expect(removed).toHaveLength(1);
    expect(removed[0].t - stopAt).toBeLessThan(SECOND / 100);
    expect(removed[0].via).toBe(Ipv6Address.linkLocalFromMac(MacAddress.parse('02:00:00:00:00:02')).toString());
    expect(w.query('h1', 'routes').filter((r) => r.prefix === '::/0')).toHaveLength(1);
  });

  it('takes the MTU from an RA, within 1280 and the link MTU', () => {
    const w = new TestWorld(withRouter('{maxInterval: 10, mtu: 1400, prefixes: [{prefix: "2001:db8:1::/64"}]}')).until(5);
    const eth0 = w.query<Array<{ name: string; mtu: number }>>('h1', 'interfaces').find((i) => i.name === 'eth0')!;
    expect(eth0.mtu).toBe(1400);
  });
});

describe('host: answering', () => {
  it('answers NS for its addresses and echo requests: another host pings it by link-local and global address', () => {
    const w = new TestWorld(
      withRouter(
        '{maxInterval: 10, prefixes: [{prefix: "2001:db8:1::/64"}]}',
        '',
        `  h2:
    kind: host
    interfaces: {eth0: {segment: lan}}
    config: {ping: [{to: "${LL}", iface: eth0, start: 6, count: 3}, {to: "${SLAAC}", start: 7, count: 3}]}`,
      ),
    ).until(15);
    const ok = w.events('ping.ok', 'h2');
    expect(ok.filter((e) => e.to === LL.toString())).toHaveLength(3);
    expect(ok.filter((e) => e.to === SLAAC.toString())).toHaveLength(3);
    const na = w.icmp('h1', 'neighbor-advert').map((f) => f.decoded!.icmpv6!);
    expect(na.length).toBeGreaterThanOrEqual(1);
    for (const m of na) {
      expect(m.kind === 'neighbor-advert' && m.solicited && m.override && !m.router).toBe(true);
      expect(m.kind === 'neighbor-advert' && m.options.map((o) => o.kind)).toEqual(['target-lla']);
    }
    expect(w.events('echo.reply', 'h1')).toHaveLength(6);
  });
});

describe('host: link down and up', () => {
  it('keeps its addresses, forgets its neighbours, and solicits again when the link comes back', () => {
    const w = new TestWorld(withRouter('{maxInterval: 600, prefixes: [{prefix: "2001:db8:1::/64"}]}', ', config: {ping: [{to: "2001:db8:1::1", start: 4, count: 2}]}')).until(8);
    expect(w.query('h1', 'neighbors6').length).toBeGreaterThan(0);
    const rsBefore = w.events('rs.sent', 'h1').length;
    w.link('h1', 'eth0', false);
    w.until(9);
    expect(w.query('h1', 'neighbors6')).toEqual([]);
    w.link('h1', 'eth0', true);
    const upAt = w.now;
    w.until(20);
    const rs = w.events('rs.sent', 'h1').slice(rsBefore);
    expect(rs.length).toBeGreaterThanOrEqual(1);
    expect(rs[0].t - upAt).toBeLessThan(SECOND);
    // The router answers the first RS, so the cycle ends there.
    expect(rs).toHaveLength(1);
    expect(w.events('addr.removed', 'h1')).toEqual([]);
    expect(w.query('h1', 'addresses').find((a) => a.address === SLAAC.toString())!.state).toBe('preferred');
  });
});

describe('host: crash and restart', () => {
  it('sends nothing while down and comes back as a fresh boot: new DAD, new RS, addresses learnt again', () => {
    const w = new TestWorld(withRouter('{maxInterval: 600, prefixes: [{prefix: "2001:db8:1::/64"}]}')).until(10);
    w.crash('h1');
    const crashAt = w.now;
    w.until(30);
    expect(w.sent.filter((f) => f.node === 'h1' && f.t > crashAt)).toEqual([]);
    w.restart('h1');
    const restartAt = w.now;
    expect(w.query('h1', 'addresses').filter((a) => a.family === 'ipv6' && a.state !== 'tentative' && a.address !== '::1')).toEqual([]);
    expect(w.query('h1', 'neighbors6')).toEqual([]);
    w.until(45);
    const dadAgain = w.icmp('h1', 'neighbor-solicit').filter((f) => f.t >= restartAt && f.decoded!.ipv6!.src.isUnspecified);
    expect(dadAgain.length).toBe(2); // link-local, then the SLAAC address
    expect(w.events('rs.sent', 'h1').filter((e) => e.t >= restartAt).length).toBeGreaterThanOrEqual(1);
    expect(w.events('addr.added', 'h1').filter((e) => e.t >= restartAt).map((e) => e.address)).toEqual([LL.toString(), SLAAC.toString()]);
    expect(w.node<{ summary(): Record<string, unknown> }>('h1').summary().boots).toBe(2);
  });
});
