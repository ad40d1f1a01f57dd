/**
 * The kernel model's cost per received frame, by kind of frame, on one core: what a simulated
 * host spends when a segment hands it a frame. Measured on a booted host (an address from the
 * router, a gateway resolved) by calling its receive path directly; its link is then marked down
 * so that answers are built and encoded but not put on the segment (the engine's own cost is in
 * sim.bench.ts).
 */
import { loadTopology } from '../src/adapters/sim/topology/load.js';
import { Simulation } from '../src/adapters/sim/run.js';
import type { HostNode } from '../src/adapters/sim/nodes/host.js';
import type { Stack } from '../src/adapters/sim/nodes/kernel/stack.js';
import * as packet from '../src/core/wire/packet.js';
import { Ipv6Address } from '../src/core/wire/ipv6-address.js';
import { MacAddress } from '../src/core/wire/mac-address.js';
import { fmt, opsPerSecond, save, type Row } from './harness.js';

const H1_MAC = '02:00:00:00:01:01';
const R1_MAC = '02:00:00:00:00:01';
const R1_LL = Ipv6Address.linkLocalFromMac(MacAddress.parse(R1_MAC));
const H1_LL = Ipv6Address.linkLocalFromMac(MacAddress.parse(H1_MAC));

function bootedHost(): { stack: Stack; receive: (f: Uint8Array) => void } {
  const sim = new Simulation(
    loadTopology(`
duration: 1h
segments: {lan: {}}
nodes:
  r1: {kind: router, interfaces: {eth0: {segment: lan, mac: "${R1_MAC}", ipv4: [192.0.2.1/24], ipv6: ["2001:db8:1::1/64"]}}, config: {maxInterval: 600, prefixes: [{prefix: "2001:db8:1::/64"}]}}
  h1: {kind: host, interfaces: {eth0: {segment: lan, mac: "${H1_MAC}", ipv4: [192.0.2.10/24]}}, config: {talk: [{to: [192.0.2.1], count: 1}]}}
`),
    { seed: 1 },
  );
  sim.runUntil(10_000_000);
  const stack = (sim.world.node('h1')!.node as HostNode).kernel.current;
  const nif = stack.byName('eth0')!;
  nif.carrier = false; // answers are built, then dropped at the NIC instead of queued on the segment
  return {
    stack,
    // What the segment's delivery calls: the ARP filter first, then the stack.
    receive: (f) => {
      if (nif.rx.ignorable(f)) nif.rx.ignored++;
      else stack.receiveFrame(nif, f);
    },
  };
}

const FRAMES: Array<[string, Uint8Array]> = [
  [
    'ARP request about two other hosts (broadcast, ignored before decoding)',
    packet.encode({
      ethernet: { dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:09:09' },
      arp: { form: 'ethernet-ipv4', hardwareType: 1, op: 1, senderMac: '02:00:00:00:09:09', senderIp: '192.0.2.99', targetMac: '00:00:00:00:00:00', targetIp: '192.0.2.98' },
    }),
  ],
  [
    'ARP request for our address (decode, neighbour update, reply encoded)',
    packet.encode({
      ethernet: { dst: 'ff:ff:ff:ff:ff:ff', src: R1_MAC },
      arp: { form: 'ethernet-ipv4', hardwareType: 1, op: 1, senderMac: R1_MAC, senderIp: '192.0.2.1', targetMac: '00:00:00:00:00:00', targetIp: '192.0.2.10' },
    }),
  ],
  [
    'RA with prefix, RDNSS and SLLA (checksum, validate, router list, SLAAC refresh)',
    packet.encode({
      ethernet: { dst: '33:33:00:00:00:01', src: R1_MAC },
      ipv6: { hopLimit: 255, src: R1_LL, dst: 'ff02::1' },
      icmpv6: {
        kind: 'router-advert',
        curHopLimit: 64,
        routerLifetime: 1800,
        options: [
          { kind: 'prefix-info', prefixLength: 64, onLink: true, autonomous: true, validLifetime: 86400, preferredLifetime: 14400, prefix: '2001:db8:1::' },
          { kind: 'rdnss', lifetime: 600, servers: ['2001:db8::53'] },
          { kind: 'source-lla', address: R1_MAC },
        ],
      },
    }),
  ],
  [
    'NS for our link-local address (validate, neighbour update, NA encoded)',
    packet.encode({
      ethernet: { dst: `33:33:ff:${H1_MAC.slice(-8)}`, src: R1_MAC },
      ipv6: { hopLimit: 255, src: R1_LL, dst: H1_LL.solicitedNode() },
      icmpv6: { kind: 'neighbor-solicit', target: H1_LL, options: [{ kind: 'source-lla', address: R1_MAC }] },
    }),
  ],
  [
    'RA with a zero-length option (validate: dropped and counted)',
    packet.encode({
      ethernet: { dst: '33:33:00:00:00:01', src: R1_MAC },
      ipv6: { hopLimit: 255, src: R1_LL, dst: 'ff02::1' },
      icmpv6: { kind: 'router-advert', curHopLimit: 64, routerLifetime: 0, options: [{ kind: 'malformed', bytes: '1f00000000000000' }] },
    }),
  ],
];

export async function run(): Promise<void> {
  const rows: Row[] = [];
  for (const [name, frame] of FRAMES) {
    const { receive } = bootedHost();
    const rate = opsPerSecond(() => receive(frame));
    rows.push({ name, value: rate, unit: 'frames/s' });
    process.stderr.write(`  ${name}: ${fmt(rate)} frames/s\n`);
  }
  const fast = rows[0].value;
  const ratios: Row[] = rows.slice(1).map((r) => ({ name: `${r.name.split(' (')[0]} vs an ignored ARP broadcast`, value: fast / r.value, unit: 'x the cost' }));
  save({
    name: 'sim-nodes',
    title: 'Simulator node models: cost per received frame',
    method:
      'A host of the kernel model, booted in a small world (address from a radvd-like router, gateway resolved), is handed the same frame over and over through the path a segment delivery takes (ARP filter, then the stack); its link is marked down so answers are built and encoded but not queued. Best of 5 rounds of at least 400 ms, one core, through tsx.',
    rows,
    ratios,
  });
}
