/** The isatapd core: what adapters and commands build it from. */
export * from './config.js';
export * from './constants.js';
export { Isatapd, type IsatapdPorts, type IsatapdStats, type Phase } from './isatapd.js';
export { PotentialRouterList, type PrlEntry } from './prl.js';
export type { IsatapTunnel, TunnelFactory, TunnelParams } from './tunnel.js';
export { NextHopTable } from './dataplane/next-hop.js';
export { UserspaceTunnel, tunnelLinkLocal, type UserspaceOptions } from './dataplane/userspace.js';
export { UserspaceTunnelFactory, type BuildTunnel } from './dataplane/factory.js';
export { DataplaneCounters, DROP_REASONS as DATAPLANE_DROP_REASONS, type DropReason as DataplaneDropReason } from './dataplane/counters.js';
export { KernelTunnel, KernelTunnelFactory, type SitPort } from './kernel.js';
