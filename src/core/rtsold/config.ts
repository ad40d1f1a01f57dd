/** rtsold's settings, as its flags give them (rtsold.8; the flags themselves: options.ts). */
import { firstProblem } from '../option-table.js';
import type { BACKOFFS } from './options.js';
import { DEFAULT_RESOLVCONF, OPTIONS, interfacesProblem } from './options.js';

export type Backoff = (typeof BACKOFFS)[number];

export interface RtsoldConfig {
  /** Interfaces by name; empty with `auto` (-a). */
  interfaces: string[];
  /** -a: pick interfaces by rtsold's rule. */
  auto: boolean;
  /** -1: exit once every interface has an answer or gave up. */
  once: boolean;
  /** -m: re-check the link every 3 s while idle and probe again on a change. */
  mobility: boolean;
  /** -F: set accept_ra and clear forwarding on each interface. */
  forceSysctl: boolean;
  /** -O: run with the interface name when the O flag turns on. */
  otherScript?: string;
  /** -R: receives RDNSS/DNSSL (default the system's resolvconf). */
  resolvScript: string;
  /** -u: one script call per RA source, `IF:slaac:[source]`. */
  perSource: boolean;
  /** `classic`: 3 RS then give up (rtsold); `rfc7559`: exponential back-off, never give up. */
  backoff: Backoff;
}

export { DEFAULT_RESOLVCONF };

export function defaultConfig(partial: Partial<RtsoldConfig> = {}): RtsoldConfig {
  return {
    interfaces: [],
    auto: false,
    once: false,
    mobility: false,
    forceSysctl: false,
    resolvScript: DEFAULT_RESOLVCONF,
    perSource: false,
    backoff: 'classic',
    ...partial,
  };
}

/**
 * What is wrong with a configuration, as [setting, message], or undefined: rtsold's usage rule for
 * interfaces, then each setting's rule (options.ts).
 */
export function configProblem(c: RtsoldConfig): [string, string] | undefined {
  const interfaces = interfacesProblem(c.auto, c.interfaces);
  if (interfaces !== undefined) return ['interfaces', interfaces];
  return firstProblem(OPTIONS, c as unknown as Record<string, unknown>);
}
