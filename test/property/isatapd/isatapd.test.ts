/**
 * isatapd's promises for any input: the next-RS rule for any RA lifetimes, RAs that are invalid
 * or come from unlisted routers never change anything, encapsulation and decapsulation give back
 * the same packet, the RFC 5214 source rule accepts exactly what it should, and nothing a peer
 * sends makes the data plane throw or lose count.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fcRuns } from '../../helpers/tier.js';
import { SECOND } from '../../../src/core/time.js';
import { nextRsAfterRa } from '../../../src/core/isatapd/schedule.js';
import { writeOuterHeader, outboundNextHop, OUTER_HEADER } from '../../../src/core/isatapd/dataplane/encap.js';
import { innerCheck, outerCheck } from '../../../src/core/isatapd/dataplane/decap.js';
import { fragmentDatagram } from '../../../src/core/isatapd/dataplane/fragment.js';
import { NextHopTable } from '../../../src/core/isatapd/dataplane/next-hop.js';
import { UserspaceTunnel } from '../../../src/core/isatapd/dataplane/userspace.js';
import { DROP_REASONS } from '../../../src/core/isatapd/dataplane/counters.js';
import * as ipv4 from '../../../src/core/wire/ipv4.js';
import * as ipv6 from '../../../src/core/wire/ipv6.js';
import * as icmpv6 from '../../../src/core/wire/icmpv6.js';
import { Ipv4Address } from '../../../src/core/wire/ipv4-address.js';
import { Ipv6Address } from '../../../src/core/wire/ipv6-address.js';
import { embeddedIpv4, isatapAddress } from '../../../src/core/wire/isatap.js';
import type { RouteInfoInput } from '../../../src/core/wire/ndisc/options/route-info.js';
import type { PrefixInfoInput } from '../../../src/core/wire/ndisc/options/prefix-info.js';
import { CLIENT, FakeP41, FakeTun, ll, R1, raMessage, routerAnswers, setup } from '../../unit/isatapd/harness.js';

const lifetime = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 0xffff_ffff }));
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });

describe('the next-RS rule', () => {
  it('for any lifetimes and interval: max(120 s, min(interval, 0.8 x each positive lifetime)), to the millisecond', () => {
    fc.assert(
      fc.property(fc.array(lifetime, { maxLength: 8 }), fc.integer({ min: 120, max: 65536 }), (ls, interval) => {
        const got = nextRsAfterRa(ls, interval);
        const bound = Math.min(interval, ...ls.filter((l) => l > 0).map((l) => 0.8 * l));
        expect(got).toBe(Math.max(120 * SECOND, Math.floor(bound * 1000) * 1000));
        expect(got).toBeGreaterThanOrEqual(120 * SECOND);
        expect(got).toBeLessThanOrEqual(Math.max(interval, 120) * SECOND);
      }),
      { numRuns: fcRuns(20_000) },
    );
  });

  it('the core sends its next RS to an answering router exactly then, and none before', () => {
    const prefix = fc.record({ valid: lifetime, preferred: lifetime });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9000 }), fc.array(prefix, { maxLength: 3 }), fc.array(lifetime, { maxLength: 2 }), fc.integer({ min: 120, max: 5000 }), (routerLifetime, prefixes, routes, interval) => {
        const h = setup({ interval, checkDns: 0 }); // no DNS re-check (a new round) in the way
        h.d.start();
        h.clock.advance(2 * SECOND);
        const options = [
          ...prefixes.map((p, i): PrefixInfoInput => ({ kind: 'prefix-info', prefixLength: 64, onLink: true, autonomous: true, validLifetime: p.valid, preferredLifetime: p.preferred, prefix: Ipv6Address.parse(`2001:db8:${i + 1}::`) })),
          ...routes.map((l, i): RouteInfoInput => ({ kind: 'route-info', prefixLength: 48, preference: 'medium', lifetime: l, prefix: Ipv6Address.parse(`2001:db8:${i + 10}::`) })),
        ];
        const at = h.clock.now();
        routerAnswers(h, R1, { routerLifetime, options });
        const want = nextRsAfterRa([routerLifetime, ...prefixes.flatMap((p) => [p.preferred, p.valid]), ...routes], interval);
        const n = h.p41.solicitations().length;
        h.clock.runUntil(at + want - 1);
        expect(h.p41.solicitations()).toHaveLength(n);
        h.clock.runUntil(at + want);
        expect(h.p41.solicitations().slice(n).map((s) => s.at - at)).toEqual([want]);
      }),
      { numRuns: fcRuns(300) },
    );
  });
});

type Bad = { kind: 'hop-limit'; hop: number } | { kind: 'code'; code: number } | { kind: 'unlisted'; v4: number } | { kind: 'garbage'; bytes: Uint8Array } | { kind: 'spoofed'; v4: number };

const bad: fc.Arbitrary<Bad> = fc.oneof(
  fc.integer({ min: 0, max: 254 }).map((hop) => ({ kind: 'hop-limit' as const, hop })),
  fc.integer({ min: 1, max: 255 }).map((code) => ({ kind: 'code' as const, code })),
  fc.integer({ min: 0xc000_0203, max: 0xc000_02fe }).map((v4) => ({ kind: 'unlisted' as const, v4 })),
  fc.uint8Array({ minLength: 0, maxLength: 80 }).map((bytes) => ({ kind: 'garbage' as const, bytes })),
  fc.integer({ min: 0xcb00_7101, max: 0xcb00_71fe }).map((v4) => ({ kind: 'spoofed' as const, v4 })),
);

describe('RAs that are invalid or from routers not in the list', () => {
  it('change nothing: the same RSs go out and the same kernel changes are asked for as without them', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 200 * SECOND }), bad), { maxLength: 12 }), (events) => {
        const run = (withBad: boolean) => {
          const h = setup({ checkDns: 0 });
          h.d.start();
          h.clock.advance(2 * SECOND);
          routerAnswers(h, R1, { routerLifetime: 1800 });
          for (const [wait, b] of [...events].sort((x, y) => x[0] - y[0])) {
            h.clock.runUntil(2 * SECOND + wait);
            if (!withBad) continue;
            const src = ll(R1);
            const dst = ll(CLIENT);
            switch (b.kind) {
              case 'hop-limit':
                routerAnswers(h, R1, { routerLifetime: 30 }, { hopLimit: b.hop });
                break;
              case 'code':
                routerAnswers(h, R1, {}, { message: icmpv6.encode({ kind: 'router-advert', code: b.code, curHopLimit: 64, routerLifetime: 30 } as never, { src, dst }) });
                break;
              case 'unlisted':
                routerAnswers(h, new Ipv4Address(b.v4), { routerLifetime: 30 });
                break;
              case 'garbage':
                h.p41.deliver({ src: R1, dst: CLIENT, ttl: 64, payload: b.bytes });
                break;
              case 'spoofed':
                // Claims R1's link-local address from another IPv4 host: the source rule stops it.
                routerAnswers(h, R1, { routerLifetime: 30 }, { outerSrc: new Ipv4Address(b.v4) });
                break;
            }
          }
          h.clock.runUntil(400 * SECOND);
          return { rs: h.p41.solicitations(), calls: h.control.calls, accepted: h.d.stats.raAccepted, state: JSON.stringify({ ...h.d.state(), dataplane: undefined, stats: undefined }) };
        };
        const good = run(false);
        const withBad = run(true);
        expect(withBad.rs).toEqual(good.rs);
        expect(withBad.calls).toEqual(good.calls);
        expect(withBad.accepted).toBe(1);
        expect(withBad.state).toBe(good.state);
      }),
      { numRuns: fcRuns(200) },
    );
  });
});

const ipv6Packet = fc.record({
  hopLimit: fc.integer({ min: 0, max: 255 }),
  trafficClass: fc.integer({ min: 0, max: 255 }),
  flowLabel: fc.integer({ min: 0, max: 0xfffff }),
  srcV4: u32,
  dstV4: u32,
  srcGlobal: fc.boolean(),
  dstGlobal: fc.boolean(),
  prefixHi: fc.integer({ min: 0x2000_0000, max: 0x3fff_ffff }), // global unicast: the table routes it on-link
  payload: fc.uint8Array({ maxLength: 200 }),
});

describe('encapsulation and decapsulation', () => {
  it('round trip: the IPv4 header is valid protocol 41 to the embedded address, and the IPv6 packet comes back byte for byte', () => {
    fc.assert(
      fc.property(ipv6Packet, u32, fc.integer({ min: 0, max: 255 }), fc.boolean(), fc.integer({ min: 0, max: 0xffff }), (p, local, ttl, df, id) => {
        const prefix = new Ipv6Address(p.prefixHi, 0x0001_0000, 0, 0);
        const src = isatapAddress(prefix, new Ipv4Address(p.srcV4), p.srcGlobal);
        const dst = isatapAddress(prefix, new Ipv4Address(p.dstV4), p.dstGlobal);
        const inner = ipv6.encode({ hopLimit: p.hopLimit, trafficClass: p.trafficClass, flowLabel: p.flowLabel, src, dst, protocol: 59, payload: p.payload });
        const buf = new Uint8Array(OUTER_HEADER + inner.length + 16);
        buf.set(inner, OUTER_HEADER + 8);
        const table = new NextHopTable(true);
        const hop = outboundNextHop(buf, OUTER_HEADER + 8, inner.length, table);
        expect(hop).toBe(p.dstV4);
        const total = writeOuterHeader(buf, 8, inner.length, { src: local, dst: hop, ttl, dontFragment: df, identification: id });
        const datagram = buf.subarray(8, 8 + total);
        const outer = ipv4.decode(datagram);
        expect(ipv4.checksumOk(datagram)).toBe(true);
        expect(outer).toMatchObject({ protocol: 41, ttl: ttl === 0 ? p.hopLimit || 1 : ttl, dontFragment: df, identification: id });
        expect(outer.src.value).toBe(local);
        expect(outer.dst.value).toBe(p.dstV4);
        const at = outerCheck(datagram, 0, datagram.length);
        expect(at).toBe(20);
        // Received from the sender's IPv4 address: its inner source embeds it, so it passes.
        const n = innerCheck(p.srcV4, datagram, at, datagram.length - at, () => false);
        expect(n).toBe(inner.length);
        expect(datagram.subarray(at, at + n)).toEqual(inner);
      }),
      { numRuns: fcRuns(20_000) },
    );
  });

  it('the RFC 5214 7.3 source rule accepts exactly an embedded outer source or a listed router', () => {
    fc.assert(
      fc.property(u32, fc.oneof(u32.map((v) => ({ isatap: true, v })), fc.tuple(u32, u32, u32, u32).map((w) => ({ isatap: false, w }))), fc.boolean(), fc.boolean(), (outer, s, listed, global) => {
        const src = s.isatap ? isatapAddress(Ipv6Address.parse('2001:db8::'), new Ipv4Address((s as { v: number }).v), global) : new Ipv6Address(...(s as { w: [number, number, number, number] }).w);
        const inner = ipv6.encode({ hopLimit: 64, src, dst: Ipv6Address.parse('2001:db8::5efe:c000:202'), protocol: 59, payload: new Uint8Array(0) });
        const got = innerCheck(outer, inner, 0, inner.length, () => listed) >= 0;
        const e = embeddedIpv4(src);
        expect(got).toBe((e !== null && e.value === outer) || listed);
      }),
      { numRuns: fcRuns(20_000) },
    );
  });
});

describe('IPv4 fragmentation for paths below 1300 bytes', () => {
  it('any datagram and MTU: fragments within the MTU, valid headers, DF clear, offsets in 8s, reassembling to the datagram', () => {
    fc.assert(
      fc.property(fc.integer({ min: 40, max: 9000 }), fc.integer({ min: 28, max: 1500 }), fc.integer({ min: 0, max: 0xffff }), (inner, mtu, id) => {
        const b = new Uint8Array(OUTER_HEADER + inner);
        for (let i = OUTER_HEADER; i < b.length; i++) b[i] = (i * 7) & 0xff;
        const size = writeOuterHeader(b, 0, inner, { src: 0xc0000202, dst: 0xc6336401, ttl: 64, dontFragment: false, identification: id });
        const parts = fragmentDatagram(b, 0, size, mtu);
        const whole = new Uint8Array(inner);
        let covered = 0;
        parts.forEach((f, i) => {
          expect(f.length).toBeLessThanOrEqual(mtu);
          expect(ipv4.checksumOk(f)).toBe(true);
          const h = ipv4.decode(f);
          expect([h.identification, h.protocol, h.dontFragment, h.moreFragments]).toEqual([id, 41, false, i < parts.length - 1]);
          whole.set(h.payload, h.fragmentOffset * 8);
          covered += h.payload.length;
        });
        expect(covered).toBe(inner);
        expect(whole).toEqual(b.subarray(OUTER_HEADER));
      }),
      { numRuns: fcRuns(2_000) },
    );
  });
});

describe('the data plane under any input', () => {
  it('never throws, and every datagram and TUN packet is counted once: delivered, handed over or dropped for a reason', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ from: fc.constant('net' as const), src: fc.constantFrom(R1.value, 0xc633_6405, 0xcb00_7101), dst: fc.constantFrom(CLIENT.value, 0xc000_0203), bytes: fc.uint8Array({ maxLength: 120 }) }),
            fc.record({ from: fc.constant('tun' as const), bytes: fc.uint8Array({ maxLength: 120 }) }),
            // Well-formed packets with a random tail, so the checks past the header get exercised too.
            fc.record({ from: fc.constant('net' as const), src: fc.constantFrom(R1.value, 0xc633_6405), dst: fc.constant(CLIENT.value), bytes: fc.uint8Array({ maxLength: 60 }).map((tail) => wellFormed(tail)) }),
          ),
          { maxLength: 40 },
        ),
        (inputs) => {
          const tun = new FakeTun('is0', 9);
          const p41 = new FakeP41(() => 0);
          const t = new UserspaceTunnel(tun, p41, { local: CLIENT, ttl: 64, pmtudisc: true });
          t.addRouter(R1);
          t.nextHops.setDefault(ll(R1));
          t.onRouterAdvert(() => undefined);
          for (const i of inputs) {
            if (i.from === 'net') t.fromNetwork({ src: new Ipv4Address(i.src), dst: new Ipv4Address(i.dst), ttl: 64, payload: i.bytes });
            else tun.inject(i.bytes);
          }
          const c = t.counters;
          const dropped = DROP_REASONS.reduce((n, r) => n + c.dropped[r], 0);
          expect(c.fromNetwork + c.fromTun).toBe(inputs.length);
          expect(c.toTun + c.toControl + c.encapsulated + dropped).toBe(inputs.length);
          expect(tun.written).toHaveLength(c.toTun);
          expect(p41.sent).toHaveLength(c.encapsulated);
        },
      ),
      { numRuns: fcRuns(5_000) },
    );
  });
});

function wellFormed(tail: Uint8Array): Uint8Array {
  const src = ll(Ipv4Address.parse('198.51.100.5'));
  const dst = ll(CLIENT);
  if (tail.length > 0 && tail[0] % 2 === 0) {
    // An RA-shaped message with arbitrary contents (bad checksums mostly).
    const m = new Uint8Array(Math.max(16, tail.length));
    m.set(tail);
    m[0] = 134;
    return ipv6.encode({ hopLimit: 255, src, dst, protocol: 58, payload: m });
  }
  return ipv6.encode({ hopLimit: 64, src, dst, protocol: 58, payload: raMessage({ routerLifetime: 30 }, src, dst).subarray(0, Math.min(16, tail.length + 4)) });
}
