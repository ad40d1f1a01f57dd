import { describe, expect, it } from 'vitest';
import { setup, arpFrame, iface, ip, mac, OUR_MAC } from './harness.js';
import { SECOND } from '../../../src/core/time.js';
import { dumpText } from '../../../src/core/arpd/dump.js';
import { encodeKey, encodeEntry, decodeEntry } from '../../../src/core/arpd/record.js';
import * as ethernet from '../../../src/core/wire/ethernet.js';
import * as arp from '../../../src/core/wire/arp.js';

describe('arpd learning from ARP packets', () => {
  it('learns requests and replies by receiving interface and sender, and counts new and changed', () => {
    const h = setup();
    h.arpd.start();
    h.frames[0].deliver(arpFrame(1, '02:00:00:00:00:0a', '192.0.2.10'));
    h.frames[1].deliver(arpFrame(2, '02:00:00:00:00:0b', '192.0.2.10'));
    h.frames[0].deliver(arpFrame(1, '02:00:00:00:00:0a', '192.0.2.10'));
    h.frames[0].deliver(arpFrame(2, '02:00:00:00:00:0c', '192.0.2.10'));
    expect(h.arpd.db.get(2, ip('192.0.2.10'))).toMatchObject({ kind: 'positive', mac: mac('02:00:00:00:00:0c') });
    expect(h.arpd.db.get(3, ip('192.0.2.10'))).toMatchObject({ kind: 'positive', mac: mac('02:00:00:00:00:0b') });
    expect(h.arpd.stats).toMatchObject({ arpNew: 2, arpChange: 1 });
  });

  it('ignores 0.0.0.0 senders, other opcodes, non-IPv4, and broadcast or multicast sender MACs', () => {
    const h = setup();
    h.arpd.start();
    h.frames[0].deliver(arpFrame(1, '02:00:00:00:00:0a', '0.0.0.0'));
    h.frames[0].deliver(arpFrame(3, '02:00:00:00:00:0a', '192.0.2.11'));
    h.frames[0].deliver(arpFrame(1, 'ff:ff:ff:ff:ff:ff', '192.0.2.12'));
    h.frames[0].deliver(arpFrame(1, '01:00:5e:00:00:01', '192.0.2.13'));
    const generic = arp.encode({ form: 'generic', hardwareType: 1, protocolType: 0x86dd, op: 1, senderHardware: '020000000001', senderProtocol: '00'.repeat(16), targetHardware: '000000000000', targetProtocol: '00'.repeat(16) });
    h.frames[0].deliver(ethernet.encode({ dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:01', etherType: 0x0806, payload: generic }));
    h.frames[0].deliver(Uint8Array.from([1, 2, 3]));
    expect(h.arpd.db.size).toBe(0);
    expect(h.arpd.stats.arpIgnored).toBe(6);
  });

  it('keeps a MAC that starts with ff as a real entry (the original took it for a negative one)', () => {
    const h = setup();
    h.arpd.start();
    h.frames[0].deliver(arpFrame(2, 'fe:00:00:00:00:0a', '192.0.2.20'));
    const stored = encodeEntry({ kind: 'positive', mac: mac('fe:ff:00:00:00:01'), seen: 5 });
    expect(decodeEntry(stored)).toEqual({ kind: 'positive', mac: mac('fe:ff:00:00:00:01'), seen: 5 });
    h.store.put(encodeKey(2, ip('192.0.2.21')), encodeEntry({ kind: 'positive', mac: mac('ff:00:00:00:00:01'), seen: 1 }));
    h.neighbors.request(2, ip('192.0.2.21'), 'incomplete');
    expect(h.neighbors.installed).toEqual([{ ifindex: 2, ip: ip('192.0.2.21'), mac: mac('ff:00:00:00:00:01'), state: 'stale' }]);
  });

  it('watches only the interfaces it was given', () => {
    const h = setup({ interfaces: ['eth1'] });
    h.arpd.start();
    h.frames[0].deliver(arpFrame(1, '02:00:00:00:00:0a', '192.0.2.10'));
    h.frames[1].deliver(arpFrame(1, '02:00:00:00:00:0b', '192.0.2.11'));
    expect([...h.arpd.db.entries()].map((e) => e.ifindex)).toEqual([3]);
  });

  it('names an unknown interface', () => {
    const h = setup({ interfaces: ['nosuch'] });
    expect(() => h.arpd.start()).toThrow('No such device (nosuch)');
  });
});

describe('arpd watching all interfaces (none named)', () => {
  it('watches an Ethernet interface that appears after start: learns on it and probes on it with -a', () => {
    const h = setup({ activeProbes: 1 });
    h.arpd.start();
    h.interfaces.add(iface('eth2', 7));
    expect(h.opener.asked).toEqual(['eth2']);
    const [late] = h.opener.opened;
    late.deliver(arpFrame(1, '02:00:00:00:00:0d', '192.0.2.13'));
    expect(h.arpd.db.get(7, ip('192.0.2.13'))).toMatchObject({ kind: 'positive', mac: mac('02:00:00:00:00:0d') });
    h.neighbors.request(7, ip('192.0.2.60'), 'incomplete');
    expect(h.frames.map((f) => f.sent.length)).toEqual([0, 0]);
    expect(late.sent).toHaveLength(1);
    expect(h.log.messages('interface.added')).toEqual(['watching eth2 (index 7), which appeared after start']);
    // Link changes on it later open nothing more.
    h.interfaces.update('eth2', { up: false });
    h.interfaces.update('eth2', { up: true });
    expect(h.opener.asked).toEqual(['eth2']);
  });

  it('lets go of an interface that is removed, and closes the port it opened for it', () => {
    const h = setup();
    h.arpd.start();
    h.interfaces.add(iface('eth2', 7));
    const [late] = h.opener.opened;
    h.interfaces.remove('eth2');
    expect(late.closed).toBe(true);
    h.interfaces.remove('eth1');
    expect(h.frames[1].closed).toBe(false); // ports it was given stay the caller's to close
    h.frames[1].deliver(arpFrame(1, '02:00:00:00:00:0b', '192.0.2.11'));
    expect(h.arpd.db.size).toBe(0);
    // The same name back under a new index is watched again.
    h.interfaces.add(iface('eth2', 8));
    expect(h.opener.opened.map((p) => p.ifindex)).toEqual([7, 8]);
  });

  it('skips loopback, point-to-point and MAC-less interfaces, and all of them when interfaces are named', () => {
    const h = setup();
    h.arpd.start();
    h.interfaces.add({ ...iface('lo', 1), loopback: true });
    h.interfaces.add({ ...iface('ppp0', 9), pointToPoint: true });
    h.interfaces.add({ ...iface('tun0', 10), mac: undefined });
    expect(h.opener.asked).toEqual([]);
    const named = setup({ interfaces: ['eth0'] });
    named.arpd.start();
    named.interfaces.add(iface('eth2', 7));
    expect(named.opener.asked).toEqual([]);
  });

  it('logs a socket it could not get and goes on; a port that arrives after stop is closed', () => {
    const h = setup();
    h.arpd.start();
    h.opener.failure = 'eth2 is not an Ethernet interface (hardware type 776)';
    h.interfaces.add(iface('eth2', 7));
    expect(h.log.messages('interface.open-failed')).toEqual(['cannot watch eth2: eth2 is not an Ethernet interface (hardware type 776)']);
    h.opener.failure = undefined;
    h.opener.held = [];
    h.interfaces.add(iface('eth3', 8));
    h.interfaces.update('eth3', { up: true }); // asked once while the first answer is pending
    expect(h.opener.asked).toEqual(['eth2', 'eth3']);
    h.arpd.stop();
    for (const answer of h.opener.held) answer();
    expect(h.opener.opened[0].closed).toBe(true);
  });
});

describe('arpd as the kernel helper', () => {
  it('answers an INCOMPLETE request with STALE and the stored MAC', () => {
    const h = setup();
    h.arpd.start();
    h.frames[0].deliver(arpFrame(1, '02:00:00:00:00:0a', '192.0.2.10'));
    h.neighbors.request(2, ip('192.0.2.10'), 'incomplete');
    expect(h.neighbors.installed).toEqual([{ ifindex: 2, ip: ip('192.0.2.10'), mac: mac('02:00:00:00:00:0a'), state: 'stale' }]);
    expect(h.arpd.stats).toMatchObject({ appRecv: 1, appSuccess: 1 });
    expect(h.frames[0].sent).toEqual([]);
  });

  it('forgets an entry when the kernel reports unicast probing failed (PROBE)', () => {
    const h = setup();
    h.arpd.start();
    h.frames[0].deliver(arpFrame(1, '02:00:00:00:00:0a', '192.0.2.10'));
    h.neighbors.request(2, ip('192.0.2.10'), 'probe');
    expect(h.arpd.db.get(2, ip('192.0.2.10'))).toBeUndefined();
    expect(h.arpd.stats.appNeg).toBe(1);
  });

  it('counts requests in other states as bad', () => {
    const h = setup();
    h.arpd.start();
    h.neighbors.request(2, ip('192.0.2.10'), 'reachable');
    expect(h.arpd.stats.appBad).toBe(1);
  });

  it('with -a, broadcasts a query from the route source address, and stays silent about a fresh dead host', () => {
    const h = setup({ activeProbes: 2, negativeTimeout: 60 });
    h.interfaces.routes.set(ip('192.0.2.50').value, ip('192.0.2.1'));
    h.arpd.start();
    h.neighbors.request(2, ip('192.0.2.50'), 'incomplete');
    expect(h.frames[0].sent).toHaveLength(1);
    const f = ethernet.decode(h.frames[0].sent[0].frame);
    expect(f.dst.isBroadcast).toBe(true);
    expect(arp.decode(f.payload)).toMatchObject({ op: 1, senderMac: OUR_MAC, senderIp: ip('192.0.2.1'), targetIp: ip('192.0.2.50') });

    h.neighbors.change({ ifindex: 2, ip: ip('192.0.2.50'), state: 'failed' });
    expect(h.arpd.db.get(2, ip('192.0.2.50'))).toMatchObject({ kind: 'negative', probes: 0 });
    h.clock.advance(2 * SECOND);
    h.neighbors.request(2, ip('192.0.2.50'), 'incomplete');
    h.clock.advance(2 * SECOND);
    h.neighbors.request(2, ip('192.0.2.50'), 'incomplete');
    expect(h.arpd.db.get(2, ip('192.0.2.50'))).toMatchObject({ kind: 'negative', probes: 2 });
    h.neighbors.request(2, ip('192.0.2.50'), 'incomplete');
    expect(h.frames[0].sent).toHaveLength(3);
    expect(h.arpd.stats.appSuppressed).toBe(1);
    // once the negative entry is older than -n, arpd asks again
    h.clock.advance(61 * SECOND);
    h.neighbors.request(2, ip('192.0.2.50'), 'incomplete');
    expect(h.frames[0].sent).toHaveLength(4);
  });

  it('paces broadcasts by when they go out: a slow route lookup cannot bunch two past B + R*T', () => {
    const h = setup({ activeProbes: 1, burst: 1, rate: 1 });
    h.arpd.start();
    h.interfaces.pendingRoutes = [];
    h.neighbors.request(2, ip('192.0.2.51'), 'incomplete');
    h.clock.advance(SECOND);
    h.neighbors.request(2, ip('192.0.2.52'), 'incomplete');
    expect(h.frames[0].sent).toHaveLength(0);
    for (const answer of h.interfaces.pendingRoutes.splice(0)) answer(); // both answer now
    expect(h.frames[0].sent).toHaveLength(1);
    expect(h.arpd.stats).toMatchObject({ probesSent: 1, probesSuppressed: 1 });
  });

  it('learns from the kernel: dumped and notified entries, and FAILED ones as negative', () => {
    const h = setup();
    h.neighbors.table = [
      { ifindex: 2, ip: ip('192.0.2.30'), mac: mac('02:00:00:00:00:30'), state: 'reachable' },
      { ifindex: 2, ip: ip('192.0.2.31'), state: 'incomplete' },
      { ifindex: 2, ip: ip('192.0.2.32'), mac: mac('02:00:00:00:00:32'), state: 'noarp' },
    ];
    h.arpd.start();
    h.neighbors.answerDump();
    expect([...h.arpd.db.entries()].map((e) => e.ip.toString())).toEqual(['192.0.2.30']);
    h.neighbors.change({ ifindex: 2, ip: ip('192.0.2.30'), mac: mac('02:00:00:00:00:33'), state: 'stale' });
    h.neighbors.change({ ifindex: 2, ip: ip('192.0.2.34'), state: 'failed' });
    expect(h.arpd.stats).toMatchObject({ kernNew: 1, kernChange: 1, kernNeg: 1 });
    h.clock.advance(7 * SECOND);
    expect(dumpText(h.arpd.db, h.wall.epochSeconds())).toBe(
      '#Ifindex IP              MAC\n' + '2        192.0.2.30      02:00:00:00:00:33\n' + '2        192.0.2.34      FAILED: 7sec ago\n',
    );
  });

  it('re-reads the kernel table after lost notifications', () => {
    const h = setup();
    h.arpd.start();
    h.neighbors.resync([{ ifindex: 3, ip: ip('198.51.100.7'), mac: mac('02:00:00:00:00:07'), state: 'stale' }]);
    expect(h.arpd.db.get(3, ip('198.51.100.7'))?.kind).toBe('positive');
    expect(h.log.messages('netlink.resync')).toHaveLength(1);
  });
});

describe('arpd sysctls and syncing', () => {
  it('sets app_solicit and mcast_solicit only with interfaces named, after the first dump, and restores the saved values', () => {
    const h = setup({ interfaces: ['eth0'], activeProbes: 3, suppressKernel: true });
    h.arpd.start();
    expect(h.sysctl.read('net.ipv4.neigh.eth0.app_solicit')).toBe('0');
    h.neighbors.answerDump();
    expect(h.sysctl.read('net.ipv4.neigh.eth0.app_solicit')).toBe('3');
    expect(h.sysctl.read('net.ipv4.neigh.eth0.mcast_solicit')).toBe('0');
    h.arpd.stop();
    expect(h.sysctl.read('net.ipv4.neigh.eth0.app_solicit')).toBe('0');
    expect(h.sysctl.read('net.ipv4.neigh.eth0.mcast_solicit')).toBe('5');

    const all = setup({ activeProbes: 1 });
    all.arpd.start();
    all.neighbors.answerDump();
    expect(all.sysctl.original.size).toBe(0);
  });

  it('makes what it learned durable every -p seconds, even under constant traffic', () => {
    const h = setup({ pollInterval: 0.5 });
    h.arpd.start();
    for (let i = 0; i < 40; i++) {
      h.frames[0].deliver(arpFrame(1, '02:00:00:00:01:' + (i + 16).toString(16), `192.0.2.${i + 2}`));
      h.clock.advance(100_000);
    }
    // the sync at 4.0 s covered all 40; one more learned now is not durable until the next
    h.frames[0].deliver(arpFrame(1, '02:00:00:00:02:01', '192.0.2.200'));
    expect(h.store.syncs).toBe(8);
    expect(h.store.crash().size).toBe(40);
    h.clock.advance(500_000);
    expect(h.store.crash().size).toBe(41);
  });
});
