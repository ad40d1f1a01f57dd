export { Rtsold, RtsoldError, type RtsoldPorts } from './rtsold.js';
export type { RtsoldStats } from './stats.js';
export { defaultConfig, DEFAULT_RESOLVCONF, type RtsoldConfig, type Backoff } from './config.js';
export type { IfState, IfStatus } from './interface-state.js';
export { resolvText } from './dns-info.js';
export { sec2str, statsText } from './dump.js';
