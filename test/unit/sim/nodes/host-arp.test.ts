/**
 * The host model's IPv4 side: ARP answers, the neighbour table's Linux states and timing driven by
 * the IPv4 talker, app_solicit requests to userspace, sysctls and static entries.
 */
import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../../src/core/time.js';
import * as packet from '../../../../src/core/wire/packet.js';
import { TestWorld } from './world.js';

const H1 = '02:00:00:00:01:01';
const H2 = '02:00:00:00:01:02';

function pair(h1Config: string, h2Extra = ''): string {
  return `
duration: 300s
segments: {lan: {}}
nodes:
  h1: {kind: host, interfaces: {eth0: {segment: lan, mac: "${H1}", ipv4: [192.0.2.1/24]}}, config: ${h1Config}}
  h2: {kind: host, interfaces: {eth0: {segment: lan, mac: "${H2}", ipv4: [192.0.2.2/24]}}${h2Extra}}
`;
}

const arpFrames = (w: TestWorld, node: string) => w.sent.filter((f) => f.node === node && f.decoded?.arp);

describe('host: ARP', () => {
  it('resolves a peer with a broadcast request; the peer answers by unicast and learns the asker (STALE)', () => {
    const w = new TestWorld(pair('{talk: [{to: [192.0.2.2], count: 1}]}')).until(2);
    const [req] = arpFrames(w, 'h1');
    expect(req.decoded!.ethernet!.dst.isBroadcast).toBe(true);
    expect(req.decoded!.arp).toMatchObject({ form: 'ethernet-ipv4', op: 1 });
    const a = req.decoded!.arp!;
    expect(a.form === 'ethernet-ipv4' && [a.senderIp.toString(), a.senderMac.toString(), a.targetIp.toString(), a.targetMac.isZero]).toEqual(['192.0.2.1', H1, '192.0.2.2', true]);
    const [rep] = arpFrames(w, 'h2');
    expect(rep.decoded!.ethernet!.dst.toString()).toBe(H1);
    const r = rep.decoded!.arp!;
    expect(r.form === 'ethernet-ipv4' && [r.op, r.senderIp.toString(), r.senderMac.toString(), r.targetIp.toString()]).toEqual([2, '192.0.2.2', H2, '192.0.2.1']);
    expect(w.query('h1', 'neighbors')).toEqual([{ iface: 'eth0', ip: '192.0.2.2', state: 'reachable', mac: H2, router: undefined }]);
    expect(w.query('h2', 'neighbors')).toEqual([{ iface: 'eth0', ip: '192.0.2.1', state: 'stale', mac: H1, router: undefined }]);
    // The datagram waited in the queue and went out once the address was known.
    expect(w.query<Record<string, number>>('h2', 'counters').talkReceived).toBe(1);
  });

  it('walks INCOMPLETE -> REACHABLE -> STALE -> DELAY -> PROBE -> FAILED with Linux timing when the peer dies', () => {
    const w = new TestWorld(pair('{talk: [{to: [192.0.2.2], interval: 1}]}')).until(10);
    w.crash('h2');
    w.until(120);
    const st = w.events('neigh.state', 'h1').filter((e) => e.ip === '192.0.2.2');
    expect(st.slice(0, 6).map((e) => e.state)).toEqual(['incomplete', 'reachable', 'stale', 'delay', 'probe', 'failed']);
    const at = (name: string): number => st.find((e) => e.state === name)!.t;
    const reachable = at('stale') - at('reachable');
    expect(reachable).toBeGreaterThanOrEqual(15 * SECOND);
    expect(reachable).toBeLessThanOrEqual(45 * SECOND);
    expect(at('delay') - at('stale')).toBeLessThanOrEqual(SECOND); // the talker's next datagram
    expect(at('probe') - at('delay')).toBe(5 * SECOND);
    expect(at('failed') - at('probe')).toBe(3 * SECOND);
    const probes = w.events('arp.request.sent', 'h1').filter((e) => e.t >= at('probe') && e.t < at('failed'));
    expect(probes.map((e) => [e.t - at('probe'), e.broadcast])).toEqual([
      [0, false],
      [SECOND, false],
      [2 * SECOND, false],
    ]);
    // The unicast probes went to the MAC the entry had.
    const unicast = arpFrames(w, 'h1').filter((f) => f.t >= at('probe') && f.t < at('failed'));
    expect(unicast.map((f) => f.decoded!.ethernet!.dst.toString())).toEqual([H2, H2, H2]);
  });

  it('with app_solicit the kernel asks userspace first (neigh.request), then broadcasts a second later', () => {
    const w = new TestWorld(pair('{sysctl: {"net.ipv4.neigh.eth0.app_solicit": 1}, talk: [{to: [192.0.2.9], count: 1}]}')).until(10);
    const req = w.events('neigh.request', 'h1');
    expect(req.map((e) => [e.t, e.ip, e.state])).toEqual([[0, '192.0.2.9', 'incomplete']]);
    const sent = w.events('arp.request.sent', 'h1');
    expect(sent.map((e) => [e.t, e.broadcast])).toEqual([
      [SECOND, true],
      [2 * SECOND, true],
      [3 * SECOND, true],
    ]);
    expect(w.events('neigh.state', 'h1').map((e) => [e.t, e.state])).toEqual([
      [0, 'incomplete'],
      [4 * SECOND, 'failed'],
    ]);
  });

  it('honours sysctls written while running (mcast_solicit 1) and static PERMANENT entries', () => {
    const w = new TestWorld(
      pair(`{neighbors: [{iface: eth0, ip: 192.0.2.2, mac: "${H2}"}], talk: [{to: [192.0.2.2, 192.0.2.7], start: 1, count: 1}]}`),
    ).until(0.5);
    w.tell('h1', { action: 'sysctl', key: 'net.ipv4.neigh.eth0.mcast_solicit', value: 1 });
    expect(w.query('h1', 'sysctl', { key: 'net.ipv4.neigh.eth0.mcast_solicit' })).toBe('1');
    w.until(10);
    // No ARP for the static neighbour; one broadcast for the unknown one, FAILED a second later.
    expect(w.events('arp.request.sent', 'h1').map((e) => e.target)).toEqual(['192.0.2.7']);
    expect(w.query('h1', 'neighbors')).toEqual([
      { iface: 'eth0', ip: '192.0.2.2', state: 'permanent', mac: H2, router: undefined },
      { iface: 'eth0', ip: '192.0.2.7', state: 'failed', mac: undefined, router: undefined },
    ]);
    expect(w.query<Record<string, number>>('h2', 'counters').talkReceived).toBe(1);
    expect(() => w.tell('h1', { action: 'sysctl', key: 'net.ipv4.neigh.eth9.mcast_solicit', value: 1 })).toThrow(/net\.ipv4\.neigh\.eth9\.mcast_solicit: no such key/);
  });

  it('answers an ARP probe (sender 0.0.0.0) without learning from it', () => {
    const w = new TestWorld(`
duration: 10s
segments: {lan: {}}
nodes:
  h1: {kind: host, interfaces: {eth0: {segment: lan, mac: "${H1}", ipv4: [192.0.2.1/24]}}}
  p: {kind: host, interfaces: {eth0: {segment: lan, mac: "${H2}"}}}
`);
    w.until(1);
    // A probe as RFC 5227 makes it, put on the wire through p's packet socket.
    const ports = w.node<{ kernel: { ports(r: unknown): { frames(i: string): { send(f: Uint8Array): void } } } }>('p').kernel.ports(null);
    const probe = packet.encode({
      ethernet: { dst: 'ff:ff:ff:ff:ff:ff', src: H2 },
      arp: { form: 'ethernet-ipv4', hardwareType: 1, op: 1, senderMac: H2, senderIp: '0.0.0.0', targetMac: '00:00:00:00:00:00', targetIp: '192.0.2.1' },
    });
    ports.frames('eth0').send(probe);
    w.until(2);
    const [rep] = arpFrames(w, 'h1');
    expect(rep.decoded!.arp).toMatchObject({ op: 2 });
    expect(rep.decoded!.ethernet!.dst.toString()).toBe(H2);
    expect(w.query('h1', 'neighbors')).toEqual([]);
  });

  it('ARP about others changes nothing, but ARP from a known sender updates its entry (after the 1 s locktime)', () => {
    const w = new TestWorld(`
duration: 20s
segments: {lan: {}}
nodes:
  h1: {kind: host, interfaces: {eth0: {segment: lan, mac: "${H1}", ipv4: [192.0.2.1/24]}}, config: {talk: [{to: [192.0.2.2], count: 1}]}}
  h2: {kind: host, interfaces: {eth0: {segment: lan, mac: "${H2}", ipv4: [192.0.2.2/24]}}}
  x: {kind: host, interfaces: {eth0: {segment: lan, mac: "02:00:00:00:01:09"}}}
`).until(2);
    const send = w.node<{ kernel: { ports(r: unknown): { frames(i: string): { send(f: Uint8Array): void } } } }>('x').kernel.ports(null).frames('eth0');
    const request = (senderMac: string, senderIp: string, targetIp: string): Uint8Array =>
      packet.encode({
        ethernet: { dst: 'ff:ff:ff:ff:ff:ff', src: senderMac },
        arp: { form: 'ethernet-ipv4', hardwareType: 1, op: 1, senderMac, senderIp, targetMac: '00:00:00:00:00:00', targetIp },
      });
    const before = w.query<Record<string, number>>('h1', 'counters').framesIn;
    send.send(request('02:00:00:00:01:07', '192.0.2.7', '192.0.2.8'));
    w.until(3);
    expect(w.query('h1', 'neighbors').map((n) => n.ip)).toEqual(['192.0.2.2']);
    expect(w.query<Record<string, number>>('h1', 'counters').framesIn).toBe(before + 1);
    // h2's address now claimed from another MAC: h1 takes it (override after the locktime), as STALE.
    send.send(request('02:00:00:00:01:08', '192.0.2.2', '192.0.2.9'));
    w.until(4);
    expect(w.query('h1', 'neighbors')).toEqual([{ iface: 'eth0', ip: '192.0.2.2', state: 'stale', mac: '02:00:00:00:01:08', router: undefined }]);
  });
});
