/**
 * The arpd core on a simulated host (`config.core: arpd`): option checks at load time with the
 * original's words, an unknown interface as the original's start-up failure, sysctls set only
 * with interfaces named and put back on SIGTERM, SIGUSR1's statistics lines, and `garp`.
 */
import { describe, expect, it } from 'vitest';
import { TestWorld } from './world.js';

function world(options: string, extra = '', host = ''): TestWorld {
  return new TestWorld(`
duration: 60s
segments: {lan: {}}
nodes:
  gw:
    kind: daemon
    interfaces: {eth0: {segment: lan, mac: "02:00:00:00:00:01", ipv4: [198.18.0.1/15]}}
    config: {core: arpd, options: ${options}${host ? `, host: ${host}` : ''}}
  h1: {kind: host, interfaces: {eth0: {segment: lan, mac: "02:00:00:01:00:01", ipv4: [198.18.1.1/15]}}}
${extra}`);
}

describe('arpd in the simulator', () => {
  it("checks its options when the topology loads, with the original's messages", () => {
    expect(() => world('{rate: 0}')).toThrow(/nodes\.gw\.config\.options: .*options: Invalid ARP rate/);
    expect(() => world('{rate: 1001}')).toThrow(/Invalid ARP rate/);
    expect(() => world('{burst: 0}')).toThrow(/Invalid ARP burst/);
    expect(() => world('{pollInterval: 0.05}')).toThrow(/Invalid poll timeout/);
    expect(() => world('{ratee: 1}')).toThrow(/option ratee: not an arpd option/);
    expect(() => world('{interfaces: eth0}')).toThrow(/option interfaces: "eth0" is not a list of interface names/);
  });

  it('exits at start with the original error when a named interface does not exist', () => {
    const w = world('{interfaces: [eth9]}').until(1);
    expect(w.query('gw', 'daemon')).toMatchObject({ running: false, lastExit: 'ioctl(SIOCGIFINDEX): No such device (eth9)' });
  });

  it('leaves sysctls alone without interfaces; with them sets app_solicit and mcast_solicit and restores them on stop', () => {
    const all = world('{activeProbes: 3, suppressKernel: true}').until(1);
    expect(all.query('gw', 'sysctl', { key: 'net.ipv4.neigh.eth0.app_solicit' })).toBe('0');
    const w = world('{interfaces: [eth0], activeProbes: 3, suppressKernel: true}', '', '{sysctl: {"net.ipv4.neigh.eth0.mcast_solicit": 5}}').until(1);
    expect(w.query('gw', 'sysctl', { key: 'net.ipv4.neigh.eth0.app_solicit' })).toBe('3');
    expect(w.query('gw', 'sysctl', { key: 'net.ipv4.neigh.eth0.mcast_solicit' })).toBe('0');
    w.tell('gw', { action: 'stop' });
    expect(w.query('gw', 'sysctl', { key: 'net.ipv4.neigh.eth0.app_solicit' })).toBe('0');
    expect(w.query('gw', 'sysctl', { key: 'net.ipv4.neigh.eth0.mcast_solicit' })).toBe('5');
  });

  it('learns a gratuitous ARP, syncs on SIGHUP, and logs the two statistics lines on SIGUSR1', () => {
    const w = world('{pollInterval: 1000}', 'events: [{at: 1s, tell: {node: h1, action: garp}}]').until(2);
    expect(w.query('gw', 'database')).toEqual([{ ifindex: 2, ip: '198.18.1.1', mac: '02:00:00:01:00:01', seen: 1_700_000_001 }]);
    expect(w.query('gw', 'store', { path: '/var/lib/linklab/arpd.db' })).toEqual([]);
    w.tell('gw', { action: 'signal', name: 'SIGHUP' });
    expect(w.query('gw', 'store', { path: '/var/lib/linklab/arpd.db' })).toHaveLength(1);
    w.tell('gw', { action: 'signal', name: 'SIGUSR1' });
    const lines = w.events('log', 'gw').filter((e) => e.name === 'arpd.stats').map((e) => e.msg);
    expect(lines).toEqual(['arp_rcv: n1 c0 app_rcv: tot 0 hits 0 bad 0 neg 0 sup 0', 'kern: n0 c0 neg 0 arp_send: 0 rlim 0']);
  });

  it('is a function of the seed: the same run twice gives the same trace, kernel misses and probes included', () => {
    const trace = () =>
      JSON.stringify(
        world('{interfaces: [eth0], activeProbes: 2, suppressKernel: true, rate: 1, burst: 2}', 'events: [{at: 1s, tell: {node: h1, action: garp}}]', '{talk: [{to: [198.18.1.1, 198.18.7.1, 198.18.7.2, 198.18.7.3, 198.18.7.4, 198.18.7.5], start: 2, interval: 0.5}]}')
          .until(20)
          .sim.trace.events,
      );
    const a = trace();
    expect(a).toContain('probe.ratelimited');
    expect(a).toContain('request.answered');
    expect(trace()).toBe(a);
  });

  it('garp names an interface the host lacks', () => {
    const w = world('{}').until(1);
    expect(() => w.tell('h1', { action: 'garp', iface: 'eth7' })).toThrow('h1: event garp: the host has no interface "eth7"');
  });
});
