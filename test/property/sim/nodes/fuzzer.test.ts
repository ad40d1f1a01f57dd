/**
 * Whatever the seed, fuzzed nodes keep working: a host under a stream of malformed ND, ARP and
 * IPv4 frames still answers NS, ARP and pings and keeps its address and router; an ISATAP router
 * under malformed protocol 41 still answers its client's pings. No node throws.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fcRuns } from '../../../helpers/tier.js';
import { TestWorld } from '../../../unit/sim/nodes/world.js';
import { registerIsatapClient, unregisterIsatapClient } from '../../../unit/sim/nodes/isatap-client.js';
import { Ipv6Address } from '../../../../src/core/wire/ipv6-address.js';
import { MacAddress } from '../../../../src/core/wire/mac-address.js';

const H1_MAC = '02:00:00:00:01:01';
const H1_LL = Ipv6Address.linkLocalFromMac(MacAddress.parse(H1_MAC));
const H1_GLOBAL = Ipv6Address.fromPrefixAndMac(Ipv6Address.parse('2001:db8:1::'), MacAddress.parse(H1_MAC));
const IR_GLOBAL = '2001:db8:5::200:5efe:c633:6401';

beforeAll(registerIsatapClient);
afterAll(unregisterIsatapClient);

function world(seed: number, rate: number): TestWorld {
  return new TestWorld(
    `
duration: 14s
segments: {lan: {}}
nodes:
  r1: {kind: router, interfaces: {eth0: {segment: lan, ipv6: ["2001:db8:1::1/64"]}}, config: {maxInterval: 10, prefixes: [{prefix: "2001:db8:1::/64"}]}}
  h1: {kind: host, interfaces: {eth0: {segment: lan, mac: "${H1_MAC}", ipv4: [192.0.2.1/24]}}}
  h2:
    kind: host
    interfaces: {eth0: {segment: lan, ipv4: [192.0.2.2/24]}}
    config:
      ping: [{to: "${H1_LL}", iface: eth0, start: 4, interval: 0.5, count: 16}, {to: "${H1_GLOBAL}", start: 4, interval: 0.5, count: 16}]
      talk: [{to: [192.0.2.1], start: 4, interval: 0.5, count: 16}]
  f1: {kind: fuzzer, interfaces: {eth0: {segment: lan}}, config: {rate: ${rate}, start: 2}}
  ir: {kind: isatap-router, interfaces: {wan: {underlay: true, ipv4: [198.51.100.1/24]}}, config: {prefix: "2001:db8:5::/64"}}
  c1: {kind: daemon, interfaces: {wan: {underlay: true, ipv4: [198.51.100.10/24]}}, config: {core: test-isatap, options: {router: 198.51.100.1}, host: {ping: [{to: "${IR_GLOBAL}", start: 4, interval: 0.5, count: 16}]}}}
  f2: {kind: fuzzer, interfaces: {wan: {underlay: true, ipv4: [198.51.100.9/24]}}, config: {rate: ${rate}, start: 1, targets: [198.51.100.1, 198.51.100.10]}}
`,
    { seed },
  );
}

describe('fuzzed nodes keep working (property)', () => {
  it('for any fuzzer seed the host and the ISATAP router keep answering', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const w = world(seed, 150).until(14);
        expect(w.events('fuzz.sent', 'f1').length).toBeGreaterThan(1500);
        expect(w.events('fuzz.sent', 'f2').length).toBeGreaterThan(1500);
        // h1 answered every ping (NS and echo) and every ARP request from h2.
        expect(w.events('ping.lost', 'h2')).toEqual([]);
        expect(w.events('ping.ok', 'h2')).toHaveLength(32);
        expect(w.query<Record<string, number>>('h1', 'counters').talkReceived).toBe(16);
        expect(w.query('h2', 'neighbors').map((n) => [n.ip, n.mac])).toEqual([['192.0.2.1', H1_MAC]]);
        // h1 kept what it learnt from the real router, and only that.
        const addrs = w.query('h1', 'addresses').filter((a) => a.iface === 'eth0' && a.family === 'ipv6');
        expect(addrs.map((a) => [a.address, a.state])).toEqual([
          [H1_LL.toString(), 'preferred'],
          [H1_GLOBAL.toString(), 'preferred'],
        ]);
        expect(w.query('h1', 'routes').filter((r) => r.prefix === '::/0')).toHaveLength(1);
        expect(w.query<Record<string, number>>('h1', 'counters').framesIn).toBeGreaterThan(1500);
        // The ISATAP router answered its client throughout.
        expect(w.events('ping.lost', 'c1')).toEqual([]);
        expect(w.events('ping.ok', 'c1')).toHaveLength(16);
      }),
      { numRuns: fcRuns(12) },
    );
  });
});
