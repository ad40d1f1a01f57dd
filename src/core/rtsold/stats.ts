/** rtsold's counters: RS sent, RAs taken and dropped by reason, options skipped, scripts run. */
import { DROP_REASONS, type DropReason } from './ra-policy.js';

export interface RtsoldStats {
  rsSent: number;
  /** -m: probes sent to the previous default routers when a link came back. */
  routerProbes: number;
  raAccepted: number;
  raDropped: Record<DropReason, number>;
  /** Options rtsold skipped inside accepted RAs, by why (the last two: sd-ndisc's option limits). */
  optionsIgnored: { 'rdnss-too-short': number; 'dnssl-too-short': number; 'length-zero': number; overrun: number; 'bad-name': number; 'too-many-options': number; 'duplicate-option': number };
  scriptsRun: number;
}

export function newStats(): RtsoldStats {
  return {
    rsSent: 0,
    routerProbes: 0,
    raAccepted: 0,
    raDropped: Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>,
    optionsIgnored: { 'rdnss-too-short': 0, 'dnssl-too-short': 0, 'length-zero': 0, overrun: 0, 'bad-name': 0, 'too-many-options': 0, 'duplicate-option': 0 },
    scriptsRun: 0,
  };
}
