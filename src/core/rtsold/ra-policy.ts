/**
 * How rtsold takes Router Advertisements (FreeBSD rtsol_input): the checks that drop one, in its
 * order, through the one RA acceptance path (wire/ndisc/validate.ts), and the message rtsold logs
 * for each. A malformed RDNSS or DNSSL option does not drop the RA: rtsold skips that option.
 * sd-ndisc's option limits apply to what it takes from an accepted RA.
 */
import type { Icmpv6Received } from '../ports.js';
import { SD_NDISC_LIMITS, type RaPolicy } from '../wire/ndisc/validate.js';

export const RA_POLICY = {
  drops: ['too-short', 'not-ra', 'code', 'hop-limit', 'source-not-link-local', 'unexpected-interface'],
  report: 'first',
  limits: SD_NDISC_LIMITS,
} as const satisfies RaPolicy;

export type DropReason = (typeof RA_POLICY.drops)[number];

export const DROP_REASONS: readonly DropReason[] = RA_POLICY.drops;

/** The original's words for a drop; `on` is the interface it arrived on. */
export function dropMessage(reason: DropReason, m: Icmpv6Received, on: string): string {
  switch (reason) {
    case 'too-short':
      return `packet size(${m.message.length}) is too short`;
    case 'not-ra':
      return `invalid icmp type(${m.message[0]}) from ${m.src} on ${on}`;
    case 'code':
      return `invalid icmp code(${m.message[1]}) from ${m.src} on ${on}`;
    case 'hop-limit':
      return `invalid RA with hop limit(${m.hopLimit}) from ${m.src} on ${on}`;
    case 'source-not-link-local':
      return `invalid RA with non link-local source from ${m.src} on ${on}`;
    case 'unexpected-interface':
      return `received RA from ${m.src} on an unexpected IF(${on})`;
  }
}
