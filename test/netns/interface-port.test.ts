// The rtnetlink interface mirror against a real kernel: what `ip` shows, change events for
// addresses, MTU, carrier and removal, the kernel's source address choice, and a full re-dump
// after the notification socket overflows.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tierAvailable } from '../helpers/tier.js';
import { Netns, cleanupAll } from './harness.js';
import { LinuxInterfacePort } from '../../src/adapters/linux/interface-port.js';
import type { InterfaceChange } from '../../src/core/ports.js';
import { Ipv4Address } from '../../src/core/wire/ipv4-address.js';

const runs = tierAvailable('test/netns/interface-port.test.ts', { root: true, commands: ['ip'] });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(pred: () => boolean, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!pred() && Date.now() < end) await sleep(5);
  return pred();
}

describe.skipIf(!runs)('LinuxInterfacePort', () => {
  let ns: Netns;
  let port: LinuxInterfacePort;
  let changes: InterfaceChange[];
  beforeEach(async () => {
    ns = Netns.create();
    ns.veth('a0', 'b0');
    port = await ns.enter(() => LinuxInterfacePort.open({ receiveBuffer: 8192 }));
    changes = [];
    port.onChange((c) => changes.push(c));
  });
  afterEach(() => {
    port.close();
    ns.delete();
  });
  afterAll(cleanupAll);

  it('mirrors links as ip shows them', () => {
    const a0 = port.byName('a0')!;
    expect(a0.ifindex).toBe(ns.ifindex('a0'));
    expect(String(a0.mac)).toBe(ns.mac('a0'));
    expect(a0).toMatchObject({ name: 'a0', mtu: 1500, up: true, loopback: false, multicast: true });
    expect(port.byIndex(a0.ifindex)?.name).toBe('a0');
    const lo = port.byName('lo')!;
    expect(lo.loopback).toBe(true);
    expect(lo.ipv4.map((a) => `${a.address}/${a.prefixLength}`)).toContain('127.0.0.1/8');
    expect(port.list().map((i) => i.name).sort()).toEqual(['a0', 'b0', 'lo']);
  });

  it('reports addresses added and removed, and IPv6 addresses leaving tentative state', async () => {
    ns.addr('a0', '192.0.2.1/24');
    expect(await until(() => port.byName('a0')!.ipv4.some((a) => String(a.address) === '192.0.2.1'))).toBe(true);
    expect(changes.some((c) => c.kind === 'changed' && c.info.name === 'a0')).toBe(true);
    ns.sysctl('net.ipv6.conf.a0.dad_transmits', 1);
    ns.sysctl('net.ipv6.neigh.a0.retrans_time_ms', 200);
    ns.addr('a0', '2001:db8:1::1/64', 'valid_lft', '600', 'preferred_lft', '300');
    const v6 = () => port.byName('a0')!.ipv6.find((a) => String(a.address) === '2001:db8:1::1');
    expect(await until(() => v6() !== undefined)).toBe(true);
    expect(v6()!.tentative).toBe(true);
    expect(await until(() => v6()!.tentative === false)).toBe(true);
    expect(v6()!.validLifetime).toBeGreaterThan(590);
    expect(v6()!.preferredLifetime).toBeLessThanOrEqual(300);
    ns.ip('addr', 'del', '192.0.2.1/24', 'dev', 'a0');
    expect(await until(() => port.byName('a0')!.ipv4.length === 0)).toBe(true);
  });

  it('reports MTU, carrier and removal', async () => {
    ns.ip('link', 'set', 'a0', 'mtu', '1400');
    expect(await until(() => port.byName('a0')!.mtu === 1400)).toBe(true);
    expect(await until(() => port.byName('a0')!.running)).toBe(true);
    ns.ip('link', 'set', 'b0', 'down'); // the peer end down: a0 loses carrier, stays up
    expect(await until(() => !port.byName('a0')!.running)).toBe(true);
    expect(port.byName('a0')!.up).toBe(true);
    const a0 = port.byName('a0')!.ifindex;
    ns.ip('link', 'del', 'a0');
    expect(await until(() => port.byName('a0') === undefined)).toBe(true);
    expect(changes).toContainEqual({ kind: 'removed', ifindex: a0, name: 'a0' });
  });

  it('asks the kernel which source it would use', async () => {
    ns.addr('a0', '192.0.2.1/24');
    ns.addr('a0', '198.51.100.1/24');
    const source = (dst: string): Promise<string | null> => new Promise((r) => port.routeSource(Ipv4Address.parse(dst), (s) => r(s && String(s))));
    expect(await source('192.0.2.200')).toBe('192.0.2.1');
    expect(await source('198.51.100.9')).toBe('198.51.100.1');
    expect(await source('203.0.113.1')).toBeNull(); // no route there
  });

  it('dumps again after the kernel dropped notifications, and reports what changed', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `link add lld${i} type veth peer name llp${i}`);
    ns.exec(['ip', '-batch', '-'], { input: lines.join('\n') + '\n' }); // this process is blocked meanwhile
    expect(await until(() => port.byName('llp29') !== undefined)).toBe(true);
    expect(port.stats.overruns).toBeGreaterThan(0);
    expect(port.list().filter((i) => /^ll[dp]/.test(i.name))).toHaveLength(60);
    expect(changes.some((c) => c.kind === 'changed' && c.info.name === 'lld0')).toBe(true);
  });
});
