/**
 * Daemon cores that can run on a simulated host (`kind: daemon`, `config.core`). Each daemon's
 * issue adds its factory here; the factory builds the core from its options and the host's ports
 * (the same contracts the Linux adapters implement), and the node drives it.
 */
import type { NodeContext, NodeEvent } from '../node.js';
import type { HostPorts } from './kernel/ports/index.js';
import { arpdCore } from './arpd-core.js';
import { isatapdCore } from './isatapd-core.js';
import { rtsoldCore } from './rtsold-core.js';

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

/** The registry, by core name ("rtsold", "arpd", "isatapd"). */
export const daemonCores: Record<string, DaemonCoreFactory> = {
  arpd: arpdCore,
  isatapd: isatapdCore,
  rtsold: rtsoldCore,
};
