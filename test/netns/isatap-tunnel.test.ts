/**
 * `linklab tunnel isatap` (the batched Linux data plane) against hand-made protocol-41 datagrams:
 * a peer namespace holds a raw protocol-41 socket and sends an echo request from an ISATAP source
 * that embeds its IPv4 address (the kernel behind the tunnel answers it, encapsulated back to the
 * peer), one whose inner source claims another host (RFC 5214 7.3: dropped), and broken ones
 * (dropped and counted). The tunnel's counters, logged as JSON when it stops, must add up.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tierAvailable } from '../helpers/tier.js';
import { Netns, cleanupAll } from './harness.js';
import { LinuxIp6in4Port } from '../../src/adapters/linux/ip6in4-port.js';
import type { Ip6in4Datagram } from '../../src/core/ports.js';
import * as icmpv6 from '../../src/core/wire/icmpv6.js';
import * as ipv6 from '../../src/core/wire/ipv6.js';
import { Ipv4Address } from '../../src/core/wire/ipv4-address.js';
import { Ipv6Address } from '../../src/core/wire/ipv6-address.js';

const runs = tierAvailable('test/netns/isatap-tunnel.test.ts', { root: true, commands: ['ip'] });
const CLI = join(import.meta.dirname, '..', '..', 'bin', 'run.js');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function echo(src: string, dst: string, id: number): Uint8Array {
  const s = Ipv6Address.parse(src);
  const d = Ipv6Address.parse(dst);
  const payload = icmpv6.encode({ kind: 'echo-request', identifier: id, sequence: 1, data: new Uint8Array(16) }, { src: s, dst: d });
  return ipv6.encode({ hopLimit: 64, src: s, dst: d, protocol: ipv6.NH_ICMPV6, payload });
}

describe.skipIf(!runs)('linklab tunnel isatap against crafted protocol-41 datagrams', () => {
  afterAll(cleanupAll);

  it('answers an ISATAP peer, drops a spoofed inner source and broken datagrams, and counts each', async () => {
    const [a, b] = await Netns.linked('lli', { ifname: 'vethA', cidr: '192.0.2.1/24' }, { ifname: 'vethB', cidr: '192.0.2.2/24' });
    const tunnel = a.spawn(['node', CLI, 'tunnel', 'isatap', 'isatap0', '--local', '192.0.2.1', '--json']);
    await tunnel.waitFor(/"event":"tunnel.up"/, 15_000);
    a.addr('isatap0', '2001:db8:5::5efe:c000:201/64');

    const peer = b.enter(() => LinuxIp6in4Port.open());
    const got: Ip6in4Datagram[] = [];
    peer.onDatagram((d) => got.push(d));
    const A = Ipv4Address.parse('192.0.2.1');
    try {
      // From fe80::5efe:192.0.2.2 inside a datagram from 192.0.2.2: the source rule holds.
      peer.send({ src: Ipv4Address.parse('192.0.2.2'), dst: A, payload: echo('fe80::5efe:c000:202', 'fe80::5efe:c000:201', 1) });
      // From 2001:db8:5::5efe:203.0.113.1 inside a datagram from 192.0.2.2: spoofed.
      peer.send({ src: Ipv4Address.parse('192.0.2.2'), dst: A, payload: echo('2001:db8:5::5efe:cb00:7101', '2001:db8:5::5efe:c000:201', 2) });
      // An IPv6 header cut short, and one that is not IPv6 at all.
      peer.send({ src: Ipv4Address.parse('192.0.2.2'), dst: A, payload: echo('fe80::5efe:c000:202', 'fe80::5efe:c000:201', 3).subarray(0, 30) });
      peer.send({ src: Ipv4Address.parse('192.0.2.2'), dst: A, payload: new Uint8Array(48).fill(0x45) });
      const end = Date.now() + 5_000;
      while (!got.some((d) => d.payload[40] === 129) && Date.now() < end) await sleep(20);
      await sleep(300); // anything else the spoofed one might have caused
    } finally {
      peer.close();
    }
    // Exactly one answer: the reply to the first request, encapsulated straight back to 192.0.2.2.
    const replies = got.filter((d) => d.payload[40] === 129).map((d) => ({ src: d.src.toString(), dst: d.dst.toString(), inner: ipv6.decode(d.payload) }));
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ src: '192.0.2.1', dst: '192.0.2.2' });
    expect(String(replies[0].inner.dst)).toBe('fe80::5efe:c000:202');
    expect(icmpv6.decode(replies[0].inner.payload)).toMatchObject({ kind: 'echo-reply', identifier: 1 });

    tunnel.kill('SIGTERM');
    const r = await tunnel.exited;
    expect(r.code).toBe(0);
    const down = r.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((e) => e.event === 'tunnel.down')!;
    expect(down).toMatchObject({ fromNetwork: 4, toTun: 1, dropped: { 'source-rule': 1, 'inner-malformed': 2 } });
    expect(down.encapsulated).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
