/**
 * One boot of the kernel model: its interfaces, sysctls, tables and protocol modules. A crash
 * throws the whole Stack away; a restart builds a new one, which is Linux's fresh boot.
 *
 * Frames come in through `receiveFrame`: the NIC filter looks at the destination MAC before
 * anything is decoded, the Ethernet header is decoded once, and the payload goes to ARP, IPv4 or
 * IPv6. A frame that does not decode is counted and traced, never thrown.
 */
import type { Log, Random, Unsubscribe } from '../../../../core/ports.js';
import { DecodeError } from '../../../../core/wire/errors.js';
import * as ethernet from '../../../../core/wire/ethernet.js';
import { Ipv4Address } from '../../../../core/wire/ipv4-address.js';
import { Ipv6Address } from '../../../../core/wire/ipv6-address.js';
import type { NodeClock } from '../../scheduler.js';
import type { Tracer } from '../../trace.js';
import type { NodeContext } from '../../node.js';
import { wants } from '../trace-gate.js';
import type { HostConfig } from './config.js';
import type { KernelCounters } from './counters.js';
import { KernelEvents } from './events.js';
import { NetIf } from './netif.js';
import { SysctlTable } from './sysctl-table.js';
import { Addrconf } from './addrconf.js';
import { Ndisc } from './ndisc.js';
import { Ipv6Layer } from './ipv6.js';
import { Arp } from './arp.js';
import { Ipv4Layer } from './ipv4.js';
import { RouterList } from './routers.js';
import { RouterSolicitor } from './router-solicit.js';
import { Traffic } from './traffic.js';
import { interfaceInfo } from './info.js';

export interface StackOptions {
  /** A router's kernel: forwarding=1 on its Ethernet interfaces (no SLAAC, no RS, R flag in NAs). */
  router?: boolean;
}

export class Stack {
  readonly name: string;
  readonly clock: NodeClock;
  readonly random: Random;
  readonly log: Log;
  readonly tracer: Tracer;
  readonly sysctl = new SysctlTable();
  readonly events = new KernelEvents();
  readonly ifs: NetIf[] = [];
  readonly addrconf: Addrconf;
  readonly ndisc: Ndisc;
  readonly ip6: Ipv6Layer;
  readonly arp: Arp;
  readonly ip4: Ipv4Layer;
  readonly routers: RouterList;
  readonly rs: RouterSolicitor;
  readonly traffic: Traffic;
  /** Our IPv4 addresses but loopback's (they are fixed for a boot), for per-frame checks. */
  readonly local4: number[] = [];
  private readonly subscriptions: Unsubscribe[] = [];
  private running = false;

  constructor(
    readonly ctx: NodeContext,
    readonly config: HostConfig,
    readonly counters: KernelCounters,
    readonly options: StackOptions = {},
  ) {
    this.name = ctx.name;
    this.clock = ctx.clock;
    this.random = ctx.random;
    this.log = ctx.log;
    this.tracer = ctx.trace;
    this.addrconf = new Addrconf(this);
    this.ndisc = new Ndisc(this);
    this.ip6 = new Ipv6Layer(this);
    this.arp = new Arp(this);
    this.ip4 = new Ipv4Layer(this);
    this.routers = new RouterList(this);
    this.rs = new RouterSolicitor(this);
    this.traffic = new Traffic(this);
    this.buildInterfaces();
  }

  /** Emits a trace event when someone listens; `fields` is only called then. */
  trace(event: string, fields: () => Record<string, unknown>): void {
    if (wants(this.tracer, event)) this.tracer.emit({ event, node: this.name, ...fields() });
  }

  byName(name: string): NetIf | undefined {
    return this.ifs.find((n) => n.name === name);
  }

  byIndex(ifindex: number): NetIf | undefined {
    return this.ifs.find((n) => n.ifindex === ifindex);
  }

  /** forwarding=1 on this interface: router behaviour (RFC 4861 6.2.8, Linux's ipv6_accept_ra). */
  isRouter(nif: NetIf): boolean {
    return this.sysctl.ipv6(nif.name, 'forwarding') === 1;
  }

  /** Brings every interface up; starts the configured traffic. */
  start(): void {
    this.running = true;
    for (const nif of this.ifs) {
      if (nif.ethernet) {
        const att = nif.ethernet;
        att.setReceiveMode('filtered');
        const stack = this as Stack;
        const rx = nif.rx;
        this.subscriptions.push(
          att.onFrame((f) => {
            // First, touching only `rx`: the ARP broadcasts about others that fill a big segment.
            if (rx.ignorable(f)) {
              rx.ignored++;
              return;
            }
            stack.receiveFrame(nif, f);
          }),
        );
        this.subscriptions.push(att.onCarrier((up) => this.carrierChanged(nif, up)));
        nif.carrier = att.up;
      } else if (nif.underlay) {
        const att = nif.underlay;
        this.subscriptions.push(att.onPacket((p) => this.ip4.receiveUnderlay(nif, p)));
        this.subscriptions.push(att.onCarrier((up) => this.carrierChanged(nif, up)));
        nif.carrier = att.up;
      }
    }
    for (const nif of this.ifs) this.ifUp(nif);
    this.arp.installStatic();
    this.traffic.start();
  }

  /** The node crashed: nothing of this boot may act again. */
  crash(): void {
    this.running = false;
    for (const nif of this.ifs) this.counters.framesIn += nif.rx.ignored;
    for (const u of this.subscriptions.splice(0)) u();
    for (const nif of this.ifs) {
      nif.arp?.destroy();
      nif.nd?.destroy();
      for (const g of nif.joinedGroups()) while (nif.inGroup(g)) nif.leave(g);
      nif.ethernet?.setReceiveMode('allmulti');
    }
    this.addrconf.destroy();
    this.routers.destroy();
    this.rs.destroy();
    this.traffic.stop();
    this.events.clear();
  }

  get alive(): boolean {
    return this.running;
  }

  /** Creates a TUN interface (a userspace program opened /dev/net/tun). */
  addTun(name: string, opts: { mtu?: number; token?: Ipv6Address } = {}): NetIf {
    if (this.byName(name)) throw new Error(`${this.name}: interface ${name} already exists`);
    const ifindex = Math.max(...this.ifs.map((n) => n.ifindex)) + 1;
    const nif = new NetIf(ifindex, name, 'tun', undefined, opts.mtu ?? 1280, undefined, undefined);
    nif.token = opts.token;
    this.sysctl.addInterface(name);
    this.ifs.push(nif);
    this.ifUp(nif);
    return nif;
  }

  /** The last close of a TUN device removes its interface (addresses and routes with it). */
  removeTun(nif: NetIf): void {
    const i = this.ifs.indexOf(nif);
    if (i < 0) return;
    this.routers.dropInterface(nif);
    this.addrconf.dropInterface(nif);
    nif.nd?.destroy();
    this.ifs.splice(i, 1);
    this.sysctl.removeInterface(nif.name);
    if (this.events.ifChange.size > 0) this.events.ifChange.emit({ kind: 'removed', ifindex: nif.ifindex, name: nif.name });
  }

  /** Tells InterfacePort subscribers that `nif` changed (flags or addresses). */
  ifChanged(nif: NetIf): void {
    if (this.events.ifChange.size > 0 && this.ifs.includes(nif)) this.events.ifChange.emit({ kind: 'changed', info: interfaceInfo(this, nif) });
  }

  /** Counts and traces a frame or packet that did not decode. */
  malformed(nif: NetIf, layer: string, err: unknown): void {
    if (!(err instanceof DecodeError)) throw err;
    this.counters.malformedAt(layer);
    this.trace('rx.malformed', () => ({ iface: nif.name, layer, field: err.field, what: err.what, offset: err.offset }));
  }

  /** Counts and traces a drop that is not a decoding failure. */
  dropped(nif: NetIf, reason: string, detail?: () => Record<string, unknown>): void {
    this.counters.drop(reason);
    this.trace('rx.dropped', () => ({ iface: nif.name, reason, ...(detail ? detail() : {}) }));
  }

  receiveFrame(nif: NetIf, frame: Uint8Array): void {
    this.counters.framesIn++;
    if (frame.length < ethernet.HEADER_LENGTH) {
      this.malformed(nif, 'ethernet', new DecodeError(`frame of ${frame.length} bytes is shorter than an Ethernet header`, 'header', 0));
      return;
    }
    if (!nif.accepts(frame)) return;
    if (nif.rx.rawListeners > 0) this.events.framesOf(nif.ifindex).emit(frame);
    let eth: ethernet.EthernetFrame;
    try {
      eth = ethernet.decode(frame);
    } catch (err) {
      this.malformed(nif, 'ethernet', err);
      return;
    }
    if (eth.vlan) {
      this.counters.drop('vlan');
      return;
    }
    switch (eth.etherType) {
      case ethernet.ETHERTYPE_IPV6:
        this.ip6.receive(nif, eth.payload);
        return;
      case ethernet.ETHERTYPE_ARP:
        this.arp.receive(nif, eth);
        return;
      case ethernet.ETHERTYPE_IPV4:
        this.ip4.receiveEthernet(nif, eth);
        return;
      default:
        this.counters.drop('ethertype');
    }
  }

  /** Sends a whole frame on an Ethernet interface, if it has carrier. */
  transmitFrame(nif: NetIf, frame: Uint8Array): void {
    if (!nif.ethernet || !nif.running) {
      this.counters.drop('link-down');
      return;
    }
    this.counters.framesOut++;
    nif.ethernet.send(frame);
  }

  private buildInterfaces(): void {
    const ctx = this.ctx;
    // Templates first, so interfaces created below start from them.
    for (const [k, v] of this.config.sysctl) if (k.includes('.default.') || k.includes('.all.')) this.sysctl.set(k, v);
    const lo = new NetIf(1, 'lo', 'loopback', undefined, 65536, undefined, undefined);
    lo.ipv4.push({ address: new Ipv4Address(0x7f00_0001), prefixLength: 8 });
    this.ifs.push(lo);
    this.sysctl.addInterface('lo');
    let ifindex = 2;
    for (const spec of ctx.interfaces) {
      const { ifname, type } = spec;
      let nif: NetIf;
      if (type === 'ethernet') {
        const att = ctx.ethernet(ifname);
        nif = new NetIf(ifindex++, ifname, 'ethernet', att.mac, att.mtu, att, undefined);
      } else {
        const att = ctx.underlay(ifname);
        nif = new NetIf(ifindex++, ifname, 'underlay', undefined, att.mtu, undefined, att);
      }
      // The underlay's addresses are the attachment's; an Ethernet interface's come from the topology.
      if (type === 'ethernet') nif.ipv4.push(...spec.ipv4);
      const ic = this.config.interfaces.get(ifname);
      if (ic) {
        nif.gateway4 = ic.gateway4;
        nif.token = ic.token;
      }
      this.sysctl.addInterface(ifname);
      if (this.options.router && type === 'ethernet') this.sysctl.set(`net.ipv6.conf.${ifname}.forwarding`, '1');
      this.ifs.push(nif);
    }
    for (const [k, v] of this.config.sysctl) if (!k.includes('.default.') && !k.includes('.all.')) this.sysctl.set(k, v);
    for (const nif of this.ifs) if (nif.kind !== 'loopback') for (const a of nif.addresses4()) this.local4.push(a.address.value);
    for (const nif of this.ifs) nif.rx.setLocal4(this.local4);
  }

  /** An interface comes up at boot: neighbour tables, IPv6 autoconfiguration, static addresses. */
  private ifUp(nif: NetIf): void {
    if (nif.kind === 'ethernet') this.arp.attach(nif);
    if (nif.kind === 'ethernet') this.ndisc.attach(nif);
    if (nif.kind === 'loopback') {
      this.addrconf.addStatic(nif, Ipv6Address.parse('::1'), 128);
      return;
    }
    if (nif.kind === 'underlay') return;
    if (nif.carrier) this.addrconf.linkUp(nif);
    const spec = this.ctx.interfaces.find((i) => i.ifname === nif.name);
    if (spec) for (const a of spec.ipv6) this.addrconf.addStatic(nif, a.address, a.prefixLength);
    this.ifChanged(nif);
  }

  private carrierChanged(nif: NetIf, up: boolean): void {
    if (!this.running || nif.carrier === up) return;
    nif.carrier = up;
    if (up) {
      this.addrconf.linkUp(nif);
    } else {
      // neigh_carrier_down: the neighbours learnt on this link are forgotten; addresses stay.
      nif.arp?.flush();
      nif.nd?.flush();
      this.rs.stop(nif);
      this.addrconf.linkDown(nif);
    }
    this.ifChanged(nif);
  }
}
