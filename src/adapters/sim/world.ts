/**
 * One run's world, built from a Topology and a seed: the scheduler, the random streams, segments,
 * the underlay, DNS, the nodes (each with its NodeContext) and the timed events. The world knows
 * how to crash and restart a node; run.ts drives it and reports.
 */
import type { Log, Unsubscribe } from '../../core/ports.js';
import type { MacAddress } from '../../core/wire/mac-address.js';
import { NodeClock, type Scheduler } from './scheduler.js';
import { RandomStreams, type Prng } from './prng.js';
import type { TraceBus } from './trace.js';
import type { Capture } from './capture.js';
import { Cable, DEFAULT_FAULTS, mergeFaultSpecs, sampleFaults } from './faults.js';
import { Segment, type ExternalPort, type SegmentPort } from './segment.js';
import { Underlay, type UnderlayPort } from './underlay.js';
import { SimDns } from './dns.js';
import type { EthernetAttachment, ReceiveMode, UnderlayAttachment } from './link.js';
import type { NodeContext, NodeKind, SimNode } from './node.js';
import type { MediumEnv, PortOwner } from './medium.js';
import type { EventSpec, NodeSpec, Topology } from './topology/types.js';
import { LocatedError } from './topology/errors.js';

/** A node in the world: its spec, its instance, and whether it is running. */
export class NodeSlot implements PortOwner {
  alive = false;
  /** Subscriptions made while running: a crash ends them. */
  private scoped: Unsubscribe[] = [];
  readonly clock: NodeClock;
  node!: SimNode;
  readonly ethernet = new Map<string, SegmentPort>();
  readonly underlay = new Map<string, UnderlayPort>();
  crashes = 0;

  constructor(
    readonly spec: NodeSpec,
    scheduler: Scheduler,
  ) {
    this.clock = new NodeClock(scheduler);
  }

  get name(): string {
    return this.spec.name;
  }

  /** Keeps `off` to call at a crash when the subscription was made while running. */
  track(off: Unsubscribe): Unsubscribe {
    if (!this.alive) return off;
    this.scoped.push(off);
    return off;
  }

  start(): void {
    this.alive = true;
    this.node.start();
  }

  crash(): void {
    this.alive = false;
    this.clock.cancelAll();
    for (const off of this.scoped) off();
    this.scoped = [];
    for (const p of this.ethernet.values()) p.resetFilter();
    this.crashes++;
    this.node.crash();
  }
}

/** What a node sees of a segment port: the port itself, with its subscriptions tied to the node's life. */
function ethernetView(port: SegmentPort, slot: NodeSlot): EthernetAttachment {
  return {
    get node() {
      return port.node;
    },
    get ifname() {
      return port.ifname;
    },
    get segment() {
      return port.segment;
    },
    get mac(): MacAddress {
      return port.mac;
    },
    get mtu() {
      return port.mtu;
    },
    get up() {
      return port.up;
    },
    send: (frame) => port.send(frame),
    onFrame: (h) => slot.track(port.onFrame(h)),
    onCarrier: (h) => slot.track(port.onCarrier(h)),
    setReceiveMode: (mode: ReceiveMode) => port.setReceiveMode(mode),
    joinMulticast: (g) => port.joinMulticast(g),
    leaveMulticast: (g) => port.leaveMulticast(g),
  };
}

function underlayView(port: UnderlayPort, slot: NodeSlot): UnderlayAttachment {
  return {
    node: port.node,
    ifname: port.ifname,
    addresses: port.addresses,
    mtu: port.mtu,
    get up() {
      return port.up;
    },
    send: (packet) => port.send(packet),
    onPacket: (h) => slot.track(port.onPacket(h)),
    onCarrier: (h) => slot.track(port.onCarrier(h)),
  };
}

export interface WorldOptions {
  seed: number;
  trace: TraceBus;
  capture?: Capture;
  kinds: readonly NodeKind[];
}

export class World implements MediumEnv {
  readonly scheduler: Scheduler;
  readonly streams: RandomStreams;
  readonly trace: TraceBus;
  readonly capture?: Capture;
  readonly segments: Segment[] = [];
  readonly underlay: Underlay;
  readonly dns: SimDns;
  readonly nodes: NodeSlot[] = [];
  private readonly segmentByName = new Map<string, Segment>();
  private readonly nodeByName = new Map<string, NodeSlot>();

  constructor(
    readonly topology: Topology,
    opts: WorldOptions & { scheduler: Scheduler },
  ) {
    this.scheduler = opts.scheduler;
    this.streams = new RandomStreams(opts.seed);
    this.trace = opts.trace;
    this.capture = opts.capture;
    this.underlay = new Underlay(this);
    this.dns = new SimDns(topology.dns, this.trace);
    for (const s of topology.segments) {
      const seg = new Segment(s.name, this);
      this.segments.push(seg);
      this.segmentByName.set(s.name, seg);
    }
    const kinds = new Map(opts.kinds.map((k) => [k.kind, k]));
    for (const spec of topology.nodes) this.addNode(spec, kinds.get(spec.kind)!);
  }

  /** A port for something outside the run on segment `segment` (wall-clock mode's bridge). */
  attachExternal(segment: string, name: string, deliver: (frame: Uint8Array) => void): ExternalPort {
    const seg = this.segmentByName.get(segment);
    if (!seg) throw new RangeError(`no segment "${segment}" (segments: ${[...this.segmentByName.keys()].join(', ') || 'none'})`);
    const spec = this.topology.segments.find((s) => s.name === segment)!;
    return seg.attachExternal(name, deliver, this.cable(`link:${segment}/external:${name}`, { latency: spec.faults.latency ?? DEFAULT_FAULTS.latency }));
  }

  segment(name: string): Segment | undefined {
    return this.segmentByName.get(name);
  }

  node(name: string): NodeSlot | undefined {
    return this.nodeByName.get(name);
  }

  private cable(streamName: string, faults: ReturnType<typeof mergeFaultSpecs>): Cable {
    return new Cable(sampleFaults(faults, this.streams.stream(`${streamName}/sample`)), this.streams, streamName);
  }

  private addNode(spec: NodeSpec, kind: NodeKind): void {
    const slot = new NodeSlot(spec, this.scheduler);
    this.nodes.push(slot);
    this.nodeByName.set(spec.name, slot);
    for (const i of spec.interfaces) {
      if (i.type === 'ethernet') {
        const seg = this.segmentByName.get(i.segment!)!;
        const segSpec = this.topology.segments.find((s) => s.name === i.segment)!;
        const cable = this.cable(`link:${seg.name}/${spec.name}:${i.ifname}`, mergeFaultSpecs(segSpec.faults, i.faults));
        slot.ethernet.set(i.ifname, seg.attach({ node: spec.name, ifname: i.ifname, mac: i.mac, mtu: i.mtu, cable, owner: slot, up: i.up }));
      } else {
        const cable = this.cable(`link:underlay/${spec.name}:${i.ifname}`, mergeFaultSpecs(this.topology.underlay.faults, i.faults));
        const addresses = i.ipv4.map((a) => a.address);
        slot.underlay.set(i.ifname, this.underlay.attach({ node: spec.name, ifname: i.ifname, addresses, mtu: i.mtu, cable, owner: slot, up: i.up }));
      }
    }
    const ctx = this.context(slot);
    try {
      slot.node = kind.create(spec.config, ctx);
    } catch (err) {
      throw located(err, spec);
    }
  }

  private context(slot: NodeSlot): NodeContext {
    const spec = slot.spec;
    const trace = this.trace;
    const name = spec.name;
    const log: Log = {
      emit: (e) => {
        if (trace.wants('log')) trace.emit({ ...e.fields, event: 'log', node: name, level: e.level, name: e.event, msg: e.msg });
      },
    };
    const random: Prng = this.streams.stream(`node:${name}`);
    return {
      name,
      clock: slot.clock,
      random,
      stream: (sub) => this.streams.stream(`node:${name}/${sub}`),
      trace,
      log,
      resolver: this.dns.resolver(slot.clock),
      ethernet: (ifname) => {
        const port = slot.ethernet.get(ifname);
        if (!port) throw new Error(`${name} has no Ethernet interface "${ifname}" (it has ${[...slot.ethernet.keys()].join(', ') || 'none'})`);
        return ethernetView(port, slot);
      },
      underlay: (ifname) => {
        const port = slot.underlay.get(ifname);
        if (!port) throw new Error(`${name} has no underlay interface "${ifname}" (it has ${[...slot.underlay.keys()].join(', ') || 'none'})`);
        return underlayView(port, slot);
      },
      interfaces: spec.interfaces.map((i) => ({ ifname: i.ifname, type: i.type, ipv4: i.ipv4, ipv6: i.ipv6 })),
      ...(spec.replica !== undefined ? { replica: spec.replica } : {}),
    };
  }

  /** Schedules every node's boot and every timed event (in that order, so ties favour boots). */
  schedule(): void {
    for (const slot of this.nodes) {
      this.scheduler.schedule(slot.spec.startAt, () => {
        this.trace.emit({ event: 'node.start', node: slot.name });
        slot.start();
      });
    }
    for (const e of this.topology.events) this.scheduler.schedule(e.at, () => this.fire(e));
  }

  crash(name: string): void {
    const slot = this.nodeByName.get(name)!;
    if (!slot.alive) return;
    this.trace.emit({ event: 'node.crash', node: name });
    slot.crash();
  }

  restart(name: string): void {
    const slot = this.nodeByName.get(name)!;
    if (slot.alive) return;
    this.trace.emit({ event: 'node.restart', node: name });
    slot.start();
  }

  /** Runs a timed event. */
  fire(e: EventSpec): void {
    this.trace.emit({ event: 'event', index: e.index, do: e.do });
    switch (e.do) {
      case 'linkDown':
      case 'linkUp': {
        const slot = this.nodeByName.get(e.node)!;
        const port = slot.ethernet.get(e.iface) ?? slot.underlay.get(e.iface)!;
        port.setLink(e.do === 'linkUp');
        break;
      }
      case 'crash':
        this.crash(e.node);
        break;
      case 'restart':
        this.restart(e.node);
        break;
      case 'partition': {
        const seg = this.segmentByName.get(e.segment)!;
        seg.partition(e.groups.map((g) => g.map((label) => {
          const [node, iface] = label.split(':');
          return this.nodeByName.get(node)!.ethernet.get(iface)!;
        })));
        break;
      }
      case 'heal':
        this.segmentByName.get(e.segment)!.heal();
        break;
      case 'tell':
        for (const name of e.nodes) {
          const slot = this.nodeByName.get(name)!;
          if (!slot.alive) continue; // a crashed node hears nothing
          if (!slot.node.handle) throw new Error(`event ${e.index}: a ${slot.spec.kind} node handles no events`);
          slot.node.handle(e.event);
        }
        break;
      case 'dns':
        this.dns.set(e.name, e.addresses);
        break;
    }
  }
}

/** An error from a node kind's create(), placed at the node's config when it names a field. */
function located(err: unknown, spec: NodeSpec): Error {
  const message = err instanceof Error ? err.message : String(err);
  const m = /^(?:[A-Za-z0-9_.-]+: )?config([^ ]*?): (.*)$/s.exec(message);
  if (m) {
    const tail: Array<string | number> = [];
    for (const part of m[1].matchAll(/\.([^.[]+)|\[(\d+)\]/g)) tail.push(part[1] !== undefined ? part[1] : Number(part[2]));
    return new LocatedError([...spec.path, 'config', ...tail], `${spec.name}: ${m[2]}`);
  }
  return new LocatedError(spec.path, `${spec.name}: ${message}`, true);
}
