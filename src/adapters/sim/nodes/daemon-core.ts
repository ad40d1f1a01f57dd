/** What a daemon core looks like to the `daemon` node: the contract each core's sim factory meets. */
import type { NodeContext, NodeEvent } from '../node.js';
import type { HostPorts } from './kernel/ports/index.js';

export type { HostPorts } from './kernel/ports/index.js';

/** A running daemon core, as the `daemon` node sees it. */
export interface DaemonCore {
  /** Starts the program; throwing means it exited at once (a bad option, an unusable interface). */
  start(): void;
  /** SIGTERM: the program cleans up (restores sysctls, sends what it sends on exit) and ends. */
  stop(): void;
  /** Queries expectations make of the program ("state", "database"...); undefined when unknown. */
  query?(what: string, args?: Record<string, unknown>): unknown;
  summary?(): Record<string, unknown>;
  /** A timed event for the program (`signal` {name: SIGHUP}...); false when it does not know the action. */
  handle?(e: NodeEvent): boolean;
}

export type DaemonCoreFactory = ((options: Record<string, unknown>, ports: HostPorts, ctx: NodeContext) => DaemonCore) & {
  /** Checks options when the topology loads; throws an Error naming the option at fault. */
  validate?(options: Record<string, unknown>): void;
  /** JSON Schema of the options, for documentation. */
  optionsSchema?: Record<string, unknown>;
  /** Timed events the core handles: action -> JSON Schema of the other fields. */
  events?: Record<string, Record<string, unknown>>;
};
