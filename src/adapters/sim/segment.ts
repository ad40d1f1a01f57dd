/**
 * An Ethernet broadcast domain. Each port is a cable with its own faults (see faults.ts); a frame
 * crosses the sender's cable, then each receiver's. Receivers are chosen by destination MAC the way
 * NIC filters choose them (see ReceiveMode), and deliveries that share a time are one scheduler
 * event: a broadcast to 10,000 quiet cables is one event, not 10,000.
 *
 * Partitions split the segment into groups that cannot hear each other; a frame is delivered when,
 * at its arrival, sender and receiver are in the same group.
 *
 * External ports (attachExternal) let something outside the simulation, such as a TAP device in
 * wall-clock mode, send and receive frames like any attachment.
 */
import { MacAddress } from '../../core/wire/mac-address.js';
import { LINKTYPE_ETHERNET } from '../../core/wire/linktype.js';
import type { Unsubscribe } from '../../core/ports.js';
import { Handlers } from '../../core/handlers.js';
import type { Micros } from '../../core/time.js';
import type { EthernetAttachment, ReceiveMode } from './link.js';
import type { Cable } from './faults.js';
import { ALWAYS_ALIVE, PortCounters, mergeSorted, withItem, withoutItem, type MediumEnv, type PortOwner } from './medium.js';
import { summarize } from './summary.js';

const BROADCAST = 0xffff_ffff_ffff;
const TWO40 = 2 ** 40;
const HEADER = 14;

/**
 * A port counts for itself (it is its own PortCounters): a delivery touches one object, which
 * matters when a broadcast reaches 10,000 of them.
 */
export class SegmentPort extends PortCounters implements EthernetAttachment {
  /** Position on the segment: delivery order. */
  readonly index: number;
  /** Partition group (0 when the segment is whole). */
  group = 0;
  mode: ReceiveMode = 'allmulti';
  /** This port's interface in the capture, or -1. */
  captureId = -1;
  /** Whether a delivery is captured or traced (else the fast path skips both). */
  observed = false;
  /** The largest untagged frame the MTU lets in. */
  private readonly maxFrame: number;
  private readonly frameHandlers = new Handlers<Uint8Array>();
  private readonly carrierHandlers = new Handlers<boolean>();
  private readonly joined = new Set<number>();
  private linkUp: boolean;

  constructor(
    private readonly seg: Segment,
    index: number,
    readonly node: string,
    readonly ifname: string,
    readonly mac: MacAddress,
    readonly mtu: number,
    readonly cable: Cable,
    readonly owner: PortOwner,
    up: boolean,
  ) {
    super();
    this.index = index;
    this.linkUp = up;
    this.maxFrame = mtu + HEADER;
  }

  get counters(): PortCounters {
    return this;
  }

  get segment(): string {
    return this.seg.name;
  }

  get up(): boolean {
    return this.linkUp;
  }

  /** `node:iface`, as in partitions, traces and capture interface names. */
  get label(): string {
    return `${this.node}:${this.ifname}`;
  }

  send(frame: Uint8Array): void {
    this.seg.transmit(this, frame);
  }

  onFrame(handler: (frame: Uint8Array) => void): Unsubscribe {
    return this.frameHandlers.add(handler);
  }

  onCarrier(handler: (up: boolean) => void): Unsubscribe {
    return this.carrierHandlers.add(handler);
  }

  setReceiveMode(mode: ReceiveMode): void {
    if (mode !== this.mode) this.seg.changeMode(this, mode);
  }

  joinMulticast(group: MacAddress): void {
    if (!group.isMulticast) throw new RangeError(`${group} is not a multicast MAC address`);
    if (this.joined.has(group.value)) return;
    this.joined.add(group.value);
    this.seg.changeGroup(this, group.value, true);
  }

  leaveMulticast(group: MacAddress): void {
    if (!this.joined.delete(group.value)) return;
    this.seg.changeGroup(this, group.value, false);
  }

  /** Multicast groups joined, as MAC values. */
  groups(): number[] {
    return [...this.joined];
  }

  /** Leaves every group and goes back to 'allmulti' (what a crash does to a NIC's filter). */
  resetFilter(): void {
    for (const g of [...this.joined]) this.leaveMulticast(new MacAddress(g));
    this.setReceiveMode('allmulti');
  }

  /** Link up or down; carrier handlers hear of it when the state changes and the node is alive. */
  setLink(up: boolean): void {
    if (up === this.linkUp) return;
    this.linkUp = up;
    this.seg.env.trace.emit({ event: up ? 'link.up' : 'link.down', node: this.node, iface: this.ifname, segment: this.seg.name });
    if (!this.owner.alive) return;
    this.carrierHandlers.emit(up);
  }

  /** A frame arriving at this port after crossing its cable. */
  receive(frame: Uint8Array): void {
    if (this.linkUp && this.owner.alive && frame.length <= this.maxFrame && !this.observed) {
      this.rx++;
      this.frameHandlers.emit(frame);
      return;
    }
    this.receiveChecked(frame);
  }

  /** The slow path: drops, tagged frames near the MTU, capture and trace. */
  private receiveChecked(frame: Uint8Array): void {
    const env = this.seg.env;
    if (!this.linkUp || !this.owner.alive) {
      this.dropped++;
      if (env.trace.frames) this.seg.traceFrame('frame.lost', this, { reason: this.linkUp ? 'node-down' : 'link-down' });
      return;
    }
    if (payloadLength(frame) > this.mtu) {
      this.tooBig++;
      if (env.trace.frames) this.seg.traceFrame('frame.too-big', this, { len: frame.length });
      return;
    }
    this.rx++;
    if (this.captureId >= 0) env.capture!.packet(this.captureId, env.scheduler.now(), frame);
    if (env.trace.frames) this.seg.traceFrame('frame.rx', this, { len: frame.length, summary: summarize(frame) });
    this.frameHandlers.emit(frame);
  }
}

/** What a bridge to the outside gets back from attachExternal. */
export interface ExternalPort {
  readonly name: string;
  /** Injects a frame from outside at the current virtual time. */
  send(frame: Uint8Array): void;
  detach(): void;
}

function payloadLength(frame: Uint8Array): number {
  const tagged = frame.length >= 16 && frame[12] === 0x81 && frame[13] === 0x00;
  return frame.length - HEADER - (tagged ? 4 : 0);
}

function macValue(b: Uint8Array): number {
  return ((b[0] << 8) | b[1]) * 0x1_0000_0000 + (((b[2] << 24) | (b[3] << 16) | (b[4] << 8) | b[5]) >>> 0);
}

export class Segment {
  readonly ports: SegmentPort[] = [];
  /** Frames put on the segment. */
  framesSent = 0;
  private partitioned = false;
  /** Ports receiving every multicast frame ('promiscuous' and 'allmulti'), and every unicast one. */
  private wide: SegmentPort[] = [];
  private promiscuous: SegmentPort[] = [];
  private readonly owners = new Map<number, SegmentPort[]>();
  private readonly listeners = new Map<number, SegmentPort[]>();
  /** The latency every receiving cable shares when none is random, else null. */
  private uniformLatency: number | null = null;
  private readonly taps = new Handlers<{ from: SegmentPort; frame: Uint8Array }>();

  constructor(
    readonly name: string,
    readonly env: MediumEnv,
  ) {}

  /** Frames delivered to ports. */
  get deliveries(): number {
    let n = 0;
    for (const p of this.ports) n += p.rx;
    return n;
  }

  /** Plugs a node's interface in. `cable` carries the port's faults. */
  attach(spec: { node: string; ifname: string; mac: MacAddress; mtu: number; cable: Cable; owner: PortOwner; up?: boolean }): SegmentPort {
    const port = new SegmentPort(this, this.ports.length, spec.node, spec.ifname, spec.mac, spec.mtu, spec.cable, spec.owner, spec.up ?? true);
    this.ports.push(port);
    this.wide.push(port); // appending cannot disturb a walk in progress
    const list = this.owners.get(spec.mac.value);
    if (list) list.push(port);
    else this.owners.set(spec.mac.value, [port]);
    if (this.env.capture) port.captureId = this.env.capture.addInterface(LINKTYPE_ETHERNET, port.label);
    port.observed = port.captureId >= 0 || this.env.trace.frames;
    this.updateUniform(port);
    return port;
  }

  /**
   * A port for something outside the simulation (wall-clock mode's TAP bridge): it hears every
   * frame (promiscuous) through `deliver` and sends with `send`. Its cable has no faults but the
   * segment's default latency.
   */
  attachExternal(name: string, deliver: (frame: Uint8Array) => void, cable: Cable): ExternalPort {
    const mac = new MacAddress(0x02_00_00_00_00_00 + (this.ports.length % TWO40));
    const port = this.attach({ node: 'external', ifname: name, mac, mtu: 65535, cable, owner: ALWAYS_ALIVE });
    port.setReceiveMode('promiscuous');
    const off = port.onFrame(deliver);
    let attached = true;
    return {
      name,
      send: (frame) => {
        if (attached) port.send(frame);
      },
      detach: () => {
        attached = false;
        off();
        port.setLink(false);
      },
    };
  }

  /** Calls `fn` with every frame a port puts on the segment (expectations count frames this way). */
  onTransmit(fn: (from: SegmentPort, frame: Uint8Array) => void): Unsubscribe {
    return this.taps.add((t) => fn(t.from, t.frame));
  }

  port(node: string, ifname: string): SegmentPort | undefined {
    return this.ports.find((p) => p.node === node && p.ifname === ifname);
  }

  /** Splits the segment: each list is a group; ports in no list form one more group together. */
  partition(groups: SegmentPort[][]): void {
    for (const p of this.ports) p.group = 0;
    groups.forEach((g, i) => {
      for (const p of g) p.group = i + 1;
    });
    this.partitioned = true;
    this.env.trace.emit({ event: 'partition', segment: this.name, groups: groups.map((g) => g.map((p) => p.label)) });
  }

  heal(): void {
    for (const p of this.ports) p.group = 0;
    this.partitioned = false;
    this.env.trace.emit({ event: 'heal', segment: this.name });
  }

  /** Emits a frame.* trace event for `port`. */
  traceFrame(event: string, port: SegmentPort, fields: Record<string, unknown>): void {
    this.env.trace.emit({ event, node: port.node, iface: port.ifname, segment: this.name, ...fields });
  }

  transmit(from: SegmentPort, frame: Uint8Array): void {
    const env = this.env;
    if (!from.owner.alive) return; // a crashed node has no timers; nothing it still holds may send
    if (!from.up) {
      from.dropped++;
      if (env.trace.frames) this.traceFrame('frame.lost', from, { reason: 'link-down' });
      return;
    }
    if (frame.length < HEADER) {
      from.dropped++;
      if (env.trace.frames) this.traceFrame('frame.lost', from, { reason: 'runt', len: frame.length });
      return;
    }
    if (payloadLength(frame) > from.mtu) {
      from.tooBig++;
      if (env.trace.frames) this.traceFrame('frame.too-big', from, { len: frame.length });
      return;
    }
    const data = frame.slice(); // the sender may reuse its buffer
    from.tx++;
    this.framesSent++;
    if (from.captureId >= 0) env.capture!.packet(from.captureId, env.scheduler.now(), data);
    if (env.trace.frames) this.traceFrame('frame.tx', from, { len: data.length, summary: summarize(data) });
    if (this.taps.size > 0) this.taps.emit({ from, frame: data });
    this.cross(from, data);
  }

  /** The sender's cable, then the fan-out to receivers. */
  private cross(from: SegmentPort, data: Uint8Array): void {
    const c = from.cable;
    const now = this.env.scheduler.now();
    if (!c.random) {
      this.fanOut(from, data, now + c.faults.latency);
      return;
    }
    if (c.lost()) {
      from.lost++;
      if (this.env.trace.frames) this.traceFrame('frame.lost', from, { reason: 'loss' });
      return;
    }
    const bad = c.corrupted(data);
    if (bad) {
      from.corrupted++;
      if (this.env.trace.frames) this.traceFrame('frame.corrupted', from, {});
      data = bad;
    }
    const delay = c.delay();
    if (c.duplicated()) {
      from.duplicated++;
      if (this.env.trace.frames) this.traceFrame('frame.duplicated', from, {});
      this.fanOut(from, data, now + delay);
      this.fanOut(from, data, now + c.delay());
      return;
    }
    this.fanOut(from, data, now + delay);
  }

  private recipients(data: Uint8Array): SegmentPort[] {
    const dst = macValue(data);
    if (dst === BROADCAST) return this.ports;
    if (data[0] & 1) return mergeSorted(this.wide, this.listeners.get(dst) ?? []);
    const owners = this.owners.get(dst);
    if (!owners) return this.promiscuous;
    return mergeSorted(
      this.promiscuous,
      owners.filter((p) => p.mode !== 'promiscuous'),
    );
  }

  private fanOut(from: SegmentPort, data: Uint8Array, departed: Micros): void {
    const list = this.recipients(data);
    if (list.length === 0 || (list.length === 1 && list[0] === from)) return;
    const scheduler = this.env.scheduler;
    if (this.uniformLatency !== null) {
      scheduler.schedule(departed + this.uniformLatency, () => this.deliverAll(from, data, list));
      return;
    }
    // Quiet cables sharing a latency share an event; each random cable decides on its own.
    const buckets = new Map<number, SegmentPort[]>();
    for (const r of list) {
      if (r === from) continue;
      const c = r.cable;
      if (!c.random) {
        const b = buckets.get(c.faults.latency);
        if (b) b.push(r);
        else buckets.set(c.faults.latency, [r]);
        continue;
      }
      if (c.lost()) {
        r.lost++;
        if (this.env.trace.frames) this.traceFrame('frame.lost', r, { reason: 'loss' });
        continue;
      }
      let copy = data;
      const bad = c.corrupted(data);
      if (bad) {
        r.corrupted++;
        if (this.env.trace.frames) this.traceFrame('frame.corrupted', r, {});
        copy = bad;
      }
      const one = copy;
      scheduler.schedule(departed + c.delay(), () => this.deliverOne(from, one, r));
      if (c.duplicated()) {
        r.duplicated++;
        if (this.env.trace.frames) this.traceFrame('frame.duplicated', r, {});
        scheduler.schedule(departed + c.delay(), () => this.deliverOne(from, one, r));
      }
    }
    for (const [latency, group] of buckets) scheduler.schedule(departed + latency, () => this.deliverAll(from, data, group));
  }

  private deliverAll(from: SegmentPort, data: Uint8Array, list: SegmentPort[]): void {
    const partitioned = this.partitioned;
    const group = from.group;
    for (let i = 0; i < list.length; i++) {
      const r = list[i];
      if (r === from || (partitioned && r.group !== group)) continue;
      r.receive(data);
    }
  }

  private deliverOne(from: SegmentPort, data: Uint8Array, r: SegmentPort): void {
    if (this.partitioned && r.group !== from.group) return;
    r.receive(data);
  }

  private updateUniform(added: SegmentPort): void {
    if (this.ports.length === 1) {
      this.uniformLatency = added.cable.random ? null : added.cable.faults.latency;
      return;
    }
    if (this.uniformLatency !== null && (added.cable.random || added.cable.faults.latency !== this.uniformLatency)) this.uniformLatency = null;
  }

  /** Called by a port whose receive mode changes: keeps the wide and promiscuous lists. */
  changeMode(port: SegmentPort, mode: ReceiveMode): void {
    const wasWide = port.mode !== 'filtered';
    const isWide = mode !== 'filtered';
    if (wasWide && !isWide) {
      this.wide = withoutItem(this.wide, port);
      for (const g of port.groups()) this.listeners.set(g, withItem(this.listeners.get(g) ?? [], port));
    } else if (!wasWide && isWide) {
      this.wide = withItem(this.wide, port);
      for (const g of port.groups()) this.listeners.set(g, withoutItem(this.listeners.get(g) ?? [], port));
    }
    if (port.mode === 'promiscuous') this.promiscuous = withoutItem(this.promiscuous, port);
    if (mode === 'promiscuous') this.promiscuous = withItem(this.promiscuous, port);
    port.mode = mode;
  }

  /** Called by a port joining or leaving a multicast group. */
  changeGroup(port: SegmentPort, group: number, joined: boolean): void {
    if (port.mode !== 'filtered') return; // wide ports hear every group anyway
    const list = this.listeners.get(group) ?? [];
    this.listeners.set(group, joined ? withItem(list, port) : withoutItem(list, port));
  }
}
