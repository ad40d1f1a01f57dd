import { describe, expect, it } from 'vitest';
import { setup, deliverRa, ethernet, ETH0_MAC, ROUTER } from './harness.js';
import { Ipv6Address } from '../../../src/core/wire/ipv6-address.js';
import { SECOND } from '../../../src/core/time.js';
import * as rs from '../../../src/core/wire/ndisc/router-solicit.js';

describe('rtsold probing (classic schedule)', () => {
  it('waits up to 1 s, sends 3 RS 4 s apart to ff02::2 with SLLA, then gives up after one more second', () => {
    const h = setup({ once: true });
    let doneAt: number | undefined;
    h.rtsold.onDone(() => (doneAt = h.clock.now()));
    h.rtsold.start();
    h.clock.runUntil(30 * SECOND);
    const times = h.icmp.sent.map((s) => s.at);
    expect(times).toHaveLength(3);
    expect(times[0]).toBeGreaterThanOrEqual(0);
    expect(times[0]).toBeLessThan(SECOND);
    expect(times[1] - times[0]).toBe(4 * SECOND);
    expect(times[2] - times[1]).toBe(4 * SECOND);
    for (const s of h.icmp.sent) {
      expect(s.dst.toString()).toBe('ff02::2');
      expect(s.ifindex).toBe(2);
      const m = rs.decode(s.message);
      expect(m.code).toBe(0);
      expect(m.options).toEqual([{ kind: 'source-lla', address: ETH0_MAC }]);
    }
    expect(h.log.messages('rs.gave-up')).toEqual(['No answer after sending 3 RSs']);
    expect(doneAt).toBe(times[2] + SECOND);
    expect(h.rtsold.interfaceState('eth0')?.status).toBe('IDLE');
  });

  it('leaves out the SLLA option on an interface without a link-layer address', () => {
    const info = ethernet('tun0', 5);
    delete info.mac;
    const h = setup({}, [info]);
    h.rtsold.start();
    h.clock.runUntil(2 * SECOND);
    expect(rs.decode(h.icmp.sent[0].message).options).toEqual([]);
  });

  it('stops probing at the first valid RA, and rtsol (-1) is done', () => {
    const h = setup({ once: true });
    let done = false;
    h.rtsold.onDone(() => (done = true));
    h.rtsold.start();
    h.clock.runUntil(2 * SECOND);
    expect(h.icmp.sent).toHaveLength(1);
    deliverRa(h);
    expect(done).toBe(true);
    h.clock.runUntil(60 * SECOND);
    expect(h.icmp.sent).toHaveLength(1);
    expect(h.rtsold.interfaceState('eth0')).toMatchObject({ status: 'IDLE', racnt: 1, probes: 0 });
  });

  it('retries a down interface every second, and waits 60 s after every 11th try', () => {
    const info = ethernet('eth0', 2);
    info.up = false;
    const h = setup({}, [info]);
    h.rtsold.start();
    expect(h.rtsold.interfaceState('eth0')?.status).toBe('DOWN');
    h.clock.runUntil(9 * SECOND + 1);
    expect(h.rtsold.interfaceState('eth0')?.expire).toBe(10 * SECOND);
    // tries at 0, 1, ..., 10 s: the 11th fails too and arms the long wait
    h.clock.runUntil(10 * SECOND + 1);
    expect(h.rtsold.interfaceState('eth0')?.expire).toBe(70 * SECOND);
    h.ifs.update('eth0', { up: true });
    h.clock.runUntil(69 * SECOND);
    expect(h.rtsold.interfaceState('eth0')?.status).toBe('DOWN');
    h.clock.runUntil(70 * SECOND);
    expect(h.rtsold.interfaceState('eth0')?.status).toBe('DELAY');
    h.clock.runUntil(72 * SECOND);
    expect(h.icmp.sent).toHaveLength(1);
  });

  it('waits while the link-local address is tentative', () => {
    const h = setup({}, [ethernet('eth0', 2, ETH0_MAC, true)]);
    h.rtsold.start();
    expect(h.rtsold.interfaceState('eth0')?.status).toBe('TENTATIVE');
    h.clock.runUntil(3 * SECOND);
    expect(h.icmp.sent).toHaveLength(0);
    h.ifs.infos[0].ipv6[0].tentative = false;
    h.clock.runUntil(6 * SECOND);
    expect(h.icmp.sent).toHaveLength(1);
  });

  it('rtsol with every interface down is done at once', () => {
    const info = ethernet('eth0', 2);
    info.up = false;
    const h = setup({ once: true }, [info]);
    let done = false;
    h.rtsold.onDone(() => (done = true));
    h.rtsold.start();
    expect(done).toBe(true);
  });

  it('with -m, a link that drops and returns while idle starts a new probe cycle within 3 s', () => {
    const h = setup({ mobility: true });
    h.rtsold.start();
    h.clock.runUntil(2 * SECOND);
    deliverRa(h);
    h.clock.runUntil(20 * SECOND);
    expect(h.icmp.sent).toHaveLength(1);
    h.ifs.update('eth0', { running: false });
    h.clock.runUntil(23 * SECOND);
    const afterDown = h.icmp.sent.length;
    h.ifs.update('eth0', { running: true });
    h.clock.runUntil(28 * SECOND);
    // the change to "inactive" is itself a change: rtsold probes on it, and again on the return
    expect(h.icmp.sent.length).toBeGreaterThan(afterDown);
    expect(h.rtsold.interfaceState('eth0')?.cycles).toBeGreaterThanOrEqual(2);
  });

  it('with -m, a link that returns gets its default routers probed first (FreeBSD probe_defrouters), one probe each', () => {
    const h = setup({ mobility: true });
    h.routers.routers.set(2, [ROUTER, Ipv6Address.parse('fe80::2')]);
    h.routers.routers.set(3, [Ipv6Address.parse('fe80::3')]); // another interface's router
    h.rtsold.start();
    h.clock.runUntil(2 * SECOND);
    deliverRa(h);
    h.clock.runUntil(20 * SECOND);
    h.ifs.update('eth0', { running: false });
    h.clock.runUntil(23 * SECOND);
    expect(h.routers.probes).toEqual([]); // nothing to probe on a link that is down
    h.ifs.update('eth0', { running: true });
    h.clock.runUntil(60 * SECOND);
    expect(h.routers.probes.map((p) => [p.ifindex, p.router])).toEqual([
      [2, 'fe80::1'],
      [2, 'fe80::2'],
    ]);
    // When the idle link check sees the link back, the probes go first, then the new cycle's RS.
    const probedAt = h.routers.probes[0].at;
    const nextRs = h.icmp.sent.find((m) => m.at >= probedAt)!;
    expect(nextRs.at - probedAt).toBeLessThanOrEqual(SECOND);
    expect(h.rtsold.stats.routerProbes).toBe(2);
    expect(h.log.messages('router.probe')).toEqual(['probe a router fe80::1 on eth0', 'probe a router fe80::2 on eth0']);
  });

  it('without -m, a link flap while idle sends nothing', () => {
    const h = setup();
    h.routers.routers.set(2, [ROUTER]);
    h.rtsold.start();
    h.clock.runUntil(2 * SECOND);
    deliverRa(h);
    h.ifs.update('eth0', { running: false });
    h.ifs.update('eth0', { running: true });
    h.clock.runUntil(60 * SECOND);
    expect(h.icmp.sent).toHaveLength(1);
    expect(h.routers.probes).toEqual([]);
  });
});

describe('rtsold probing (RFC 7559 back-off)', () => {
  it('doubles from about 4 s up to about 3600 s with ±10% jitter and never gives up', () => {
    const h = setup({ backoff: 'rfc7559' });
    h.rtsold.start();
    h.clock.runUntil(6 * 3600 * SECOND);
    const t = h.icmp.sent.map((s) => s.at);
    const gaps = t.slice(1).map((x, i) => x - t[i]);
    expect(gaps[0]).toBeGreaterThanOrEqual(3.6 * SECOND);
    expect(gaps[0]).toBeLessThanOrEqual(4.4 * SECOND);
    for (let i = 1; i < gaps.length; i++) {
      const capped = gaps[i] >= 3240 * SECOND;
      if (!capped) {
        expect(gaps[i] / gaps[i - 1]).toBeGreaterThanOrEqual(1.9 - 1e-9);
        expect(gaps[i] / gaps[i - 1]).toBeLessThanOrEqual(2.1 + 1e-9);
      }
      expect(gaps[i]).toBeLessThanOrEqual(3960 * SECOND);
    }
    expect(gaps.filter((g) => g >= 3240 * SECOND).length).toBeGreaterThanOrEqual(3);
    expect(h.log.messages('rs.gave-up')).toEqual([]);
  });
});

describe('rtsold start-up errors', () => {
  it('names an unknown interface', () => {
    const h = setup({ interfaces: ['nosuch0'] });
    expect(() => h.rtsold.start()).toThrow('failed to initialize nosuch0');
    expect(h.log.messages('interface.unknown')).toEqual(['failed to get link layer information for nosuch0']);
  });

  it('refuses an interface given twice', () => {
    const h = setup({ interfaces: ['eth0', 'eth0'] });
    expect(() => h.rtsold.start()).toThrow('interface eth0 was already configured');
  });

  it('-F sets forwarding 0 and accept_ra 1; without it, rtsold only warns', () => {
    const h = setup({ forceSysctl: true });
    h.sysctl.values.set('net.ipv6.conf.eth0.forwarding', '1');
    h.sysctl.values.set('net.ipv6.conf.eth0.accept_ra', '0');
    h.rtsold.start();
    expect(h.sysctl.read('net.ipv6.conf.eth0.forwarding')).toBe('0');
    expect(h.sysctl.read('net.ipv6.conf.eth0.accept_ra')).toBe('1');
    const w = setup();
    w.sysctl.values.set('net.ipv6.conf.eth0.forwarding', '1');
    w.sysctl.values.set('net.ipv6.conf.eth0.accept_ra', '0');
    w.rtsold.start();
    expect(w.sysctl.read('net.ipv6.conf.eth0.accept_ra')).toBe('0');
    expect(w.log.events.filter((e) => e.level === 'warning').map((e) => e.event)).toEqual(['sysctl.router', 'sysctl.accept_ra']);
  });

  it('-a picks up, multicast, non-loopback, non-p2p IPv6 interfaces that accept RAs', () => {
    const lo = { ...ethernet('lo', 1), loopback: true };
    const ppp = { ...ethernet('ppp0', 3), pointToPoint: true };
    const down = { ...ethernet('eth1', 4), up: false };
    const noRa = ethernet('eth2', 5);
    const h = setup({ auto: true, interfaces: [] }, [lo, ethernet('eth0', 2), ppp, down, noRa]);
    h.sysctl.values.set('net.ipv6.conf.eth2.accept_ra', '0');
    h.rtsold.start();
    expect(h.log.messages('autoprobe.found')).toEqual(['probing eth0']);
  });
});
