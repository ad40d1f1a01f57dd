// TUN and TAP ports against the kernel in a namespace: the kernel's packets come out of the
// device, and what the port writes is taken as received (the kernel answers it).
import { afterAll, describe, expect, it } from 'vitest';
import { tierAvailable } from '../helpers/tier.js';
import { Netns, cleanupAll } from './harness.js';
import { LinuxTapPort, LinuxTunPort } from '../../src/adapters/linux/tun.js';
import { native, sys } from '../../src/adapters/linux/addon.js';
import { sockaddrIn6 } from '../../src/adapters/linux/sockaddr.js';
import * as ipv6 from '../../src/core/wire/ipv6.js';
import * as icmpv6 from '../../src/core/wire/icmpv6.js';
import * as ethernet from '../../src/core/wire/ethernet.js';
import * as arp from '../../src/core/wire/arp.js';
import { Ipv6Address } from '../../src/core/wire/ipv6-address.js';
import { Ipv4Address } from '../../src/core/wire/ipv4-address.js';
import { MacAddress } from '../../src/core/wire/mac-address.js';

const runs = tierAvailable('test/netns/tun-tap.test.ts', { root: true, commands: ['ip'] });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
async function until(pred: () => boolean, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!pred() && Date.now() < end) await sleep(5);
  return pred();
}

describe.skipIf(!runs)('TUN and TAP', () => {
  afterAll(cleanupAll);

  it('TUN: reads what the kernel routes to it, and the kernel answers what is written', async () => {
    const ns = Netns.create();
    try {
      const tun = ns.enter(() => LinuxTunPort.open('llt0'));
      expect(tun.ifname).toBe('llt0');
      expect(tun.ifindex).toBe(ns.ifindex('llt0'));
      ns.ip('link', 'set', 'llt0', 'up');
      await ns.operUp('llt0');
      ns.addr('llt0', '2001:db8:5::1/64', 'nodad');
      const packets: ipv6.Ipv6Packet[] = [];
      tun.onPacket((p) => {
        if (p[0] >> 4 === 6) packets.push(ipv6.decode(p));
      });

      // The kernel sends a UDP datagram towards 2001:db8:5::2: it comes out of the TUN device.
      const udp = ns.enter(() => native().socket(sys().AF_INET6, sys().SOCK_DGRAM, 0));
      native().sendmsg(udp, new TextEncoder().encode('to the tunnel'), sockaddrIn6(Ipv6Address.parse('2001:db8:5::2'), 0, 4000), null);
      native().close(udp);
      expect(await until(() => packets.some((p) => p.protocol === ipv6.NH_UDP))).toBe(true);
      const out = packets.find((p) => p.protocol === ipv6.NH_UDP)!;
      expect(String(out.src)).toBe('2001:db8:5::1');
      expect(String(out.dst)).toBe('2001:db8:5::2');

      // An echo request written to the device is answered by the kernel, back through it.
      const src = Ipv6Address.parse('2001:db8:5::2');
      const dst = Ipv6Address.parse('2001:db8:5::1');
      const request = icmpv6.encode({ kind: 'echo-request', identifier: 0x4c4c, sequence: 7, data: new Uint8Array([1, 2, 3]) }, { src, dst });
      tun.send(ipv6.encode({ src, dst, hopLimit: 64, protocol: ipv6.NH_ICMPV6, payload: request }));
      expect(await until(() => packets.some((p) => p.protocol === ipv6.NH_ICMPV6 && p.payload[0] === 129))).toBe(true);
      const reply = packets.find((p) => p.protocol === ipv6.NH_ICMPV6 && p.payload[0] === 129)!;
      expect(String(reply.dst)).toBe('2001:db8:5::2');
      expect(icmpv6.decode(reply.payload)).toMatchObject({ kind: 'echo-reply', identifier: 0x4c4c, sequence: 7 });

      // Closing the only descriptor of a non-persistent device removes it.
      tun.close();
      expect(() => ns.ip('link', 'show', 'llt0')).toThrowError(/does not exist/);
    } finally {
      ns.delete();
    }
  });

  it('TAP: frames written are received by the kernel, which answers through the device', async () => {
    const ns = Netns.create();
    try {
      const tap = ns.enter(() => LinuxTapPort.open('llp0'));
      expect(String(tap.mac)).toBe(ns.mac('llp0'));
      ns.ip('link', 'set', 'llp0', 'up');
      await ns.operUp('llp0');
      ns.addr('llp0', '192.0.2.1/24');
      const replies: arp.EthernetIpv4Arp[] = [];
      tap.onFrame((f) => {
        const e = ethernet.decode(f);
        if (e.etherType !== ethernet.ETHERTYPE_ARP) return;
        const a = arp.decode(e.payload);
        if (a.form === 'ethernet-ipv4' && a.op === arp.OP_REPLY) replies.push(a);
      });
      const me = MacAddress.parse('02:00:5e:00:53:01');
      const request = arp.encode({ form: 'ethernet-ipv4', hardwareType: 1, op: arp.OP_REQUEST, senderMac: me, senderIp: Ipv4Address.parse('192.0.2.2'), targetMac: MacAddress.ZERO, targetIp: Ipv4Address.parse('192.0.2.1') });
      tap.send(ethernet.encode({ dst: MacAddress.BROADCAST, src: me, etherType: ethernet.ETHERTYPE_ARP, payload: request }));
      expect(await until(() => replies.length > 0)).toBe(true);
      expect(replies[0].senderMac.equals(tap.mac)).toBe(true);
      expect(String(replies[0].senderIp)).toBe('192.0.2.1');
      expect(replies[0].targetMac.equals(me)).toBe(true);
      // The kernel learned us from the request.
      expect(ns.ip('neigh', 'show', 'dev', 'llp0')).toContain('192.0.2.2 lladdr 02:00:5e:00:53:01');
      tap.close();
    } finally {
      ns.delete();
    }
  });
});
