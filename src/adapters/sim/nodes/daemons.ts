/**
 * Daemon cores that can run on a simulated host (`kind: daemon`, `config.core`). Each daemon's
 * issue adds its factory here; the factory builds the core from its options and the host's ports
 * (the same contracts the Linux adapters implement), and the node drives it.
 */
import type { DaemonCoreFactory } from './daemon-core.js';
import { arpdCore } from './arpd-core.js';
import { isatapdCore } from './isatapd-core.js';
import { rtsoldCore } from './rtsold-core.js';

export type { HostPorts } from './kernel/ports/index.js';
export type { DaemonCore, DaemonCoreFactory } from './daemon-core.js';

/** The registry, by core name ("rtsold", "arpd", "isatapd"). */
export const daemonCores: Record<string, DaemonCoreFactory> = {
  arpd: arpdCore,
  isatapd: isatapdCore,
  rtsold: rtsoldCore,
};
