/**
 * The IPv4 underlay: a routed cloud that delivers each IPv4 packet to the port owning its
 * destination address (ISATAP runs IPv6 over it). Like a segment, each port is a cable with its own
 * faults, crossed on the way out and on the way in. It does not fragment, does not decrement TTL,
 * and delivers nothing for broadcast or multicast destinations (ISATAP needs neither).
 */
import type { Unsubscribe } from '../../core/ports.js';
import { Handlers } from '../../core/handlers.js';
import { Ipv4Address } from '../../core/wire/ipv4-address.js';
import { LINKTYPE_IPV4 } from '../../core/wire/linktype.js';
import type { Micros } from '../../core/time.js';
import type { UnderlayAttachment } from './link.js';
import type { Cable } from './faults.js';
import { PortCounters, type MediumEnv, type PortOwner } from './medium.js';
import { summarize } from './summary.js';

export class UnderlayPort implements UnderlayAttachment {
  readonly counters = new PortCounters();
  captureId = -1;
  private readonly packetHandlers = new Handlers<Uint8Array>();
  private readonly carrierHandlers = new Handlers<boolean>();
  private linkUp: boolean;

  constructor(
    private readonly net: Underlay,
    readonly index: number,
    readonly node: string,
    readonly ifname: string,
    readonly addresses: readonly Ipv4Address[],
    readonly mtu: number,
    readonly cable: Cable,
    readonly owner: PortOwner,
    up: boolean,
  ) {
    this.linkUp = up;
  }

  get up(): boolean {
    return this.linkUp;
  }

  get label(): string {
    return `${this.node}:${this.ifname}`;
  }

  send(packet: Uint8Array): void {
    this.net.transmit(this, packet);
  }

  onPacket(handler: (packet: Uint8Array) => void): Unsubscribe {
    return this.packetHandlers.add(handler);
  }

  onCarrier(handler: (up: boolean) => void): Unsubscribe {
    return this.carrierHandlers.add(handler);
  }

  setLink(up: boolean): void {
    if (up === this.linkUp) return;
    this.linkUp = up;
    this.net.env.trace.emit({ event: up ? 'link.up' : 'link.down', node: this.node, iface: this.ifname, segment: 'underlay' });
    if (!this.owner.alive) return;
    this.carrierHandlers.emit(up);
  }

  receive(packet: Uint8Array): void {
    const env = this.net.env;
    if (!this.linkUp || !this.owner.alive) {
      this.counters.dropped++;
      if (env.trace.frames) this.net.tracePacket('ip4.lost', this, packet, { reason: this.linkUp ? 'node-down' : 'link-down' });
      return;
    }
    if (packet.length > this.mtu) {
      this.counters.tooBig++;
      if (env.trace.frames) this.net.tracePacket('ip4.lost', this, packet, { reason: 'too-big' });
      return;
    }
    this.counters.rx++;
    this.net.deliveries++;
    if (this.captureId >= 0) env.capture!.packet(this.captureId, env.scheduler.now(), packet);
    if (env.trace.frames) this.net.tracePacket('ip4.rx', this, packet, { len: packet.length, summary: summarize(packet, 'ipv4') });
    this.packetHandlers.emit(packet);
  }
}

function dstOf(packet: Uint8Array): number | null {
  if (packet.length < 20 || packet[0] >>> 4 !== 4) return null;
  return ((packet[16] << 24) | (packet[17] << 16) | (packet[18] << 8) | packet[19]) >>> 0;
}

export class Underlay {
  readonly ports: UnderlayPort[] = [];
  packetsSent = 0;
  deliveries = 0;
  private readonly byAddress = new Map<number, UnderlayPort>();

  constructor(readonly env: MediumEnv) {}

  /** Plugs an interface in; its addresses must not be owned already (the loader checks). */
  attach(spec: { node: string; ifname: string; addresses: Ipv4Address[]; mtu: number; cable: Cable; owner: PortOwner; up?: boolean }): UnderlayPort {
    for (const a of spec.addresses) {
      const other = this.byAddress.get(a.value);
      if (other) throw new RangeError(`underlay address ${a} of ${spec.node}:${spec.ifname} is already ${other.label}'s`);
    }
    const port = new UnderlayPort(this, this.ports.length, spec.node, spec.ifname, spec.addresses, spec.mtu, spec.cable, spec.owner, spec.up ?? true);
    this.ports.push(port);
    for (const a of spec.addresses) this.byAddress.set(a.value, port);
    if (this.env.capture) port.captureId = this.env.capture.addInterface(LINKTYPE_IPV4, port.label);
    return port;
  }

  /** The port owning `address`, if any. */
  owner(address: Ipv4Address): UnderlayPort | undefined {
    return this.byAddress.get(address.value);
  }

  tracePacket(event: string, port: UnderlayPort, packet: Uint8Array, fields: Record<string, unknown>): void {
    const src = packet.length >= 20 ? Ipv4Address.read(packet, 12).toString() : undefined;
    const dst = packet.length >= 20 ? Ipv4Address.read(packet, 16).toString() : undefined;
    this.env.trace.emit({ event, node: port.node, iface: port.ifname, src, dst, ...fields });
  }

  transmit(from: UnderlayPort, packet: Uint8Array): void {
    const env = this.env;
    if (!from.owner.alive) return;
    if (!from.up) {
      from.counters.dropped++;
      if (env.trace.frames) this.tracePacket('ip4.lost', from, packet, { reason: 'link-down' });
      return;
    }
    if (packet.length > from.mtu) {
      from.counters.tooBig++;
      if (env.trace.frames) this.tracePacket('ip4.lost', from, packet, { reason: 'too-big' });
      return;
    }
    const data = packet.slice();
    from.counters.tx++;
    this.packetsSent++;
    if (from.captureId >= 0) env.capture!.packet(from.captureId, env.scheduler.now(), data);
    if (env.trace.frames) this.tracePacket('ip4.tx', from, data, { len: data.length, summary: summarize(data, 'ipv4') });
    const dst = dstOf(data);
    const to = dst === null ? undefined : this.byAddress.get(dst);
    if (!to || to === from) {
      from.counters.dropped++;
      if (env.trace.frames) this.tracePacket('ip4.lost', from, data, { reason: dst === null ? 'not-ipv4' : 'no-route' });
      return;
    }
    const now = env.scheduler.now();
    this.cross(from, data, (copy, delay) => this.inbound(to, copy, now + delay));
  }

  /** One cable crossing: calls `onward` once, twice (duplicated) or never (lost). */
  private cross(port: UnderlayPort, data: Uint8Array, onward: (data: Uint8Array, delay: Micros) => void): void {
    const c = port.cable;
    if (!c.random) {
      onward(data, c.faults.latency);
      return;
    }
    if (c.lost()) {
      port.counters.lost++;
      if (this.env.trace.frames) this.tracePacket('ip4.lost', port, data, { reason: 'loss' });
      return;
    }
    const bad = c.corrupted(data);
    if (bad) port.counters.corrupted++;
    const copy = bad ?? data;
    onward(copy, c.delay());
    if (c.duplicated()) {
      port.counters.duplicated++;
      onward(copy, c.delay());
    }
  }

  private inbound(to: UnderlayPort, data: Uint8Array, arrivedAtCloud: Micros): void {
    this.cross(to, data, (copy, delay) => {
      this.env.scheduler.schedule(arrivedAtCloud + delay, () => to.receive(copy));
    });
  }
}
