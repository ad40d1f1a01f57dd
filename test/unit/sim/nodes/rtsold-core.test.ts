/**
 * The rtsold core on a simulated host (`config.core: rtsold`): option checks at load time in the
 * original's words, an unknown interface as the original's start-up failure, RSs on the wire
 * traced as the kernel's `rs.sent`, -F through the host's sysctls, SIGUSR1's dump, -1 ending, and
 * the `rtsold` / `resolvconf` queries.
 */
import { describe, expect, it } from 'vitest';
import { TestWorld } from './world.js';
import type * as rs from '../../../../src/core/wire/ndisc/router-solicit.js';

function world(options: string, opts: { router?: boolean; host?: string; extra?: string } = {}): TestWorld {
  return new TestWorld(`
duration: 60s
segments: {lan: {}}
nodes:
  h1:
    kind: daemon
    interfaces: {eth0: {segment: lan, mac: "02:00:00:00:01:01"}}
    config: {core: rtsold, options: ${options}, host: ${opts.host ?? '{sysctl: {net.ipv6.conf.eth0.router_solicitations: 0}}'}}
${
  opts.router
    ? `  r1:
    kind: router
    startAt: 5s
    interfaces: {eth0: {segment: lan, mac: "02:00:00:00:00:01"}}
    config: {minInterval: 200, maxInterval: 600, rdnss: [{servers: ["2001:db8::53"], lifetime: 900}], dnssl: [{domains: [lab.example], lifetime: 900}]}
`
    : ''
}${opts.extra ?? ''}`);
}

describe('rtsold in the simulator', () => {
  it('checks its options when the topology loads, in rtsold\'s words', () => {
    expect(() => world('{}')).toThrow(/nodes\.h1\.config\.options: .*interfaces: give at least one, or auto: true \(rtsold's usage\)/);
    expect(() => world('{auto: true, interfaces: [eth0]}')).toThrow(/interfaces: not with auto: true/);
    expect(() => world('{interfaces: [eth0], otherScript: dhcp6c}')).toThrow(/otherScript: configuration script \(dhcp6c\) must be an absolute path/);
    expect(() => world('{interfaces: [eth0], resolvScript: ./r}')).toThrow(/resolvScript: configuration script \(\.\/r\) must be an absolute path/);
    expect(() => world('{interfaces: [eth0], backoff: fast}')).toThrow(/backoff: expected classic or rfc7559, got "fast"/);
    expect(() => world('{interfaces: [eth0], mobile: true}')).toThrow(/mobile: not an rtsold option/);
    expect(() => world('{interfaces: [eth0], once: 1}')).toThrow(/once: expected true or false/);
  });

  it('exits at start, as the original, when a named interface does not exist', () => {
    const w = world('{interfaces: [eth9]}').until(1);
    expect(w.query('h1', 'daemon')).toMatchObject({ running: false, lastExit: 'failed to initialize eth9' });
  });

  it('puts its RSs on the wire (with the source link-layer address) and each is traced as rs.sent', () => {
    const w = world('{interfaces: [eth0]}').until(30);
    const onWire = w.sent.filter((s) => s.node === 'h1' && s.decoded?.icmpv6?.kind === 'router-solicit');
    expect(onWire).toHaveLength(3);
    expect(w.events('rs.sent', 'h1').map((e) => e.t)).toEqual(onWire.map((s) => s.t));
    for (const s of onWire) {
      expect(s.decoded?.ipv6).toMatchObject({ hopLimit: 255 });
      expect(String(s.decoded?.ipv6?.dst)).toBe('ff02::2');
      const m = s.decoded!.icmpv6 as rs.RouterSolicit;
      expect(m.options.map((o) => [o.kind, String((o as { address?: unknown }).address)])).toEqual([['source-lla', '02:00:00:00:01:01']]);
    }
    expect(w.query('h1', 'rtsold')).toEqual([{ ifname: 'eth0', status: 'IDLE', probes: 0, racnt: 0, otherconfig: false, active: true }]);
  });

  it('-F sets accept_ra and clears forwarding on the host', () => {
    const w = world('{interfaces: [eth0], forceSysctl: true}', { host: '{sysctl: {net.ipv6.conf.eth0.accept_ra: 0, net.ipv6.conf.eth0.forwarding: 1}}' }).until(1);
    expect(w.query('h1', 'sysctl', { key: 'net.ipv6.conf.eth0.accept_ra' })).toBe('1');
    expect(w.query('h1', 'sysctl', { key: 'net.ipv6.conf.eth0.forwarding' })).toBe('0');
  });

  it('answers resolvconf with the live servers and domains, and SIGUSR1 puts the dump in the trace', () => {
    const w = world('{interfaces: [eth0]}', { router: true }).until(20);
    expect(w.query('h1', 'resolvconf')).toEqual([
      { ifname: 'eth0', kind: 'rdnss', value: '2001:db8::53' },
      { ifname: 'eth0', kind: 'dnssl', value: 'lab.example' },
    ]);
    w.tell('h1', { action: 'signal', name: 'SIGUSR1' });
    const [dump] = w.events('rtsold.dump', 'h1');
    expect(dump.text).toMatch(/^Interface eth0\n {2}probe interval: infinity\n/);
    expect(dump.text).toContain('  rtsold status: IDLE\n');
    expect(dump.text).toMatch(/ {3}RA from fe80::ff:fe00:1\n {4}option: RDNSS: 2001:db8::53 \(expire: 14m\d+s\)\n {4}option: DNSSL: lab\.example \(expire: 14m\d+s\)\n/);
    expect(dump.text).toMatch(/Statistics\n {2}RS sent: \d\n {2}router probes sent \(-m\): 0\n {2}RA accepted: \d\n/);
    expect(() => w.tell('h1', { action: 'signal', name: 'SIGHUP' })).toThrow(/unknown event action "signal"/);
  });

  it('with once (-1) ends after giving up, about 9 to 10 s in, and sends nothing more', () => {
    const w = world('{interfaces: [eth0], once: true}').until(40);
    const [done] = w.events('rtsold.done', 'h1');
    const sent = w.events('rs.sent', 'h1');
    expect(sent).toHaveLength(3);
    expect(done.t - sent[0].t).toBe(9_000_000);
  });
});
