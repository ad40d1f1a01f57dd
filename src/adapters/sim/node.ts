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
import type { Ipv4Address } from '../../core/wire/ipv4-address.js';
import type { Ipv6Address } from '../../core/wire/ipv6-address.js';

/** A timed event from the topology file aimed at a node (config change, DNS change, ...). */
export interface NodeEvent {
  action: string;
  [field: string]: unknown;
}

export interface SimNode {
  readonly name: string;
  readonly kind: string;
  /**
   * Called when the node boots (its `startAt`, default 0), and again after a restart (with fresh
   * volatile state).
   */
  start(): void;
  /**
   * The node crashed: drop volatile state. Its timers are already cancelled, subscriptions it made
   * since start() are already ended (those made in create() stay, but nothing is delivered until
   * the restart), and its NICs' receive filters are back to 'allmulti'.
   */
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
  /**
   * This node's declared interfaces, in declaration order, with the addresses the topology gives
   * them (`ipv4:` / `ipv6:` on the interface; replicas of a `count:` node get consecutive ones).
   */
  readonly interfaces: ReadonlyArray<NodeInterface>;
  /** For a replica of a `count:` node, its number (the `{i}` in its name); otherwise undefined. */
  readonly replica?: number;
}

export interface NodeInterface {
  ifname: string;
  type: 'ethernet' | 'underlay';
  ipv4: ReadonlyArray<{ address: Ipv4Address; prefixLength: number }>;
  ipv6: ReadonlyArray<{ address: Ipv6Address; prefixLength: number }>;
}

export interface NodeKind<Config = unknown> {
  /** The `kind:` value in topology files. */
  readonly kind: string;
  /** JSON Schema (draft 2020-12) of the node's `config:` mapping. */
  readonly configSchema: Record<string, unknown>;
  /** What the kind is, in a line, for `linklab sim schema` and error messages. */
  readonly description?: string;
  /**
   * Timed `tell` events this kind handles: action -> JSON Schema of the event's other fields.
   * When given, topology files are checked against it at load time (an unknown action is an error
   * with a file position instead of a failure in the middle of a run).
   */
  readonly events?: Record<string, Record<string, unknown>>;
  create(config: Config, ctx: NodeContext): SimNode;
}
