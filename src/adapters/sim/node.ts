/**
 * Simulated nodes. Each node kind (kernel host, router, ISATAP router, fuzzer, daemon hosts)
 * registers a NodeKind: its config schema for topology files and a factory. The engine gives each
 * node a NodeContext and drives it with start / crash / restart and timed events.
 */
import type { Log, Resolver } from '../../core/ports.js';
import type { NodeClock } from './scheduler.js';
import type { Prng } from './prng.js';
import type { Tracer } from './trace.js';
import type { EthernetAttachment, UnderlayAttachment } from './link.js';

/** A timed event from the topology file aimed at a node (config change, DNS change, ...). */
export interface NodeEvent {
  action: string;
  [field: string]: unknown;
}

export interface SimNode {
  readonly name: string;
  readonly kind: string;
  /** Called when the run starts, and again after a restart (with fresh volatile state). */
  start(): void;
  /** The node crashed: drop volatile state. Its timers are already cancelled. */
  crash(): void;
  /** A timed topology event for this node; unknown actions throw an Error naming the action. */
  handle?(e: NodeEvent): void;
  /** Queries expectations may make ("addresses", "neighbors", "store"...), by name. */
  query?(what: string, args?: Record<string, unknown>): unknown;
  /** Counters and state for the run summary. */
  summary?(): Record<string, unknown>;
}

export interface NodeContext {
  readonly name: string;
  /** This node's clock: its timers die with it when it crashes. */
  readonly clock: NodeClock;
  /** The node's own random stream (`node:<name>`). */
  readonly random: Prng;
  /** A further named stream of this node (`node:<name>/<sub>`). */
  stream(sub: string): Prng;
  readonly trace: Tracer;
  /** A Log port that writes `log` trace events for this node. */
  readonly log: Log;
  /** The simulated DNS (hosts of the topology, changed by `dns` events). */
  readonly resolver: Resolver;
  /** Interfaces declared for this node in the topology, by name. */
  ethernet(ifname: string): EthernetAttachment;
  underlay(ifname: string): UnderlayAttachment;
  /** Names of this node's declared interfaces, in declaration order. */
  readonly interfaces: ReadonlyArray<{ ifname: string; type: 'ethernet' | 'underlay' }>;
}

export interface NodeKind<Config = unknown> {
  /** The `kind:` value in topology files. */
  readonly kind: string;
  /** JSON Schema (draft 2020-12) of the node's `config:` mapping. */
  readonly configSchema: Record<string, unknown>;
  create(config: Config, ctx: NodeContext): SimNode;
}
