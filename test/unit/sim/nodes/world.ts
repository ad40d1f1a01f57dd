/**
 * Small worlds for node-model tests, built through the engine's public API (topology text, then a
 * Simulation), so the tests do not depend on engine internals. Frames are captured as sent.
 */
import { loadTopology } from '../../../../src/adapters/sim/topology/load.js';
import { Simulation } from '../../../../src/adapters/sim/run.js';
import type { TraceEvent } from '../../../../src/adapters/sim/trace.js';
import type { NodeKind } from '../../../../src/adapters/sim/node.js';
import { nodeKinds } from '../../../../src/adapters/sim/nodes/registry.js';
import * as packet from '../../../../src/core/wire/packet.js';

export interface Sent {
  t: number;
  node: string;
  iface: string;
  frame: Uint8Array;
  decoded: packet.Packet | undefined;
}

export class TestWorld {
  readonly sim: Simulation;
  readonly sent: Sent[] = [];

  constructor(yaml: string, opts: { seed?: number; kinds?: readonly NodeKind[] } = {}) {
    const kinds = opts.kinds ?? nodeKinds;
    this.sim = new Simulation(loadTopology(yaml, { kinds }), { seed: opts.seed ?? 1, keepTrace: true, traceFrames: false, kinds });
    for (const seg of this.sim.world.segments) {
      seg.onTransmit((from, frame) => {
        let decoded: packet.Packet | undefined;
        try {
          decoded = packet.decode(frame);
        } catch {
          decoded = undefined;
        }
        this.sent.push({ t: this.sim.scheduler.now(), node: from.node, iface: from.ifname, frame, decoded });
      });
    }
  }

  /** Runs to `seconds` of virtual time. */
  until(seconds: number): this {
    this.sim.runUntil(Math.round(seconds * 1e6));
    return this;
  }

  get now(): number {
    return this.sim.scheduler.now();
  }

  events(name: string, node?: string): TraceEvent[] {
    return this.sim.trace.events.filter((e) => e.event === name && (node === undefined || e.node === node));
  }

  query<T = Array<Record<string, unknown>>>(node: string, what: string, args?: Record<string, unknown>): T {
    return this.sim.world.node(node)!.node.query!(what, args) as T;
  }

  node<T>(name: string): T {
    return this.sim.world.node(name)!.node as unknown as T;
  }

  /** Frames a node sent whose ICMPv6 message is of `kind`. */
  icmp(node: string, kind: string): Sent[] {
    return this.sent.filter((s) => s.node === node && s.decoded?.icmpv6?.kind === kind);
  }

  crash(node: string): void {
    this.sim.world.crash(node);
  }

  restart(node: string): void {
    this.sim.world.restart(node);
  }

  tell(node: string, event: { action: string; [k: string]: unknown }): void {
    this.sim.world.node(node)!.node.handle!(event);
  }

  link(node: string, iface: string, up: boolean): void {
    const slot = this.sim.world.node(node)!;
    (slot.ethernet.get(iface) ?? slot.underlay.get(iface))!.setLink(up);
  }
}

export const s = (micros: number): number => micros / 1e6;
