/**
 * The isatapd core end to end on fake ports, with the real userspace data plane in between:
 * what a user sees in the logs, on the wire (protocol-41 datagrams) and in the kernel requests.
 */
import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/core/time.js';
import * as ipv6 from '../../../src/core/wire/ipv6.js';
import * as icmpv6 from '../../../src/core/wire/icmpv6.js';
import { Ipv4Address } from '../../../src/core/wire/ipv4-address.js';
import { Ipv6Address } from '../../../src/core/wire/ipv6-address.js';
import { CLIENT, ll, prefixRa, R1, R2, routerAnswers, setup, wan } from './harness.js';

const ADDRESS = '2001:db8:5::5efe:c000:202';

function echoTo(dst: string, src = ADDRESS): Uint8Array {
  const s = Ipv6Address.parse(src);
  const d = Ipv6Address.parse(dst);
  const payload = icmpv6.encode({ kind: 'echo-request', identifier: 1, sequence: 1, data: new Uint8Array(8) }, { src: s, dst: d });
  return ipv6.encode({ hopLimit: 64, src: s, dst: d, protocol: ipv6.NH_ICMPV6, payload });
}

describe('isatapd core: start-up', () => {
  it('resolves "isatap", creates is0 (MTU: the link\'s 1500 minus 20) with fe80::5efe:V and reports it up', () => {
    const h = setup();
    h.d.start();
    h.clock.advance(0);
    expect(h.resolver.lookups).toEqual(['isatap']);
    expect(h.control.calls[0]).toBe('tun is0 mtu 1480');
    expect(h.control.addresses.has('fe80::5efe:c000:202')).toBe(true);
    expect(h.log.messages()).toContain('interface is0 up');
    expect(h.log.messages()).toContain('is0 created (local 192.0.2.2, pmtudisc)');
    expect(h.d.phase).toBe('running');
  });

  it('honours --name and --mtu', () => {
    const h = setup({ name: 'isa7', mtu: 1400 });
    h.d.start();
    h.clock.advance(0);
    expect(h.control.calls[0]).toBe('tun isa7 mtu 1400');
    expect(h.log.messages()).toContain('interface isa7 up');
  });

  it('waits with "Internal PRL empty! Rechecking in 60 sec." while no name resolves, then starts', () => {
    const h = setup({}, { table: {} });
    h.d.start();
    h.clock.advance(0);
    expect(h.log.messages()).toContain('add_router_name_to_internal_prl: isatap: Name or service not known');
    expect(h.log.messages()).toContain('Internal PRL empty! Rechecking in 60 sec.');
    expect(h.control.calls).toEqual([]);
    h.resolver.table.set('isatap', [R1]);
    h.ifs.routes.set(R1.value, CLIENT);
    h.clock.advance(59 * SECOND);
    expect(h.control.calls).toEqual([]);
    h.clock.advance(1 * SECOND);
    expect(h.control.calls[0]).toBe('tun is0 mtu 1480');
  });

  it('without a route to the first router: "PDR ... unreachable", "waiting for router isatap to become reachable...", every 60 s', () => {
    const h = setup({}, { routes: { '192.0.2.1': null } });
    h.d.start();
    h.clock.advance(0);
    expect(h.log.messages()).toEqual(expect.arrayContaining(['PDR 192.0.2.1 unreachable. Probing again next time.', 'waiting for router isatap to become reachable...']));
    h.clock.advance(60 * SECOND);
    expect(h.log.messages('pdr.unreachable')).toHaveLength(2);
    h.ifs.routes.set(R1.value, CLIENT);
    h.clock.advance(60 * SECOND);
    expect(h.log.messages()).toContain('router isatap became reachable...');
    expect(h.d.tunnelUp).toBe(true);
  });

  it('drops a router reached from another source: "Outgoing interface for PDR ... differs from ..."', () => {
    const h = setup({ routers: ['a', 'b'] }, { table: { a: ['192.0.2.1'], b: ['198.51.100.1'] }, routes: { '192.0.2.1': '192.0.2.2', '198.51.100.1': '203.0.113.9' } });
    h.d.start();
    h.clock.advance(0);
    expect(h.log.messages()).toContain('Outgoing interface for PDR 198.51.100.1 differs from 192.0.2.2. Removing from internal PRL.');
    expect(h.d.prl.addresses().map(String)).toEqual(['192.0.2.1']);
    h.clock.advance(10 * SECOND);
    expect(new Set(h.p41.solicitations().map((s) => s.to))).toEqual(new Set(['192.0.2.1']));
  });

  it('with --link: uses the device\'s address, and waits for it with "waiting for link wan to become ready..."', () => {
    const down = { ...wan(), running: false };
    const h = setup({ link: 'wan' }, { infos: [down] });
    h.d.start();
    h.clock.advance(0);
    expect(h.log.messages()).toContain('waiting for link wan to become ready...');
    expect(h.d.tunnelUp).toBe(false);
    h.ifs.update('wan', { running: true });
    h.clock.advance(0);
    expect(h.log.messages()).toContain('link wan became ready...');
    expect(h.d.tunnelUp).toBe(true);
    expect(h.d.source?.toString()).toBe('192.0.2.2');
  });

  it('an unknown --link is logged as get_if_addr: No such device', () => {
    const h = setup({ link: 'eth9' });
    h.d.start();
    h.clock.advance(0);
    expect(h.log.messages()).toContain('get_if_addr: No such device');
    expect(h.log.messages()).toContain('waiting for link eth9 to become ready...');
  });

  it('a tunnel it cannot create ends isatapd with exit 1 and "tunnel_add: ..."', () => {
    const h = setup();
    h.control.failTun = 'Operation not permitted';
    h.d.start();
    h.clock.advance(0);
    expect(h.exits).toEqual([{ code: 1, message: 'tunnel_add: Operation not permitted' }]);
    expect(h.log.messages()).toContain('tunnel_add: Operation not permitted');
  });
});

describe('isatapd core: solicitation', () => {
  it('without an answer: first RS within 1 s, then 4 s apart, three at a time, 120 s between the groups', () => {
    const h = setup();
    h.d.start();
    h.clock.advance(300 * SECOND);
    const rs = h.p41.solicitations();
    expect(rs.every((s) => s.to === '192.0.2.1' && s.ll === 'fe80::5efe:c000:201' && s.src === 'fe80::5efe:c000:202' && s.hopLimit === 255)).toBe(true);
    const t = rs.map((s) => s.at);
    expect(t[0]).toBeGreaterThanOrEqual(0);
    expect(t[0]).toBeLessThanOrEqual(1 * SECOND);
    const gaps = t.slice(1).map((x, i) => (x - t[i]) / SECOND);
    expect(gaps.slice(0, 6)).toEqual([4, 4, 120, 4, 4, 120]);
  });

  it('an RS is 8 bytes of ICMPv6 type 133 code 0 with a good checksum', () => {
    const h = setup();
    h.d.start();
    h.clock.advance(2 * SECOND);
    const p = ipv6.decode(h.p41.sent[0].payload);
    expect(p.payload.length).toBe(8);
    expect(icmpv6.checksumOk(p.payload, p.src, p.dst)).toBe(true);
    expect(icmpv6.decode(p.payload)).toMatchObject({ kind: 'router-solicit', code: 0 });
  });

  it('a global router gets two entries (fe80::5efe:V and fe80::200:5efe:V); an answer from one stops the other', () => {
    const h = setup({}, { table: { isatap: [R2.toString()] } });
    h.d.start();
    h.clock.advance(2 * SECOND);
    expect(new Set(h.p41.solicitations().map((s) => s.ll))).toEqual(new Set(['fe80::5efe:6440:1', 'fe80::200:5efe:6440:1']));
    routerAnswers(h, R2, prefixRa(), { global: true });
    expect(h.log.messages()).toContain(' (Not soliciting fe80::5efe:6440:1 anymore)');
    const before = h.p41.solicitations().length;
    h.clock.advance(1000 * SECOND);
    expect(h.p41.solicitations().slice(before)).toEqual([]);
  });

  it('after a valid RA the next RS comes at 80% of its shortest lifetime (router 1800 s: 1440 s)', () => {
    const h = setup();
    h.d.start();
    h.clock.advance(2 * SECOND);
    const at = h.clock.now();
    routerAnswers(h, R1, prefixRa());
    expect(h.log.messages()).toContain(' Setting next timeout to 1440 sec');
    const n = h.p41.solicitations().length;
    h.clock.advance(1439 * SECOND);
    expect(h.p41.solicitations()).toHaveLength(n);
    h.clock.advance(1 * SECOND);
    const rs = h.p41.solicitations();
    expect(rs).toHaveLength(n + 1);
    expect(rs[n].at - at).toBe(1440 * SECOND);
  });

  it('--interval caps the wait after an RA', () => {
    const h = setup({ interval: 300 });
    h.d.start();
    h.clock.advance(2 * SECOND);
    routerAnswers(h, R1, prefixRa());
    expect(h.log.messages()).toContain(' Setting next timeout to 300 sec');
  });

  it('an RA from a router not in the list: "Ignoring Advertisement from ... (unsolicited)", nothing changes', () => {
    const h = setup();
    h.d.start();
    h.clock.advance(2 * SECOND);
    const other = Ipv4Address.parse('192.0.2.77');
    routerAnswers(h, other, prefixRa());
    expect(h.log.messages()).toContain('Ignoring Advertisement from fe80::5efe:c000:24d (unsolicited)');
    expect(h.d.stats.raDropped.unsolicited).toBe(1);
    expect([...h.control.addresses.keys()]).toEqual(['fe80::5efe:c000:202']);
    expect(h.control.routes.size).toBe(0);
  });

  it('an RA with more than 128 options: the options after the 128th are left out and counted', () => {
    const h = setup();
    h.d.start();
    h.clock.advance(2 * SECOND);
    const filler = Array.from({ length: 128 }, () => ({ kind: 'unknown' as const, type: 200, data: '000000000000' }));
    routerAnswers(h, R1, { options: [...filler, { kind: 'prefix-info', prefixLength: 64, onLink: true, autonomous: true, validLifetime: 600, preferredLifetime: 300, prefix: '2001:db8:5::' }] });
    expect(h.d.stats.raAccepted).toBe(1);
    expect(h.d.stats.optionsIgnored['too-many-options']).toBe(1);
    expect([...h.control.addresses.keys()]).toEqual(['fe80::5efe:c000:202']); // no address from the 129th option's prefix
  });

  it('RAs with hop limit 254, code 1 or a broken prefix option change nothing', () => {
    const h = setup();
    h.d.start();
    h.clock.advance(2 * SECOND);
    routerAnswers(h, R1, prefixRa(), { hopLimit: 254 });
    const src = ll(R1);
    const dst = ll(CLIENT);
    const code1 = icmpv6.encode({ kind: 'router-advert', code: 1, curHopLimit: 64, routerLifetime: 1800 } as never, { src, dst });
    routerAnswers(h, R1, {}, { message: code1 });
    const broken = icmpv6.encode({ kind: 'router-advert', curHopLimit: 64, routerLifetime: 1800, options: [{ kind: 'malformed', bytes: '0301400000000000' }] } as never, { src, dst });
    routerAnswers(h, R1, {}, { message: broken });
    expect(h.d.stats.raDropped['hop-limit']).toBe(1);
    expect(h.d.stats.raDropped.code).toBe(1);
    expect(h.d.stats.raDropped['malformed-option']).toBe(1);
    expect(h.d.stats.raAccepted).toBe(0);
    expect(h.control.routes.size).toBe(0);
  });
});

describe('isatapd core: userspace SLAAC and forwarding', () => {
  it('an RA gives PREFIX::5efe:V with its lifetimes, the on-link prefix and a default route via the router', () => {
    const h = setup();
    h.d.start();
    h.clock.advance(2 * SECOND);
    routerAnswers(h, R1, prefixRa('2001:db8:5::', {}, { valid: 600, preferred: 300, router: 1800 }));
    expect(h.control.calls).toEqual(
      expect.arrayContaining([`addr ${ADDRESS}/64 valid 600 preferred 300`, 'route ::/0 via fe80::5efe:c000:201 lifetime 1800', 'route 2001:db8:5::/64 lifetime 600']),
    );
  });

  it('an address is removed when its valid lifetime ends without a refresh', () => {
    const h = setup();
    h.d.start();
    h.clock.advance(2 * SECOND);
    routerAnswers(h, R1, prefixRa('2001:db8:5::', {}, { valid: 200, preferred: 100, router: 1800 }));
    expect(h.control.addresses.has(ADDRESS)).toBe(true);
    h.clock.advance(199 * SECOND);
    expect(h.control.addresses.has(ADDRESS)).toBe(true);
    h.clock.advance(1 * SECOND);
    expect(h.control.addresses.has(ADDRESS)).toBe(false);
    expect(h.log.messages()).toContain(`address ${ADDRESS}/64 expired`);
  });

  it('the two-hour rule: a short valid lifetime does not cut a long-lived address below two hours', () => {
    const h = setup();
    h.d.start();
    h.clock.advance(2 * SECOND);
    routerAnswers(h, R1, prefixRa('2001:db8:5::', {}, { valid: 86400, preferred: 14400 }));
    routerAnswers(h, R1, prefixRa('2001:db8:5::', {}, { valid: 60, preferred: 30 }));
    expect(h.control.calls.filter((c) => c.startsWith(`addr ${ADDRESS}`)).at(-1)).toBe(`addr ${ADDRESS}/64 valid 7200 preferred 30`);
  });

  it("the RA's hop limit and MTU option reach the TUN device as Linux takes them (once, and only in range)", () => {
    const h = setup(); // is0's MTU: the link's 1500 minus 20
    h.d.start();
    h.clock.advance(2 * SECOND);
    const ipv6Calls = (): string[] => h.control.calls.filter((c) => c.startsWith('ipv6 '));
    const mtu = (value: number) => ({ kind: 'mtu' as const, mtu: value });
    routerAnswers(h, R1, { curHopLimit: 33, options: [mtu(1400), mtu(1300)] });
    expect(ipv6Calls()).toEqual(['ipv6 is0 mtu 1400 hoplimit 33']); // the first MTU option counts
    expect(h.d.stats.optionsIgnored['duplicate-option']).toBe(1); // the second is left out (sd-ndisc), and counted
    routerAnswers(h, R1, { curHopLimit: 33, options: [mtu(1400)] });
    expect(ipv6Calls()).toHaveLength(1); // nothing changed
    routerAnswers(h, R1, { curHopLimit: 0, options: [mtu(1279)] });
    routerAnswers(h, R1, { curHopLimit: 0, options: [mtu(1481)] });
    expect(ipv6Calls()).toHaveLength(1); // hop limit 0: unspecified; MTUs outside 1280..1480 ignored
    expect(h.log.messages()).toContain('RA MTU 1481 ignored: outside 1280..1480');
    routerAnswers(h, R1, { curHopLimit: 40, options: [mtu(1480)] });
    expect(ipv6Calls().at(-1)).toBe('ipv6 is0 mtu 1480 hoplimit 40');
    // The kernel's own defaults stay untouched by an RA that sets neither.
    routerAnswers(h, R1, { curHopLimit: 0 });
    expect(ipv6Calls()).toHaveLength(2);
  });

  it('a router lifetime of 0 removes the default route', () => {
    const h = setup();
    h.d.start();
    h.clock.advance(2 * SECOND);
    routerAnswers(h, R1, prefixRa());
    expect(h.control.routes.has('::/0 via fe80::5efe:c000:201')).toBe(true);
    routerAnswers(h, R1, prefixRa('2001:db8:5::', {}, { router: 0 }));
    expect(h.control.routes.has('::/0 via fe80::5efe:c000:201')).toBe(false);
  });

  it('sends off-link traffic to the router and on-link ISATAP traffic straight to the embedded IPv4 address', () => {
    const h = setup({ ttl: 0, pmtudisc: false });
    h.d.start();
    h.clock.advance(2 * SECOND);
    const tun = h.control.tun;
    tun.inject(echoTo('2001:db8:99::1'));
    expect(h.p41.sent.filter((s) => ipv6.decode(s.payload).protocol === ipv6.NH_ICMPV6 && s.payload[40] === 128)).toEqual([]);
    routerAnswers(h, R1, prefixRa());
    tun.inject(echoTo('2001:db8:99::1'));
    tun.inject(echoTo('2001:db8:5::5efe:c633:6405'));
    const echoes = h.p41.sent.filter((s) => s.payload[40] === 128);
    expect(echoes.map((s) => s.dst.toString())).toEqual(['192.0.2.1', '198.51.100.5']);
    // ttl inherit: the outer TTL is the inner hop limit; nopmtudisc: DF clear.
    expect(echoes.every((s) => s.ttl === 64 && s.dontFragment === false && s.src?.toString() === '192.0.2.2')).toBe(true);
  });

  it('hands decapsulated packets to the TUN device only when RFC 5214 7.3 allows them', () => {
    const h = setup();
    h.d.start();
    h.clock.advance(2 * SECOND);
    const tun = h.control.tun;
    const peer = Ipv4Address.parse('198.51.100.5');
    // From an ISATAP peer whose inner source embeds its outer address: accepted.
    h.p41.deliver({ src: peer, dst: CLIENT, ttl: 64, payload: echoTo(ADDRESS, '2001:db8:5::5efe:c633:6405') });
    // A spoofed inner source: dropped.
    h.p41.deliver({ src: peer, dst: CLIENT, ttl: 64, payload: echoTo(ADDRESS, '2001:db8:5::5efe:cb00:7101') });
    // A native IPv6 source from the router (in the PRL): accepted.
    h.p41.deliver({ src: R1, dst: CLIENT, ttl: 64, payload: echoTo(ADDRESS, '2001:db8:99::1') });
    // The same from someone else: dropped.
    h.p41.deliver({ src: peer, dst: CLIENT, ttl: 64, payload: echoTo(ADDRESS, '2001:db8:99::1') });
    expect(tun.written.map((p) => ipv6.decode(p).src.toString())).toEqual(['2001:db8:5::5efe:c633:6405', '2001:db8:99::1']);
  });
});

describe('isatapd core: lifecycle', () => {
  it('a DNS re-check that finds a new address prunes the old router and solicits the new one', () => {
    const h = setup({ checkDns: 120 }, { table: { isatap: ['192.0.2.1'] }, routes: { '192.0.2.1': '192.0.2.2', '192.0.2.9': '192.0.2.2' } });
    h.d.start();
    h.clock.advance(2 * SECOND);
    h.resolver.table.set('isatap', [Ipv4Address.parse('192.0.2.9')]);
    h.clock.advance(118 * SECOND);
    const since = 120 * SECOND; // the round started at 0 s; its DNS check is due at 120 s
    expect(h.log.messages()).toContain('Removing old PDR 192.0.2.1 from kernel');
    expect(h.d.prl.addresses().map(String)).toEqual(['192.0.2.9']);
    h.clock.advance(2 * SECOND);
    const rs = h.p41.solicitations().filter((s) => s.at >= since);
    expect(rs.map((s) => s.to)).toEqual(['192.0.2.9']);
    expect(h.d.stats.linkChanges).toBe(0);
    expect(h.control.tuns).toHaveLength(1);
  });

  it('a DNS re-check that finds nothing deletes the tunnel and starts over', () => {
    const h = setup({ checkDns: 120 });
    h.d.start();
    h.clock.advance(2 * SECOND);
    h.resolver.table.delete('isatap');
    h.clock.advance(120 * SECOND);
    expect(h.log.messages()).toEqual(expect.arrayContaining(['interface is0 down', 'Internal PRL empty! Rechecking in 60 sec.']));
    expect(h.control.tuns[0].closed).toBe(true);
    h.resolver.table.set('isatap', [R1]);
    h.clock.advance(60 * SECOND);
    expect(h.control.tuns).toHaveLength(2);
  });

  it('link loss: "Link change detected. Re-creating tunnel.", the tunnel goes, and comes back with the link', () => {
    const h = setup({ link: 'wan' });
    h.d.start();
    h.clock.advance(2 * SECOND);
    routerAnswers(h, R1, prefixRa());
    h.ifs.update('wan', { running: false });
    h.clock.advance(0);
    expect(h.log.messages()).toEqual(expect.arrayContaining(['Link change detected. Re-creating tunnel.', 'interface is0 down', 'waiting for link wan to become ready...']));
    expect(h.control.tuns[0].closed).toBe(true);
    h.clock.advance(30 * SECOND);
    h.ifs.update('wan', { running: true });
    h.clock.advance(0);
    expect(h.control.tuns).toHaveLength(2);
    expect(h.d.phase).toBe('running');
  });

  it('a new source address (the old one removed) re-creates the tunnel from the new one', () => {
    const h = setup();
    h.d.start();
    h.clock.advance(2 * SECOND);
    const newSrc = Ipv4Address.parse('192.0.2.3');
    h.ifs.routes.set(R1.value, newSrc);
    h.ifs.update('wan', { ipv4: [{ address: newSrc, prefixLength: 24 }] });
    h.clock.advance(0);
    expect(h.log.messages()).toContain('Link change detected. Re-creating tunnel.');
    expect(h.d.source?.toString()).toBe('192.0.2.3');
    expect(h.log.messages()).toContain('is0 created (local 192.0.2.3, pmtudisc)');
  });

  it('SIGHUP re-resolves and solicits again within a second', () => {
    const h = setup();
    h.d.start();
    h.clock.advance(2 * SECOND);
    routerAnswers(h, R1, prefixRa());
    h.clock.advance(100 * SECOND);
    const n = h.p41.solicitations().length;
    h.d.hangup();
    expect(h.log.messages()).toContain('SIGHUP received.');
    h.clock.advance(1 * SECOND);
    expect(h.resolver.lookups).toHaveLength(2);
    expect(h.p41.solicitations()).toHaveLength(n + 1);
  });

  it('SIGTERM: "signal 15 received, going down.", the tunnel is deleted, then stop completes', () => {
    const h = setup();
    h.d.start();
    h.clock.advance(2 * SECOND);
    let stopped = false;
    h.d.stop(15, () => (stopped = true));
    h.clock.advance(0);
    expect(stopped).toBe(true);
    expect(h.control.tuns[0].closed).toBe(true);
    expect(h.log.messages()).toEqual(expect.arrayContaining(['signal 15 received, going down.', 'interface is0 down', 'is0 deleted']));
    const n = h.p41.sent.length;
    h.clock.advance(1000 * SECOND);
    expect(h.p41.sent).toHaveLength(n);
    expect(h.clock.scheduled).toBe(0);
  });
});
