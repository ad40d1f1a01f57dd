/** The rules isatapd's pieces apply: option checks, identifiers and siblings, next hops, RS timing. */
import { describe, expect, it } from 'vitest';
import { checkConfig, defaultConfig, IsatapdConfigError, parseCheckDns, parseInterval, parseMtu, parseTtl } from '../../../src/core/isatapd/config.js';
import { PotentialRouterList } from '../../../src/core/isatapd/prl.js';
import { afterRs, nextRsAfterRa } from '../../../src/core/isatapd/schedule.js';
import { NextHopTable, MULTICAST, NO_ROUTE, NOT_ISATAP } from '../../../src/core/isatapd/dataplane/next-hop.js';
import { tunnelLinkLocal } from '../../../src/core/isatapd/dataplane/userspace.js';
import { isRouterAdvert, isRoutingNd } from '../../../src/core/isatapd/dataplane/decap.js';
import * as ipv6 from '../../../src/core/wire/ipv6.js';
import * as icmpv6 from '../../../src/core/wire/icmpv6.js';
import { SECOND } from '../../../src/core/time.js';
import { Ipv4Address } from '../../../src/core/wire/ipv4-address.js';
import { Ipv6Address } from '../../../src/core/wire/ipv6-address.js';

const v4 = (s: string) => Ipv4Address.parse(s);
const v6 = (s: string) => Ipv6Address.parse(s);

function fails(f: () => unknown): { message: string; usage: boolean } {
  try {
    f();
  } catch (err) {
    if (err instanceof IsatapdConfigError) return { message: err.message, usage: err.usage };
    throw err;
  }
  throw new Error('did not fail');
}

describe('option checks (the original\'s messages)', () => {
  it('ttl: auto/inherit is 0, 1..255, else "invalid ttl -- X" with usage', () => {
    expect(parseTtl('inherit')).toBe(0);
    expect(parseTtl('auto')).toBe(0);
    expect(parseTtl('255')).toBe(255);
    expect(fails(() => parseTtl('256'))).toEqual({ message: 'invalid ttl -- 256', usage: true });
    expect(fails(() => parseTtl('0'))).toEqual({ message: 'invalid ttl -- 0', usage: true });
    expect(fails(() => parseTtl('6x'))).toEqual({ message: 'invalid ttl -- 6x', usage: true });
  });

  it('mtu: auto or 0 is automatic; otherwise at least 1280', () => {
    expect(parseMtu('auto')).toBe(0);
    expect(parseMtu('0')).toBe(0);
    expect(parseMtu('1280')).toBe(1280);
    expect(fails(() => parseMtu('1279'))).toEqual({ message: 'invalid mtu -- 1279', usage: true });
  });

  it('interval and check-dns: at least 120 s; check-dns 0 disables', () => {
    expect(parseInterval('auto')).toBe(65536);
    expect(parseInterval('120')).toBe(120);
    expect(fails(() => parseInterval('119'))).toEqual({ message: 'interval must be greater than 120 sec', usage: true });
    expect(fails(() => parseInterval('x'))).toEqual({ message: 'invalid cardinal -- x', usage: true });
    expect(parseCheckDns('0')).toBe(0);
    expect(fails(() => parseCheckDns('60'))).toEqual({ message: 'dns-check interval must be greater than 120 sec', usage: true });
  });

  it('no \':\' in the tunnel name; --nopmtudisc needs --ttl inherit; at most 10 routers', () => {
    expect(fails(() => checkConfig(defaultConfig({ name: 'is0:1' })))).toEqual({ message: "no ':' in tunnel name: is0:1!", usage: false });
    expect(fails(() => checkConfig(defaultConfig({ pmtudisc: false })))).toEqual({ message: '--nopmtudisc depends on --ttl inherit!', usage: false });
    expect(checkConfig(defaultConfig({ pmtudisc: false, ttl: 0 })).pmtudisc).toBe(false);
    expect(fails(() => checkConfig(defaultConfig({ routers: Array.from({ length: 11 }, (_, i) => `r${i}`) }))).message).toMatch(/at most 10/);
    expect(fails(() => checkConfig(defaultConfig({ name: 'a-very-long-name0' }))).message).toMatch(/invalid tunnel name/);
  });
});

describe('the Potential Router List', () => {
  it('a private IPv4 router gets fe80::5efe:V only; a global one also fe80::200:5efe:V', () => {
    const prl = new PotentialRouterList();
    prl.add(v4('192.0.2.1'));
    prl.add(v4('100.64.0.1'));
    expect(prl.entries.map((e) => e.ll.toString())).toEqual(['fe80::5efe:c000:201', 'fe80::5efe:6440:1', 'fe80::200:5efe:6440:1']);
    expect(prl.entries[1].sibling).toBe(prl.entries[2]);
    expect(prl.entries[2].sibling).toBe(prl.entries[1]);
    expect(prl.entries[0].sibling).toBeUndefined();
  });

  it('isatapd\'s private ranges include the documentation and benchmark nets and RFC 1918', () => {
    for (const a of ['10.1.2.3', '172.16.0.1', '192.168.1.1', '192.0.2.1', '198.18.0.1', '169.254.1.1', '127.0.0.1']) {
      const prl = new PotentialRouterList();
      prl.add(v4(a));
      expect(prl.size, a).toBe(1);
    }
    for (const a of ['198.51.100.1', '203.0.113.1', '8.8.8.8']) {
      const prl = new PotentialRouterList();
      prl.add(v4(a));
      expect(prl.size, a).toBe(2);
    }
  });

  it('a re-check marks everything stale, refreshes what resolves again and prunes the rest', () => {
    const prl = new PotentialRouterList();
    prl.add(v4('192.0.2.1'));
    prl.add(v4('203.0.113.1'));
    prl.markStale();
    expect(prl.add(v4('203.0.113.1'))).toBe('refreshed');
    expect(prl.add(v4('203.0.113.1'))).toBe('duplicate');
    expect(prl.prune().map(String)).toEqual(['192.0.2.1']);
    expect(prl.entries.map((e) => e.ll.toString())).toEqual(['fe80::5efe:cb00:7101', 'fe80::200:5efe:cb00:7101']);
  });

  it('the tunnel\'s own link-local address follows the same u-bit rule', () => {
    expect(tunnelLinkLocal(v4('192.0.2.2')).toString()).toBe('fe80::5efe:c000:202');
    expect(tunnelLinkLocal(v4('203.0.113.2')).toString()).toBe('fe80::200:5efe:cb00:7102');
  });
});

describe('next hops (RFC 5214 8.1)', () => {
  const look = (t: NextHopTable, a: string) => {
    const x = v6(a);
    return t.lookup(x.w0, x.w1, x.w2, x.w3);
  };

  it('link-local ISATAP destinations go to their embedded address; others and multicast do not', () => {
    const t = new NextHopTable();
    expect(look(t, 'fe80::5efe:c000:201')).toBe(v4('192.0.2.1').value);
    expect(look(t, 'fe80::200:5efe:cb00:7101')).toBe(v4('203.0.113.1').value);
    expect(look(t, 'fe80::1')).toBe(NOT_ISATAP);
    expect(look(t, 'ff02::2')).toBe(MULTICAST);
    expect(look(t, '2001:db8::1')).toBe(NO_ROUTE);
  });

  it('on-link prefixes, longest routes, then the first default router', () => {
    const t = new NextHopTable();
    t.setDefault(v6('fe80::5efe:c000:201'));
    t.setDefault(v6('fe80::5efe:c000:209'));
    t.setRoute(v6('2001:db8:5::'), 64);
    t.setRoute(v6('2001:db8:7::'), 48, v6('fe80::5efe:c000:209'));
    expect(look(t, '2001:db8:5::5efe:c633:6405')).toBe(v4('198.51.100.5').value);
    expect(look(t, '2001:db8:5::1')).toBe(NOT_ISATAP);
    expect(look(t, '2001:db8:7:1::1')).toBe(v4('192.0.2.9').value);
    expect(look(t, '2001:db8:99::1')).toBe(v4('192.0.2.1').value);
    t.removeDefault(v6('fe80::5efe:c000:201'));
    expect(look(t, '2001:db8:99::1')).toBe(v4('192.0.2.9').value);
  });

  it('a standalone (router-side) table puts every ISATAP destination on-link', () => {
    const t = new NextHopTable(true);
    expect(look(t, '2001:db8:5::5efe:c000:202')).toBe(v4('192.0.2.2').value);
    expect(look(t, '2001:db8:5::1')).toBe(NOT_ISATAP);
  });
});

describe('RS timing', () => {
  it('three RSs 4 s apart, then 120 s', () => {
    expect(afterRs(0)).toEqual({ rsSent: 1, delay: 4 * SECOND });
    expect(afterRs(1)).toEqual({ rsSent: 2, delay: 4 * SECOND });
    expect(afterRs(2)).toEqual({ rsSent: 0, delay: 120 * SECOND });
  });

  it('after an RA: 80% of the shortest positive lifetime, capped by --interval, at least 120 s', () => {
    expect(nextRsAfterRa([1800, 14400, 86400], 65536)).toBe(1440 * SECOND);
    expect(nextRsAfterRa([0, 14400, 86400], 65536)).toBe(11520 * SECOND);
    expect(nextRsAfterRa([0, 0, 0], 65536)).toBe(65536 * SECOND);
    expect(nextRsAfterRa([30], 65536)).toBe(120 * SECOND);
    expect(nextRsAfterRa([1800], 600)).toBe(600 * SECOND);
    expect(nextRsAfterRa([1001], 65536)).toBe(800_800_000);
  });
});

describe('what the userspace data plane keeps from the kernel', () => {
  const src = v6('fe80::5efe:c000:201');
  const dst = v6('fe80::5efe:c000:202');
  const ra = (extensions: ipv6.ExtensionHeaderInput[]) =>
    ipv6.encode({ hopLimit: 255, src, dst, protocol: 58, extensions, payload: icmpv6.encode({ kind: 'router-advert', curHopLimit: 64, routerLifetime: 1800 }, { src, dst }) });

  it('finds RAs and Redirects behind hop-by-hop, destination options and routing headers', () => {
    const plain = ra([]);
    expect(isRoutingNd(plain, 0, plain.length)).toBe(true);
    const behind = ra([
      { kind: 'hop-by-hop', data: new Uint8Array(6) },
      { kind: 'destination-options', data: new Uint8Array(14) },
      { kind: 'routing', routingType: 0, segmentsLeft: 0, data: new Uint8Array(4) },
    ]);
    expect(isRoutingNd(behind, 0, behind.length)).toBe(true);
    // Only the plain one is an RA the control plane takes (as a raw ICMPv6 socket would).
    expect(isRouterAdvert(plain, 0, plain.length)).toBe(true);
    expect(isRouterAdvert(behind, 0, behind.length)).toBe(false);
  });

  it('lets other ICMPv6 and truncated chains through to the checks that follow', () => {
    const e = ipv6.encode({ hopLimit: 64, src, dst, protocol: 58, payload: icmpv6.encode({ kind: 'echo-request', identifier: 1, sequence: 1, data: new Uint8Array(4) }, { src, dst }) });
    expect(isRoutingNd(e, 0, e.length)).toBe(false);
    const cut = ra([{ kind: 'hop-by-hop', data: new Uint8Array(6) }]).subarray(0, 44);
    expect(isRoutingNd(cut, 0, cut.length)).toBe(false);
  });
});
