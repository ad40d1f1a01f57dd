export { Rtsold, RtsoldError, type RtsoldPorts, type RtsoldStats } from './rtsold.js';
export { defaultConfig, DEFAULT_RESOLVCONF, type RtsoldConfig, type Backoff } from './config.js';
export type { IfState, IfStatus } from './interface-state.js';
export { resolvText } from './dns-info.js';
export { sec2str, statsText } from './dump.js';
