/**
 * The ISATAP router on the IPv4 underlay, with ISATAP clients made of a host and a tiny
 * userspace data plane core (isatap-client.ts): the host's kernel does SLAAC on the tunnel from
 * the router's RA, pings go through the tunnel.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as icmpv6 from '../../../../src/core/wire/icmpv6.js';
import * as ipv6 from '../../../../src/core/wire/ipv6.js';
import { Ipv4Address } from '../../../../src/core/wire/ipv4-address.js';
import { Ipv6Address } from '../../../../src/core/wire/ipv6-address.js';
import { isatapAddress, isPrivateIpv4, routerLinkLocals } from '../../../../src/core/wire/isatap.js';
import { TestWorld } from './world.js';
import { received, registerIsatapClient, unregisterIsatapClient } from './isatap-client.js';

beforeEach(registerIsatapClient);
afterEach(unregisterIsatapClient);

const ROUTER = '198.51.100.1';
const PREFIX = '2001:db8:5::';
const addrOf = (v4: string): Ipv6Address => isatapAddress(Ipv6Address.parse(PREFIX), Ipv4Address.parse(v4), !isPrivateIpv4(Ipv4Address.parse(v4)));

function world(clients: string, routerConfig = '{prefix: "2001:db8:5::/64"}'): TestWorld {
  return new TestWorld(`
duration: 60s
nodes:
  ir: {kind: isatap-router, interfaces: {wan: {underlay: true, ipv4: [${ROUTER}/24]}}, config: ${routerConfig}}
${clients}
`);
}

const client = (name: string, v4: string, extra = '', options = ''): string =>
  `  ${name}: {kind: daemon, interfaces: {wan: {underlay: true, ipv4: [${v4}/24]}}, config: {core: test-isatap, options: {router: ${ROUTER}${options}}${extra}}}`;

describe('isatap-router', () => {
  it('answers an RS over protocol 41 with a unicast RA the client autoconfigures from', () => {
    const w = world(client('c1', '198.51.100.10')).until(3);
    const [d] = received.get('c1')!;
    expect(d.src.toString()).toBe(ROUTER);
    const inner = ipv6.decode(d.payload);
    expect(inner.hopLimit).toBe(255);
    expect(inner.src.equals(routerLinkLocals(Ipv4Address.parse(ROUTER)).at(-1)!)).toBe(true);
    expect(inner.dst.equals(isatapAddress(new Ipv6Address(0xfe80_0000, 0, 0, 0), Ipv4Address.parse('198.51.100.10'), true))).toBe(true);
    const ra = icmpv6.decode(inner.payload);
    expect(ra).toMatchObject({ kind: 'router-advert', routerLifetime: 1800 });
    expect(icmpv6.checksumOk(inner.payload, inner.src, inner.dst)).toBe(true);
    expect(w.events('ra.sent', 'ir')[0]).toMatchObject({ to: '198.51.100.10', solicited: true, routerLifetime: 1800 });
    // The client's kernel formed 2001:db8:5::200:5efe:c633:640a on the tunnel (198.51.100.10 is global).
    const added = w.events('addr.added', 'c1').filter((e) => e.iface === 'is0').map((e) => e.address);
    expect(added).toContain(addrOf('198.51.100.10').toString());
    expect(w.query('c1', 'routes').find((r) => r.prefix === '::/0')).toMatchObject({ iface: 'is0' });
  });

  it("answers pings to its global ISATAP address and forwards between two clients", () => {
    const w = world(
      [
        client('c1', '198.51.100.10', `, host: {ping: [{to: "${addrOf(ROUTER)}", start: 2, count: 3}, {to: "${addrOf('192.0.2.20')}", start: 3, count: 3}]}`),
        `  c2: {kind: daemon, interfaces: {wan: {underlay: true, ipv4: [192.0.2.20/24]}}, config: {core: test-isatap, options: {router: ${ROUTER}}}}`,
      ].join('\n'),
      '{prefix: "2001:db8:5::/64", onLink: false}',
    ).until(10);
    const ok = w.events('ping.ok', 'c1');
    expect(ok.filter((e) => e.to === addrOf(ROUTER).toString())).toHaveLength(3);
    expect(ok.filter((e) => e.to === addrOf('192.0.2.20').toString())).toHaveLength(3);
    // 192.0.2.20 is private: its identifier is 0:5efe.
    expect(addrOf('192.0.2.20').toString()).toBe('2001:db8:5::5efe:c000:214');
    const forwarded = w.events('isatap.forwarded', 'ir');
    expect(forwarded.filter((e) => e.to === '192.0.2.20')).toHaveLength(3);
    expect(forwarded.filter((e) => e.to === '198.51.100.10')).toHaveLength(3);
    expect(w.events('echo.reply', 'c2')).toHaveLength(3);
  });

  it('drops packets breaking the RFC 5214 source rule and answers nothing', () => {
    const w = world(client('c1', '198.51.100.10', '', ', spoof: true')).until(5);
    expect(received.get('c1')).toBeUndefined();
    expect(w.query<Record<string, number>>('ir', 'counters')['dropped.source-rule']).toBe(1);
    expect(w.events('ip6in4.dropped', 'ir')[0]).toMatchObject({ reason: 'source-rule', outer: '198.51.100.10' });
  });

  it('on stop sends RAs with router lifetime 0 to the clients it knows; they drop the default route', () => {
    const w = world(client('c1', '198.51.100.10')).until(5);
    w.tell('ir', { action: 'stop' });
    w.until(6);
    expect(w.events('ra.sent', 'ir').at(-1)).toMatchObject({ routerLifetime: 0, final: true, to: '198.51.100.10' });
    expect(w.query('c1', 'routes').filter((r) => r.prefix === '::/0')).toEqual([]);
  });

  it('rejects a prefix that is not a /64 and a node without an underlay interface', () => {
    expect(() => world('', '{prefix: "2001:db8:5::/48"}')).toThrow(/nodes\.ir\.config\.prefix: ir: an ISATAP prefix is a \/64/);
    expect(
      () =>
        new TestWorld(`
segments: {lan: {}}
nodes:
  ir: {kind: isatap-router, interfaces: {eth0: {segment: lan}}, config: {prefix: "2001:db8:5::/64"}}
`),
    ).toThrow(/ir: an ISATAP router needs an underlay interface/);
  });
});
