/**
 * The kernel data plane seam: with the SIT driver, isatapd creates the tunnel, fills the kernel's
 * Potential Router List, solicits through an ICMPv6 socket on the tunnel and leaves addresses and
 * routes to the kernel. Here the SitPort is a recording fake (these kernels have no SIT driver).
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../helpers/manual-clock.js';
import { FakeIcmpv6, FakeInterfaces, MemoryLog, seededRandom } from '../../helpers/fake-ports.js';
import { Isatapd } from '../../../src/core/isatapd/isatapd.js';
import { defaultConfig } from '../../../src/core/isatapd/config.js';
import { KernelTunnelFactory, type SitPort } from '../../../src/core/isatapd/kernel.js';
import type { TunnelParams } from '../../../src/core/isatapd/tunnel.js';
import type { Icmpv6Port } from '../../../src/core/ports.js';
import { SECOND } from '../../../src/core/time.js';
import { Ipv4Address } from '../../../src/core/wire/ipv4-address.js';
import * as rtnlAttrs from '../../../src/core/wire/rtnetlink/attributes.js';
import { isatapLinkInfo } from '../../../src/adapters/linux/isatap/sit.js';
import { CLIENT, ll, prefixRa, R1, raMessage, TableResolver, wan } from './harness.js';

class FakeSit implements SitPort {
  readonly calls: string[] = [];
  readonly icmp: FakeIcmpv6;
  constructor(private readonly clock: ManualClock) {
    this.icmp = new FakeIcmpv6(() => clock.now());
  }
  create(p: TunnelParams, done: (t: { ifindex: number; icmpv6: Icmpv6Port } | null, error?: string) => void): void {
    this.calls.push(`create ${p.name} local ${p.local} ttl ${p.ttl} ${p.pmtudisc ? 'pmtudisc' : 'nopmtudisc'} mtu ${p.mtu}${p.link ? ` link ${p.link}` : ''}`);
    this.clock.at(this.clock.now(), () => done({ ifindex: 7, icmpv6: this.icmp }));
  }
  addPrl(ifname: string, v4: Ipv4Address, done?: (error?: string) => void): void {
    this.calls.push(`prl add ${ifname} ${v4}`);
    done?.();
  }
  removePrl(ifname: string, v4: Ipv4Address, done?: (error?: string) => void): void {
    this.calls.push(`prl del ${ifname} ${v4}`);
    done?.();
  }
  remove(ifname: string, done?: (error?: string) => void): void {
    this.calls.push(`del ${ifname}`);
    done?.();
  }
}

function setup(table: Record<string, string[]> = { isatap: ['192.0.2.1'] }) {
  const clock = new ManualClock();
  const sit = new FakeSit(clock);
  const ifs = new FakeInterfaces([wan()]);
  for (const a of Object.values(table).flat()) ifs.routes.set(Ipv4Address.parse(a).value, CLIENT);
  const resolver = new TableResolver(new Map(Object.entries(table).map(([k, v]) => [k, v.map((x) => Ipv4Address.parse(x))])), clock);
  const log = new MemoryLog(() => clock.now());
  const d = new Isatapd(defaultConfig({ checkDns: 120 }), { clock, random: seededRandom(3), log, interfaces: ifs, resolver, tunnels: new KernelTunnelFactory(sit) });
  return { clock, sit, resolver, d, log };
}

describe('isatapd with the kernel data plane', () => {
  it('creates the SIT tunnel with the source and options, adds the routers to the kernel PRL and solicits over ICMPv6', () => {
    const h = setup();
    h.d.start();
    h.clock.advance(2 * SECOND);
    expect(h.sit.calls).toEqual(['create is0 local 192.0.2.2 ttl 64 pmtudisc mtu 0', 'prl add is0 192.0.2.1']);
    expect(h.sit.icmp.sent).toHaveLength(1);
    expect(h.sit.icmp.sent[0]).toMatchObject({ ifindex: 7, hopLimit: 255 });
    expect(String(h.sit.icmp.sent[0].dst)).toBe('fe80::5efe:c000:201');
    expect(h.sit.icmp.sent[0].message[0]).toBe(133);
  });

  it('takes RAs from the socket by the same rules, and configures nothing itself', () => {
    const h = setup();
    h.d.start();
    h.clock.advance(2 * SECOND);
    const msg = raMessage(prefixRa(), ll(R1), ll(CLIENT));
    h.sit.icmp.deliver({ ifindex: 7, src: ll(R1), dst: ll(CLIENT), hopLimit: 255, message: msg });
    h.sit.icmp.deliver({ ifindex: 7, src: ll(R1), dst: ll(CLIENT), hopLimit: 64, message: msg });
    expect(h.d.stats.raAccepted).toBe(1);
    expect(h.d.stats.raDropped['hop-limit']).toBe(1);
    expect(h.log.messages()).toContain(' Setting next timeout to 1440 sec');
    expect(h.log.messages('slaac.address')).toEqual([]);
  });

  it('a DNS re-check takes a gone router out of the kernel PRL; stop deletes the tunnel', () => {
    const h = setup({ isatap: ['192.0.2.1', '192.0.2.9'] });
    h.d.start();
    h.clock.advance(2 * SECOND);
    h.resolver.table.set('isatap', [R1]);
    h.clock.advance(120 * SECOND);
    expect(h.sit.calls).toContain('prl del is0 192.0.2.9');
    h.d.stop(15);
    h.clock.advance(0);
    expect(h.sit.calls.at(-1)).toBe('del is0');
  });
});

describe('the rtnetlink request for a SIT ISATAP tunnel', () => {
  it('carries kind "sit" and IFLA_IPTUN_LOCAL, TTL, PMTUDISC, FLAGS = SIT_ISATAP and the link', () => {
    const info = isatapLinkInfo({ local: Ipv4Address.parse('192.0.2.2'), ttl: 0, pmtudisc: false, linkIndex: 3 });
    const top = rtnlAttrs.decodeRaw(info, 0, info.length, 'linkinfo');
    expect(top.map((a) => a.type)).toEqual([1, 2 | 0x8000]); // IFLA_INFO_KIND, nested IFLA_INFO_DATA
    expect(new TextDecoder().decode(top[0].data)).toBe('sit');
    const data = rtnlAttrs.decodeRaw(info, top[1].offset + 4, top[1].end, 'data').map((a) => [a.type, [...a.data]]);
    expect(data).toEqual([
      [1, [3, 0, 0, 0]],
      [2, [192, 0, 2, 2]],
      [4, [0]],
      [10, [0]],
      [8, [1, 0]],
    ]);
  });
});
