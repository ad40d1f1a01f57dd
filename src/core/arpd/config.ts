/** arpd's settings, as its flags give them (arpd.8), plus linklab's size bound and expiry. */
import { ArpdError } from './errors.js';

export interface ArpdConfig {
  /** Interfaces to watch; empty means all (and then no sysctl is touched). */
  interfaces: string[];
  /** -a N: broadcast queries before a destination counts as dead; 0 = passive. */
  activeProbes: number;
  /** -k: suppress the kernel's own broadcast queries (mcast_solicit 0). */
  suppressKernel: boolean;
  /** -n: negative cache timeout, seconds. */
  negativeTimeout: number;
  /** -p: seconds between syncs of the database (the original polled the kernel table). */
  pollInterval: number;
  /** -R: steady broadcast rate, per second. */
  rate: number;
  /** -B: broadcasts allowed back to back. */
  burst: number;
  /** Most entries kept; beyond it the eviction rule in database.ts applies. */
  maxEntries: number;
  /** Seconds after which an entry not heard from again is dropped; 0 keeps entries forever. */
  expireAfter: number;
}

export function defaultConfig(partial: Partial<ArpdConfig> = {}): ArpdConfig {
  return {
    interfaces: [],
    activeProbes: 0,
    suppressKernel: false,
    negativeTimeout: 60,
    pollInterval: 30,
    rate: 1,
    burst: 3,
    maxEntries: 1 << 20,
    expireAfter: 0,
    ...partial,
  };
}

/** The sysctl values arpd sets on each named interface (iproute2 arpd's do_sysctl_adjustments). */
export function sysctlValues(c: Pick<ArpdConfig, 'activeProbes' | 'suppressKernel'>): { app_solicit: string; mcast_solicit?: string } {
  const a = c.activeProbes;
  const appSolicit = String(a <= 1 ? 1 : a);
  if (a === 0) return { app_solicit: appSolicit };
  return { app_solicit: appSolicit, mcast_solicit: c.suppressKernel ? '0' : String(a >= 2 ? 1 : 3 - a) };
}

/**
 * Checks settings the way the original checks its flags, with its messages (the command exits
 * 255 with them); linklab's own settings get messages naming the setting.
 */
export function checkConfig(c: ArpdConfig): void {
  if (!(c.pollInterval * 1000 >= 100)) throw new ArpdError('Invalid poll timeout');
  if (!Number.isInteger(c.rate) || c.rate <= 0 || Math.trunc(1000 / c.rate) <= 0) throw new ArpdError('Invalid ARP rate');
  if (!Number.isInteger(c.burst) || c.burst <= 0) throw new ArpdError('Invalid ARP burst');
  if (!Number.isInteger(c.activeProbes) || c.activeProbes < 0 || c.activeProbes > 255) throw new ArpdError(`Invalid number of probes: ${c.activeProbes} (0 to 255)`);
  if (!Number.isInteger(c.negativeTimeout) || c.negativeTimeout < 0) throw new ArpdError(`Invalid negative cache timeout: ${c.negativeTimeout}`);
  if (!Number.isInteger(c.maxEntries) || c.maxEntries < 16) throw new ArpdError(`Invalid database size bound: ${c.maxEntries} (at least 16)`);
  if (!Number.isInteger(c.expireAfter) || c.expireAfter < 0) throw new ArpdError(`Invalid expiry: ${c.expireAfter}`);
}
