/**
 * ARP in the kernel model (RFC 826, Linux arp.c): requests for our addresses are answered and
 * teach us the asker (STALE); any ARP from a known neighbour updates it (a unicast reply confirms
 * it REACHABLE, anything else says STALE), with Linux's one-second locktime against flapping.
 * Resolution runs the shared neighbour state machine; its "ask userspace" step (app_solicit) is
 * the RTM_GETNEIGH request a helper such as arpd answers through the NeighborPort.
 */
import { SECOND } from '../../../../core/time.js';
import * as arp from '../../../../core/wire/arp.js';
import type { EthernetFrame } from '../../../../core/wire/ethernet.js';
import { ETHERTYPE_ARP } from '../../../../core/wire/ethernet.js';
import type { Ipv4Address } from '../../../../core/wire/ipv4-address.js';
import { MacAddress } from '../../../../core/wire/mac-address.js';
import { ethernetFrame } from './frames.js';
import { NeighborTable, type NeighEntry, type NeighborHooks, type NudParams, type NudState } from './neighbor-table.js';
import type { NetIf } from './netif.js';
import type { Stack } from './stack.js';

const LOCKTIME = 1 * SECOND;

export class Arp {
  constructor(private readonly s: Stack) {}

  /** Gives an Ethernet interface with IPv4 addresses its ARP table. */
  attach(nif: NetIf): void {
    if (nif.ipv4.length === 0) return;
    const rx = nif.rx;
    nif.arp = new NeighborTable<Ipv4Address>(this.s.clock, this.s.random, new ArpHooks(this, this.s, nif), (bits) => {
      rx.keyBits = bits;
    });
    rx.table = nif.arp;
  }

  params(nif: NetIf): NudParams {
    return this.s.sysctl.nudParams('ipv4', nif.name);
  }

  /** Static entries from the config (`ip neigh add ... nud permanent`). */
  installStatic(): void {
    for (const n of this.s.config.neighbors) {
      const nif = this.s.byName(n.iface);
      nif?.arp?.update(n.ip, n.mac, n.state, { create: true, override: true, admin: true });
    }
  }

  /** arp_process. */
  receive(nif: NetIf, eth: EthernetFrame): void {
    const s = this.s;
    if (nif.ipv4.length === 0 || !nif.arp) {
      s.counters.drop('arp-no-ipv4');
      return;
    }
    let a: arp.Arp;
    try {
      a = arp.decode(eth.payload);
    } catch (err) {
      s.malformed(nif, 'arp', err);
      return;
    }
    if (a.form !== 'ethernet-ipv4' || a.hardwareType !== arp.HTYPE_ETHERNET) {
      s.dropped(nif, 'arp-not-ethernet-ipv4', () => ({ hardwareType: a.hardwareType }));
      return;
    }
    if (a.op !== arp.OP_REQUEST && a.op !== arp.OP_REPLY) {
      s.dropped(nif, 'arp-op', () => ({ op: a.op }));
      return;
    }
    const { senderIp: sip, targetIp: tip, senderMac: sha } = a;
    if (tip.isMulticast || (tip.value >>> 24) === 127 || sip.isMulticast || sha.isMulticast) {
      s.dropped(nif, 'arp-address', () => ({ sender: sip.toString(), target: tip.toString() }));
      return;
    }
    const mine = this.isLocal(tip);
    if (sip.isUnspecified) {
      // An address probe (RFC 5227): answer if the address is ours, learn nothing.
      if (a.op === arp.OP_REQUEST && mine) this.sendReply(nif, sha, tip, sha, sip);
      return;
    }
    if (a.op === arp.OP_REQUEST && mine) {
      nif.arp.update(sip, sha, 'stale', { create: true, override: true });
      this.sendReply(nif, sha, tip, sha, sip);
      return;
    }
    const e = nif.arp.lookup(sip);
    if (!e) return;
    const garp = sip.value === tip.value && (a.op === arp.OP_REQUEST || a.targetMac.equals(sha));
    const override = s.clock.now() > e.updated + LOCKTIME || garp;
    const toUs = nif.mac !== undefined && eth.dst.equals(nif.mac);
    const state: NudState = a.op === arp.OP_REPLY && toUs ? 'reachable' : 'stale';
    nif.arp.update(sip, sha, state, { override });
  }

  /** Our address on any interface (arp_ignore=0: Linux answers for all local addresses). */
  isLocal(ip: Ipv4Address): boolean {
    return this.isLocalValue(ip.value);
  }

  isLocalValue(v: number): boolean {
    const local = this.s.local4;
    for (let i = 0; i < local.length; i++) if (local[i] === v) return true;
    return false;
  }

  /** The source address for a request towards `target`: one in its subnet, else the first. */
  sourceFor(nif: NetIf, target: Ipv4Address): Ipv4Address | undefined {
    for (const a of nif.ipv4) if (target.inSubnet(a.address, a.prefixLength)) return a.address;
    return nif.ipv4[0]?.address;
  }

  sendRequest(nif: NetIf, target: Ipv4Address, mac: MacAddress | undefined): void {
    const s = this.s;
    const src = this.sourceFor(nif, target);
    if (!src || !nif.mac) return;
    s.counters.arpRequestsSent++;
    s.trace('arp.request.sent', () => ({ iface: nif.name, target: target.toString(), broadcast: mac === undefined }));
    const body = arp.encode({
      form: 'ethernet-ipv4',
      hardwareType: arp.HTYPE_ETHERNET,
      op: arp.OP_REQUEST,
      senderMac: nif.mac,
      senderIp: src,
      targetMac: MacAddress.ZERO,
      targetIp: target,
    });
    s.transmitFrame(nif, ethernetFrame(mac ?? MacAddress.BROADCAST, nif.mac, ETHERTYPE_ARP, body));
  }

  /**
   * A gratuitous ARP request for each IPv4 address of the interface (sender = target, as
   * `arping -U -I IF ADDR` sends it): neighbours and arpd learn the binding without asking.
   */
  announce(nif: NetIf): void {
    const s = this.s;
    if (!nif.mac) return;
    for (const a of nif.ipv4) {
      s.counters.arpRequestsSent++;
      s.trace('arp.request.sent', () => ({ iface: nif.name, target: a.address.toString(), broadcast: true, gratuitous: true }));
      const body = arp.encode({
        form: 'ethernet-ipv4',
        hardwareType: arp.HTYPE_ETHERNET,
        op: arp.OP_REQUEST,
        senderMac: nif.mac,
        senderIp: a.address,
        targetMac: MacAddress.ZERO,
        targetIp: a.address,
      });
      s.transmitFrame(nif, ethernetFrame(MacAddress.BROADCAST, nif.mac, ETHERTYPE_ARP, body));
    }
  }

  private sendReply(nif: NetIf, to: MacAddress, ours: Ipv4Address, targetMac: MacAddress, targetIp: Ipv4Address): void {
    const s = this.s;
    if (!nif.mac) return;
    s.counters.arpRepliesSent++;
    s.trace('arp.reply.sent', () => ({ iface: nif.name, target: targetIp.toString(), ip: ours.toString() }));
    const body = arp.encode({
      form: 'ethernet-ipv4',
      hardwareType: arp.HTYPE_ETHERNET,
      op: arp.OP_REPLY,
      senderMac: nif.mac,
      senderIp: ours,
      targetMac,
      targetIp,
    });
    s.transmitFrame(nif, ethernetFrame(to, nif.mac, ETHERTYPE_ARP, body));
  }

  appRequest(nif: NetIf, ip: Ipv4Address, state: NudState): void {
    const s = this.s;
    s.counters.neighRequests++;
    s.trace('neigh.request', () => ({ iface: nif.name, ip: ip.toString(), state }));
    if (s.events.neighRequest.size > 0) s.events.neighRequest.emit({ ifindex: nif.ifindex, ip, state });
  }
}

/** What the ARP table asks of the protocol (a class, so 10,000 hosts share its methods). */
class ArpHooks implements NeighborHooks<Ipv4Address> {
  constructor(
    private readonly arp: Arp,
    private readonly s: Stack,
    private readonly nif: NetIf,
  ) {}

  key(a: Ipv4Address): number {
    // As a signed 32-bit integer: a small integer to V8, which keeps the Map lookups cheap.
    return a.value | 0;
  }

  params(): NudParams {
    return this.arp.params(this.nif);
  }

  solicit(ip: Ipv4Address, mac: MacAddress | undefined): void {
    this.arp.sendRequest(this.nif, ip, mac);
  }

  appRequest(ip: Ipv4Address, state: NudState): void {
    this.arp.appRequest(this.nif, ip, state);
  }

  changed(e: NeighEntry<Ipv4Address>, removed: boolean): void {
    const { s, nif } = this;
    s.trace('neigh.state', () => ({ iface: nif.name, ip: e.ip.toString(), state: removed ? 'deleted' : e.state, mac: e.mac?.toString() }));
    if (s.events.neighChange.size > 0) {
      s.events.neighChange.emit({ ifindex: nif.ifindex, ip: e.ip, mac: e.mac, state: removed ? 'none' : e.state, removed });
    }
  }

  unreachable(_ip: Ipv4Address, dropped: number): void {
    this.s.counters.unreachable += dropped;
  }
}
