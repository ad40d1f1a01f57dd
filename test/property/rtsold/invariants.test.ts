/**
 * rtsold's promises under any order of events: link changes, valid and invalid RAs with changing
 * DNS options, and time passing.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { setup, deliverRa, raBytes } from '../../unit/rtsold/harness.js';
import { SECOND } from '../../../src/core/time.js';
import { Ipv6Address } from '../../../src/core/wire/ipv6-address.js';
import { fcRuns } from '../../helpers/tier.js';
import { bytes } from '../../helpers/arbitraries.js';
import { checkRa } from '../../../src/core/wire/ndisc/validate.js';
import { RA_POLICY } from '../../../src/core/rtsold/ra-policy.js';

const SERVERS = ['2001:db8::53', '2001:db8::54', 'fe80::53'];
const DOMAINS = ['lab.intra', 'example.org', 'x.example'];
const SOURCES = ['fe80::1', 'fe80::2'];

type Step =
  | { kind: 'wait'; us: number }
  | { kind: 'valid'; src: number; other: boolean; rdnss?: { lifetime: number; servers: number[] }; dnssl?: { lifetime: number; domains: number[] } }
  | { kind: 'invalid'; how: 'hop-limit' | 'code' | 'source' | 'interface' | 'short' }
  | { kind: 'link'; running: boolean };

const lifetime = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 }), fc.constant(0xffffffff));
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 12 * SECOND }).map((us) => ({ kind: 'wait' as const, us })) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('valid' as const),
      src: fc.integer({ min: 0, max: SOURCES.length - 1 }),
      other: fc.boolean(),
      rdnss: fc.option(fc.record({ lifetime, servers: fc.uniqueArray(fc.integer({ min: 0, max: SERVERS.length - 1 }), { minLength: 1 }) }), { nil: undefined }),
      dnssl: fc.option(fc.record({ lifetime, domains: fc.uniqueArray(fc.integer({ min: 0, max: DOMAINS.length - 1 }), { minLength: 1 }) }), { nil: undefined }),
    }),
  },
  { weight: 2, arbitrary: fc.constantFrom('hop-limit', 'code', 'source', 'interface', 'short').map((how) => ({ kind: 'invalid' as const, how })) },
  { weight: 1, arbitrary: fc.boolean().map((running) => ({ kind: 'link' as const, running })) },
);

/**
 * An independent model of the live DNS set: per source (in the order a source first contributed,
 * forgotten once it has nothing left), its entries in first-seen order, each with an expiry.
 */
class DnsModel {
  sources = new Map<string, Array<{ kind: 'rdnss' | 'dnssl'; text: string; expire: number }>>();
  update(src: string, kind: 'rdnss' | 'dnssl', text: string, life: number, now: number): void {
    const list = this.sources.get(src) ?? [];
    const i = list.findIndex((e) => e.kind === kind && e.text === text);
    if (life === 0) {
      if (i >= 0) list.splice(i, 1);
      return;
    }
    const expire = life === 0xffffffff ? Infinity : now + life * SECOND;
    if (i >= 0) list[i].expire = expire;
    else list.push({ kind, text, expire });
    this.sources.set(src, list);
  }
  text(now: number): string {
    let ns = '';
    const doms: string[] = [];
    for (const [src, list] of this.sources) {
      const live = list.filter((e) => e.expire > now);
      if (live.length === 0) {
        this.sources.delete(src);
        continue;
      }
      this.sources.set(src, live);
      for (const e of live) {
        if (e.kind === 'rdnss') ns += `nameserver ${e.text}\n`;
        else doms.push(e.text);
      }
    }
    return ns + (doms.length ? `search ${doms.map((d) => d + ' ').join('')}\n` : '');
  }
}

describe('rtsold invariants', () => {
  it('holds its RS, state and script promises for any sequence of events', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), fc.integer({ min: 1, max: 1000 }), fc.boolean(), (steps, seed, mobility) => {
        const h = setup({ mobility }, undefined, seed);
        h.rtsold.start();
        const model = new DnsModel();
        // Sources seen in the order rtsold first kept something from them.
        let answeredSince: number | undefined;
        const cycleStarts = () => h.log.events.filter((e) => e.event === 'state' && e.fields?.to === 'DELAY').length;
        let cyclesAtAnswer = 0;
        let scriptsChecked = 0;

        const checkScripts = () => {
          for (; scriptsChecked < h.scripts.runs.length; scriptsChecked++) {
            const r = h.scripts.runs[scriptsChecked];
            if (r.args[0] === '-a') expect(r.stdin).toBe(model.text(r.at));
            if (r.args[0] === '-d') expect(model.text(r.at)).toBe('');
          }
        };

        for (const s of steps) {
          const before = { ...h.rtsold.interfaceState('eth0')! };
          const sentBefore = h.icmp.sent.length;
          const scriptsBefore = h.scripts.runs.length;
          switch (s.kind) {
            case 'wait':
              h.clock.advance(s.us);
              break;
            case 'link':
              h.ifs.update('eth0', { running: s.running });
              break;
            case 'valid': {
              const src = SOURCES[s.src];
              const options = [];
              if (s.rdnss) options.push({ kind: 'rdnss' as const, lifetime: s.rdnss.lifetime, servers: s.rdnss.servers.map((i) => SERVERS[i]) });
              if (s.dnssl) options.push({ kind: 'dnssl' as const, lifetime: s.dnssl.lifetime, domains: s.dnssl.domains.map((i) => DOMAINS[i]) });
              const now = h.clock.now();
              for (const o of options) {
                if (o.kind === 'rdnss') for (const a of o.servers) model.update(src, 'rdnss', a.startsWith('fe80') ? `${a}%eth0` : a, o.lifetime, now);
                else for (const d of o.domains) model.update(src, 'dnssl', d, o.lifetime, now);
              }
              deliverRa(h, { other: s.other, options }, { src: Ipv6Address.parse(src) });
              answeredSince = h.clock.now();
              cyclesAtAnswer = cycleStarts();
              break;
            }
            case 'invalid': {
              const message = raBytes({ other: true, options: [{ kind: 'rdnss', lifetime: 100, servers: ['2001:db8::99'] }] });
              if (s.how === 'code') message[1] = 7;
              deliverRa(h, {}, {
                message: s.how === 'short' ? message.subarray(0, 10) : message,
                hopLimit: s.how === 'hop-limit' ? 1 : 255,
                src: s.how === 'source' ? Ipv6Address.parse('2001:db8::1') : undefined,
                ifindex: s.how === 'interface' ? 77 : undefined,
              });
              // an invalid RA changes nothing: no state, no RS, no script
              expect(h.rtsold.interfaceState('eth0')).toEqual(before);
              expect(h.icmp.sent.length).toBe(sentBefore);
              expect(h.scripts.runs.length).toBe(scriptsBefore);
              break;
            }
          }
          checkScripts();
          // after a valid RA, no RS until a new probe cycle begins
          if (answeredSince !== undefined && cycleStarts() === cyclesAtAnswer) {
            expect(h.icmp.sent.filter((x) => x.at > answeredSince!)).toEqual([]);
          }
        }
        h.clock.advance(30 * SECOND);
        checkScripts();

        // at most 3 RS per probe cycle; the first within MAX_RTR_SOLICITATION_DELAY of the cycle's start
        let cycleStart: number | undefined;
        let inCycle = 0;
        for (const e of h.log.events) {
          if (e.event === 'state' && e.fields?.to === 'DELAY') {
            cycleStart = e.at;
            inCycle = 0;
          } else if (e.event === 'rs.sent') {
            inCycle++;
            expect(inCycle).toBeLessThanOrEqual(3);
            if (inCycle === 1) {
              expect(e.at).toBeGreaterThanOrEqual(cycleStart!);
              expect(e.at - cycleStart!).toBeLessThan(SECOND);
            }
          }
        }
        h.rtsold.stop();
      }),
      { numRuns: Math.min(fcRuns(2000), 20000) },
    );
  });

  // Bytes an attacker on the link chooses: mostly RA-shaped (type 134, code 0, a sound fixed part
  // or a cut one) with option areas of random TLVs, some entirely random.
  const option = fc.tuple(fc.constantFrom(1, 3, 5, 25, 31, 24, 200, 0), fc.integer({ min: 0, max: 6 }), bytes(0, 50)).map(([type, len, body]) => {
    const o = new Uint8Array(2 + body.length);
    o[0] = type;
    o[1] = len;
    o.set(body, 2);
    return o;
  });
  const raLike = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.boolean(), fc.array(option, { maxLength: 6 })).map(([other, opts]) => Uint8Array.from([...raBytes({ other }), ...opts.flatMap((o) => [...o])])) },
    { weight: 1, arbitrary: bytes(0, 40).map((b) => Uint8Array.from([134, 0, ...b])) },
    { weight: 1, arbitrary: bytes(0, 80) },
  );

  it('never throws on any bytes; what it drops changes nothing; every -R text is the live set', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ message: raLike, hopLimit: fc.constantFrom(255, 255, 255, 254), src: fc.constantFrom('fe80::1', 'fe80::2', '2001:db8::1'), wait: fc.integer({ min: 0, max: 5 * SECOND }) }), { maxLength: 30 }),
        (msgs) => {
          const h = setup();
          h.rtsold.start();
          for (const m of msgs) {
            const before = { ...h.rtsold.interfaceState('eth0')! };
            const sent = h.icmp.sent.length;
            const runs = h.scripts.runs.length;
            const textBefore = h.rtsold.resolvconfText('eth0');
            const received = { ifindex: 2, src: Ipv6Address.parse(m.src), dst: Ipv6Address.ALL_NODES, hopLimit: m.hopLimit, message: m.message };
            expect(() => h.icmp.deliver(received)).not.toThrow();
            if (!checkRa(received, RA_POLICY).ok) {
              expect(h.rtsold.interfaceState('eth0')).toEqual(before);
              expect(h.icmp.sent.length).toBe(sent);
              expect(h.scripts.runs.length).toBe(runs);
              expect(h.rtsold.resolvconfText('eth0')).toBe(textBefore);
            } else {
              expect(h.rtsold.interfaceState('eth0')!.racnt).toBe(before.racnt + 1);
            }
            for (const r of h.scripts.runs.slice(runs)) {
              if (r.args[0] === '-a') expect(r.stdin).toBe(h.rtsold.resolvconfText('eth0'));
              if (r.args[0] === '-d') expect(h.rtsold.resolvconfText('eth0')).toBe('');
            }
            h.clock.advance(m.wait);
          }
          h.rtsold.stop();
        },
      ),
      { numRuns: Math.min(fcRuns(2000), 20000) },
    );
  });
});
