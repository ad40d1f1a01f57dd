/**
 * The `daemon` node kind and the core ports it gives a core, exercised with tiny cores defined
 * here: each does what a real daemon would (send an RS, answer kernel neighbour requests, keep a
 * database, run a script) through the ports only, and the test checks the host's side of it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { daemonCores, type DaemonCore, type HostPorts } from '../../../../src/adapters/sim/nodes/daemons.js';
import { TopologyError } from '../../../../src/adapters/sim/topology/errors.js';
import * as icmpv6 from '../../../../src/core/wire/icmpv6.js';
import { Ipv4Address } from '../../../../src/core/wire/ipv4-address.js';
import { Ipv6Address } from '../../../../src/core/wire/ipv6-address.js';
import { MacAddress } from '../../../../src/core/wire/mac-address.js';
import type { Icmpv6Received, InterfaceChange, NeighborEntry } from '../../../../src/core/ports.js';
import { SECOND } from '../../../../src/core/time.js';
import { TestWorld } from './world.js';

/** What the test cores saw, by node. */
const seen = new Map<string, Record<string, unknown[]>>();
function record(node: string, what: string, v: unknown): void {
  const r = seen.get(node) ?? {};
  (r[what] ??= []).push(v);
  seen.set(node, r);
}

const H2_MAC = '02:00:00:00:02:02';

beforeEach(() => {
  seen.clear();
  // Sends one RS when its interface's link-local address becomes usable; records every RA.
  daemonCores['test-rs'] = (options, ports: HostPorts): DaemonCore => {
    const icmp = ports.icmpv6();
    const ifname = String(options.iface ?? 'eth0');
    let sent = false;
    const trySend = (): void => {
      const info = ports.interfaces.byName(ifname)!;
      if (sent || !info.ipv6.some((a) => a.address.isLinkLocal && !a.tentative)) return;
      sent = true;
      icmp.send({ ifindex: info.ifindex, dst: Ipv6Address.ALL_ROUTERS, message: icmpv6.encode({ kind: 'router-solicit' }) });
    };
    return {
      start() {
        // Too early on purpose: the address is tentative, so the kernel refuses (EADDRNOTAVAIL).
        icmp.send({ ifindex: ports.interfaces.byName(ifname)!.ifindex, dst: Ipv6Address.ALL_ROUTERS, message: icmpv6.encode({ kind: 'router-solicit' }) });
        icmp.onMessage((m: Icmpv6Received) => {
          if (m.message[0] === 134) record(ports.host, 'ra', m);
        });
        ports.interfaces.onChange((c: InterfaceChange) => {
          record(ports.host, 'change', c);
          trySend();
        });
      },
      stop() {
        icmp.close();
      },
      query: (what) => (what === 'rs-sent' ? sent : undefined),
      summary: () => ({ sent }),
    };
  };
  // Answers the kernel's neighbour requests from a fixed table, like arpd with a database.
  daemonCores['test-arpd'] = (options, ports: HostPorts): DaemonCore => {
    const table = new Map(Object.entries((options.table ?? {}) as Record<string, string>));
    return {
      start() {
        ports.sysctl.write('net.ipv4.neigh.eth0.app_solicit', '3');
        ports.sysctl.write('net.ipv4.neigh.eth0.mcast_solicit', '0');
        ports.neighbors.onRequest((r) => {
          record(ports.host, 'request', { ip: r.ip.toString(), state: r.state, t: ports.clock.now() });
          const mac = table.get(r.ip.toString());
          if (mac) ports.neighbors.install({ ifindex: r.ifindex, ip: r.ip, mac: MacAddress.parse(mac), state: 'stale' });
        });
        ports.neighbors.onChange((e: NeighborEntry & { removed: boolean }) => record(ports.host, 'change', { ip: e.ip.toString(), state: e.state }));
        ports.neighbors.onResync((entries) => record(ports.host, 'resync', entries.map((e) => `${e.ip} ${e.state}`)));
      },
      stop() {
        ports.sysctl.restore();
      },
    };
  };
  // Makes a TUN device with an address and a default route, as isatapd's userspace plane does.
  daemonCores['test-control'] = (_o, ports: HostPorts): DaemonCore => ({
    start() {
      const log = (what: string) => (error?: string) => record(ports.host, 'done', `${what}: ${error ?? 'ok'}`);
      ports.control.createTun('eth0', 1400, (tun, error) => record(ports.host, 'done', `create eth0: ${tun ? 'tun' : error}`));
      ports.control.createTun('tun0', 1400, (tun, error) => {
        record(ports.host, 'done', `create tun0: ${tun ? 'tun' : error}`);
        if (!tun) return;
        tun.onPacket((p) => record(ports.host, 'out', p));
        ports.control.addAddress({ ifname: 'tun0', address: Ipv6Address.parse('2001:db8:7::1'), prefixLength: 64 }, log('addr'));
        ports.control.addRoute({ ifname: 'tun0', prefix: Ipv6Address.UNSPECIFIED, prefixLength: 0, via: Ipv6Address.parse('fe80::1') }, log('route'));
        ports.control.setIpv6Params('tun0', { mtu: 1500 }, log('ipv6 mtu 1500'));
        ports.control.setIpv6Params('tun0', { mtu: 1300, hopLimit: 33 }, log('ipv6 mtu 1300 hop limit 33'));
        ports.control.removeAddress({ ifname: 'tun0', address: Ipv6Address.parse('2001:db8:7::2'), prefixLength: 64 }, log('unaddr'));
        ports.control.addAddress({ ifname: 'tun9', address: Ipv6Address.parse('2001:db8:7::3'), prefixLength: 64 }, log('addr tun9'));
      });
    },
    stop() {},
    handle(e) {
      if (e.action !== 'teardown') return false;
      ports.control.removeRoute({ ifname: 'tun0', prefix: Ipv6Address.UNSPECIFIED, prefixLength: 0, via: Ipv6Address.parse('fe80::1') }, (err) => record(ports.host, 'done', `unroute: ${err ?? 'ok'}`));
      ports.control.deleteLink('tun0', (err) => record(ports.host, 'done', `delete: ${err ?? 'ok'}`));
      return true;
    },
  });
  daemonCores['test-store'] = (_o, ports: HostPorts): DaemonCore => {
    const db = ports.store('/var/lib/test.db');
    return {
      start() {
        record(ports.host, 'at-start', [...db.entries()].map(([k, v]) => `${k[0]}=${v[0]}`));
        db.put(Uint8Array.of(2), Uint8Array.of(20));
        db.put(Uint8Array.of(1), Uint8Array.of(10));
        db.sync();
        db.put(Uint8Array.of(3), Uint8Array.of(30));
        db.delete(Uint8Array.of(2));
        record(ports.host, 'size', db.size);
      },
      stop() {
        db.close();
      },
    };
  };
  daemonCores['test-script'] = (_o, ports: HostPorts): DaemonCore => ({
    start() {
      ports.scripts.run({ path: '/etc/hook', args: ['-a', 'eth0:slaac'], stdin: 'nameserver 2001:db8::53\n' }, (code) => record(ports.host, 'exit', [code, ports.clock.now()]));
      ports.scripts.run({ path: '/bin/false', args: [] }, (code) => record(ports.host, 'exit', [code, ports.clock.now()]));
    },
    stop() {},
  });
  daemonCores['test-broken'] = Object.assign(
    (): DaemonCore => ({
      start() {
        throw new Error('eth9: no such interface');
      },
      stop() {},
    }),
    {
      validate(options: Record<string, unknown>) {
        if (options.bad !== undefined) throw new Error(`option bad: ${JSON.stringify(options.bad)} is not allowed`);
      },
    },
  );
});

afterEach(() => {
  for (const k of Object.keys(daemonCores)) if (k.startsWith('test-')) delete daemonCores[k];
});

function world(node: string, extra = ''): TestWorld {
  return new TestWorld(`
duration: 60s
segments: {lan: {}}
nodes:
${node}
${extra}`);
}

describe('daemon slot', () => {
  it('names a missing core and lists the available ones', () => {
    expect(() => world('  d: {kind: daemon, interfaces: {eth0: {segment: lan}}, config: {core: rtsold-nope}}')).toThrow(TopologyError);
    try {
      world('  d: {kind: daemon, interfaces: {eth0: {segment: lan}}, config: {core: rtsold-nope}}');
    } catch (err) {
      expect((err as Error).message).toMatch(/topology:\d+:\d+: nodes\.d\.config\.core: d: daemon core "rtsold-nope" is not available \(available: .*test-rs/);
    }
  });

  it("reports a core's option error at the options, and a core that fails to start as exited", () => {
    expect(() => world('  d: {kind: daemon, interfaces: {eth0: {segment: lan}}, config: {core: test-broken, options: {bad: 1}}}')).toThrow(/nodes\.d\.config\.options: d: option bad: 1 is not allowed/);
    const w = world('  d: {kind: daemon, interfaces: {eth0: {segment: lan}}, config: {core: test-broken}}').until(3);
    expect(w.events('daemon.exited', 'd').map((e) => e.error)).toEqual(['eth9: no such interface']);
    expect(w.query('d', 'daemon')).toEqual({ core: 'test-broken', running: false, lastExit: 'eth9: no such interface' });
    // The machine itself keeps running: it still did DAD.
    expect(w.events('addr.added', 'd')).toHaveLength(1);
  });

  it('runs the core on boot, passes queries and summaries through, stops it on `stop`, restarts it with the machine', () => {
    const w = world('  d: {kind: daemon, interfaces: {eth0: {segment: lan}}, config: {core: test-rs}}').until(5);
    expect(w.query('d', 'rs-sent')).toBe(true);
    expect(w.node<{ summary(): Record<string, unknown> }>('d').summary()).toMatchObject({ core: 'test-rs', daemonRunning: true, daemon: { sent: true } });
    w.tell('d', { action: 'stop' });
    expect(w.query('d', 'daemon')).toMatchObject({ running: false });
    w.crash('d');
    w.restart('d');
    w.until(10);
    expect(w.events('daemon.started', 'd')).toHaveLength(2);
    expect(w.events('daemon.stopped', 'd')).toHaveLength(1);
  });
});

describe('ports: Icmpv6Port and InterfacePort', () => {
  it('sends with hop limit 255 from the link-local address once it is usable, and delivers RAs with their addresses', () => {
    const w = world(
      '  d: {kind: daemon, interfaces: {eth0: {segment: lan, mac: "02:00:00:00:01:01"}}, config: {core: test-rs, host: {sysctl: {"net.ipv6.conf.eth0.router_solicitations": 0}}}}',
      '  r1: {kind: router, startAt: 5s, interfaces: {eth0: {segment: lan}}, config: {maxInterval: 600}}',
    ).until(8);
    const rs = w.icmp('d', 'router-solicit');
    expect(rs).toHaveLength(1); // the early one was refused: the address was tentative
    const ll = Ipv6Address.linkLocalFromMac(MacAddress.parse('02:00:00:00:01:01'));
    expect(rs[0].decoded!.ipv6!.hopLimit).toBe(255);
    expect(rs[0].decoded!.ipv6!.src.equals(ll)).toBe(true);
    expect(rs[0].decoded!.icmpv6ChecksumOk).toBe(true);
    expect(w.query<Record<string, Record<string, number>>>('d', 'counters').dropped['no-source-address']).toBe(1);
    const ras = seen.get('d')!.ra as Icmpv6Received[];
    expect(ras.length).toBeGreaterThanOrEqual(1);
    expect(ras[0]).toMatchObject({ ifindex: 2, hopLimit: 255 });
    expect(ras[0].dst.equals(Ipv6Address.ALL_NODES)).toBe(true);
    expect(ras[0].src.isLinkLocal).toBe(true);
    // Interface changes came as events: DAD finishing flips the address to non-tentative.
    const changes = seen.get('d')!.change as InterfaceChange[];
    const firstReady = changes.find((c) => c.kind === 'changed' && c.info.ipv6.some((a) => a.address.equals(ll) && !a.tentative));
    expect(firstReady).toBeDefined();
  });

  it('lists lo and the Ethernet interface like ip link/addr, and answers routeSource later', () => {
    const w = world('  d: {kind: daemon, interfaces: {eth0: {segment: lan, mac: "02:00:00:00:01:01", ipv4: [192.0.2.7/24]}}, config: {core: test-script}}').until(3);
    const ports = w.node<{ kernel: { ports(r: unknown): HostPorts } }>('d').kernel.ports(null);
    const list = ports.interfaces.list();
    expect(list.map((i) => [i.ifindex, i.name, i.loopback, i.running, i.mtu])).toEqual([
      [1, 'lo', true, true, 65536],
      [2, 'eth0', false, true, 1500],
    ]);
    expect(ports.interfaces.byIndex(2)!.mac!.toString()).toBe('02:00:00:00:01:01');
    expect(ports.interfaces.byName('eth0')!.ipv4.map((a) => `${a.address}/${a.prefixLength}`)).toEqual(['192.0.2.7/24']);
    const answers: Array<string | null> = [];
    ports.interfaces.routeSource(Ipv4Address.parse('192.0.2.99'), (src) => answers.push(src ? src.toString() : null));
    ports.interfaces.routeSource(Ipv4Address.parse('198.51.100.1'), (src) => answers.push(src ? src.toString() : null));
    expect(answers).toEqual([]); // never before the call returns
    w.until(3.001);
    expect(answers).toEqual(['192.0.2.7', null]);
  });
});

describe('ports: NeighborPort and SysctlPort (an arpd-like helper)', () => {
  it('gets the kernel requests, answers them with STALE entries, sees FAILED reports, and restores sysctls on stop', () => {
    const w = world(
      `  d:
    kind: daemon
    interfaces: {eth0: {segment: lan, ipv4: [192.0.2.1/24]}}
    config: {core: test-arpd, options: {table: {"192.0.2.2": "${H2_MAC}"}}, host: {talk: [{to: [192.0.2.2, 192.0.2.3], start: 1, count: 1}]}}`,
      `  h2: {kind: host, interfaces: {eth0: {segment: lan, mac: "${H2_MAC}", ipv4: [192.0.2.2/24]}}}`,
    ).until(10);
    const requests = seen.get('d')!.request as Array<{ ip: string; state: string; t: number }>;
    expect(requests.filter((r) => r.ip === '192.0.2.2')).toEqual([{ ip: '192.0.2.2', state: 'incomplete', t: SECOND }]);
    expect(requests.filter((r) => r.ip === '192.0.2.3').map((r) => r.t)).toEqual([SECOND, 2 * SECOND, 3 * SECOND]);
    // The kernel never broadcast (mcast_solicit 0): the datagram reached h2 through the helper's answer.
    expect(w.events('arp.request.sent', 'd').filter((e) => e.broadcast)).toEqual([]);
    expect(w.query<Record<string, number>>('h2', 'counters').talkReceived).toBe(1);
    const changes = seen.get('d')!.change as Array<{ ip: string; state: string }>;
    expect(changes.filter((c) => c.ip === '192.0.2.3').map((c) => c.state)).toEqual(['incomplete', 'failed']);
    expect(changes.filter((c) => c.ip === '192.0.2.2').map((c) => c.state).slice(0, 3)).toEqual(['incomplete', 'stale', 'delay']);
    expect(w.query('d', 'sysctl', { key: 'net.ipv4.neigh.eth0.app_solicit' })).toBe('3');
    w.tell('d', { action: 'neigh-overrun' });
    w.until(10.001);
    expect((seen.get('d')!.resync as string[][])[0]).toContain('192.0.2.3 failed');
    w.tell('d', { action: 'stop' });
    expect(w.query('d', 'sysctl', { key: 'net.ipv4.neigh.eth0.app_solicit' })).toBe('0');
    expect(w.query('d', 'sysctl', { key: 'net.ipv4.neigh.eth0.mcast_solicit' })).toBe('3');
  });
});

describe('ports: Store and ScriptRunner', () => {
  it('keeps synced writes across a crash and loses the rest; entries come in key order', () => {
    const w = world('  d: {kind: daemon, interfaces: {eth0: {segment: lan}}, config: {core: test-store}}').until(1);
    expect(seen.get('d')!['at-start']).toEqual([[]]);
    expect(seen.get('d')!.size).toEqual([2]);
    w.crash('d');
    w.restart('d');
    w.until(2);
    expect(seen.get('d')!['at-start'][1]).toEqual(['1=10', '2=20']);
    expect(w.query('d', 'store', { path: '/var/lib/test.db' })).toEqual([
      { key: '01', value: '0a' },
      { key: '02', value: '14' },
    ]);
  });

  it('records script.run with path, arguments and stdin, and exits with the configured code after a small delay', () => {
    const w = world('  d: {kind: daemon, interfaces: {eth0: {segment: lan}}, config: {core: test-script, host: {scripts: {"/bin/false": {exit: 1, delay: 0.2}}}}}').until(1);
    expect(w.events('script.run', 'd').map((e) => [e.path, e.args, e.stdin])).toEqual([
      ['/etc/hook', ['-a', 'eth0:slaac'], 'nameserver 2001:db8::53\n'],
      ['/bin/false', [], ''],
    ]);
    expect(seen.get('d')!.exit).toEqual([
      [0, 10_000],
      [1, 200_000],
    ]);
  });
});

describe('ports: InterfaceControl', () => {
  it('creates a TUN device, puts an address, a default route, an RA\'s MTU and hop limit on it, and the host routes through it', async () => {
    const ipv6 = await import('../../../../src/core/wire/ipv6.js');
    const w = world('  d: {kind: daemon, interfaces: {eth0: {segment: lan}}, config: {core: test-control, host: {ping: [{to: "2001:db8:9::9", start: 1, count: 2}]}}}').until(3);
    expect(seen.get('d')!.done).toEqual([
      'create eth0: eth0: File exists',
      'create tun0: tun',
      'addr: ok',
      'route: ok',
      'ipv6 mtu 1500: Invalid argument',
      'ipv6 mtu 1300 hop limit 33: ok',
      'unaddr: Cannot assign requested address',
      'addr tun9: Cannot find device "tun9"',
    ]);
    const tun0 = w.query<Array<{ name: string; mtu: number; pointToPoint: boolean }>>('d', 'interfaces').find((i) => i.name === 'tun0')!;
    expect([tun0.mtu, tun0.pointToPoint]).toEqual([1300, true]);
    expect(w.query('d', 'routes').find((r) => r.prefix === '::/0')).toMatchObject({ iface: 'tun0', via: 'fe80::1' });
    const out = (seen.get('d')!.out as Uint8Array[]).map((p) => ipv6.decode(p));
    expect(out.map((p) => [p.src.toString(), p.dst.toString(), p.protocol, p.hopLimit])).toEqual([
      ['2001:db8:7::1', '2001:db8:9::9', 58, 33],
      ['2001:db8:7::1', '2001:db8:9::9', 58, 33],
    ]);
    w.tell('d', { action: 'teardown' });
    w.until(4);
    expect(seen.get('d')!.done.slice(-2)).toEqual(['unroute: ok', 'delete: ok']);
    expect(w.query<Array<{ name: string }>>('d', 'interfaces').map((i) => i.name)).toEqual(['lo', 'eth0']);
    expect(w.query('d', 'routes').filter((r) => r.iface === 'tun0')).toEqual([]);
  });
});
