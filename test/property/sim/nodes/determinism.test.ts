/**
 * Every node kind is a function of the seed: the same topology and seed give the same trace and
 * the same pcapng, byte for byte, with fuzzers, an ISATAP router and client, ARP talkers with
 * app_solicit, and a crash and restart in the middle; another seed gives another run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { fcRuns } from '../../../helpers/tier.js';
import { loadTopology } from '../../../../src/adapters/sim/topology/load.js';
import { runSimulation } from '../../../../src/adapters/sim/run.js';
import { registerIsatapClient, unregisterIsatapClient } from '../../../unit/sim/nodes/isatap-client.js';

beforeAll(registerIsatapClient);
afterAll(unregisterIsatapClient);

function topology(crashAtMs: number, loss: number): string {
  return `
duration: 12s
segments: {lan: {faults: {loss: ${loss}, jitter: 1ms}}}
nodes:
  r1: {kind: router, interfaces: {eth0: {segment: lan, ipv6: ["2001:db8:1::1/64"]}}, config: {maxInterval: 4, rdnss: [{servers: ["2001:db8::53"]}], prefixes: [{prefix: "2001:db8:1::/64"}]}}
  h{i}:
    count: 3
    kind: host
    interfaces: {eth0: {segment: lan, ipv4: [192.0.2.10/24]}}
    config: {sysctl: {"net.ipv4.neigh.eth0.app_solicit": 1}, talk: [{to: [192.0.2.10, 192.0.2.11, 192.0.2.12, 192.0.2.99], start: 1, interval: 1}], ping: [{to: "2001:db8:1::1", start: 3}]}
  f1: {kind: fuzzer, interfaces: {eth0: {segment: lan}}, config: {rate: 40, start: 1}}
  ir: {kind: isatap-router, interfaces: {wan: {underlay: true, ipv4: [198.51.100.1/24]}}, config: {prefix: "2001:db8:5::/64"}}
  c1: {kind: daemon, interfaces: {wan: {underlay: true, ipv4: [198.51.100.10/24]}}, config: {core: test-isatap, options: {router: 198.51.100.1}, host: {ping: [{to: "2001:db8:5::200:5efe:c633:6401", start: 2}]}}}
  f2: {kind: fuzzer, interfaces: {wan: {underlay: true, ipv4: [198.51.100.9/24]}}, config: {rate: 40, targets: [198.51.100.1, 198.51.100.10]}}
events:
  - {at: ${crashAtMs}ms, crash: h2}
  - {at: ${crashAtMs + 2000}ms, restart: h2}
  - {at: ${crashAtMs + 500}ms, tell: {node: r1, action: config, managed: true}}
expect:
  - event: {event: fuzz.sent, min: 1}
`;
}

function run(seed: number, crashAtMs: number, loss: number): { trace: string; pcap: string } {
  const lines: string[] = [];
  const pcap = createHash('sha256');
  runSimulation(loadTopology(topology(crashAtMs, loss)), { seed, trace: (l) => lines.push(l), pcap: (c) => pcap.update(c) });
  return { trace: createHash('sha256').update(lines.join('\n')).digest('hex'), pcap: pcap.digest('hex') };
}

describe('node kinds are deterministic (property)', () => {
  it('same seed, same trace and pcapng; another seed, another run', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 2 }), fc.integer({ min: 1000, max: 8000 }), fc.constantFrom(0, 0.1), (seed, crashAt, loss) => {
        const a = run(seed, crashAt, loss);
        expect(run(seed, crashAt, loss)).toEqual(a);
        expect(run(seed + 1, crashAt, loss).trace).not.toBe(a.trace);
      }),
      { numRuns: fcRuns(8) },
    );
  });
});
