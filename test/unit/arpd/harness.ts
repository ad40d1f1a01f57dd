/** An arpd core on fake ports with a manual clock. */
import { ManualClock } from '../../helpers/manual-clock.js';
import { FakeFramePort, FakeInterfaces, FakeNeighbors, MemoryLog, MemoryStore, MemorySysctl, wallFrom } from '../../helpers/fake-ports.js';
import { Arpd } from '../../../src/core/arpd/arpd.js';
import { defaultConfig, type ArpdConfig } from '../../../src/core/arpd/config.js';
import { MacAddress } from '../../../src/core/wire/mac-address.js';
import { Ipv4Address } from '../../../src/core/wire/ipv4-address.js';
import * as ethernet from '../../../src/core/wire/ethernet.js';
import * as arp from '../../../src/core/wire/arp.js';
import type { FrameOpener, FramePort, InterfaceInfo } from '../../../src/core/ports.js';

export const OUR_MAC = MacAddress.parse('02:00:00:00:00:01');
export const OUR_IP = Ipv4Address.parse('192.0.2.1');

export function iface(name: string, ifindex: number): InterfaceInfo {
  return {
    ifindex,
    name,
    mac: OUR_MAC,
    mtu: 1500,
    up: true,
    running: true,
    loopback: false,
    pointToPoint: false,
    multicast: true,
    ipv4: [{ address: OUR_IP, prefixLength: 24 }],
    ipv6: [],
  };
}

/** Opens fake frame ports for interfaces that appear later; answers at once unless `held`. */
export class FakeOpener implements FrameOpener {
  readonly opened: FakeFramePort[] = [];
  readonly asked: string[] = [];
  failure: string | undefined;
  held: Array<() => void> | undefined;
  constructor(private readonly interfaces: FakeInterfaces) {}
  open(ifname: string, done: (port: FramePort | null, error?: string) => void): void {
    this.asked.push(ifname);
    const answer = (): void => {
      const info = this.interfaces.byName(ifname);
      if (this.failure || !info) return done(null, this.failure ?? `no interface ${ifname}`);
      const port = new FakeFramePort(info.ifindex, ifname, info.mac ?? OUR_MAC);
      this.opened.push(port);
      done(port);
    };
    if (this.held) this.held.push(answer);
    else answer();
  }
}

export function setup(config: Partial<ArpdConfig> = {}, store = new MemoryStore()) {
  const clock = new ManualClock();
  const now = () => clock.now();
  const infos = [iface('eth0', 2), iface('eth1', 3)];
  const interfaces = new FakeInterfaces(infos);
  const frames = [new FakeFramePort(2, 'eth0', OUR_MAC, now), new FakeFramePort(3, 'eth1', OUR_MAC, now)];
  const neighbors = new FakeNeighbors();
  const sysctl = new MemorySysctl(
    new Map([
      ['net.ipv4.neigh.eth0.app_solicit', '0'],
      ['net.ipv4.neigh.eth0.mcast_solicit', '5'],
    ]),
  );
  const log = new MemoryLog(now);
  const wall = wallFrom(now);
  const opener = new FakeOpener(interfaces);
  const arpd = new Arpd(defaultConfig(config), { clock, wall, log, store, frames, openFrames: opener, neighbors, interfaces, sysctl });
  return { arpd, clock, frames, neighbors, sysctl, store, log, wall, interfaces, opener };
}

/** An ARP packet in an Ethernet frame. */
export function arpFrame(op: number, senderMac: string, senderIp: string, targetIp = '192.0.2.1', targetMac = '00:00:00:00:00:00'): Uint8Array {
  const payload = arp.encode({ form: 'ethernet-ipv4', hardwareType: 1, op, senderMac, senderIp, targetMac, targetIp });
  return ethernet.encode({ dst: 'ff:ff:ff:ff:ff:ff', src: senderMac, etherType: ethernet.ETHERTYPE_ARP, payload });
}

export const ip = (s: string) => Ipv4Address.parse(s);
export const mac = (s: string) => MacAddress.parse(s);
