/**
 * How isatapd takes Router Advertisements (rdisc.c recvfromLL, recvadv, parseadv): the checks
 * that drop one, in the original's order, through the one RA acceptance path
 * (wire/ndisc/validate.ts): hop limit 255, at least 16 bytes, type 134, code 0, received on the
 * tunnel, from the link-local address of an entry in the list, and parseable, where a broken
 * Prefix or Route Information option made the original give up on the whole RA. Each refusal is
 * counted under its reason and logged with the original's words. sd-ndisc's option limits apply
 * to what it takes from an accepted RA.
 */
import type { Ipv6Address } from '../wire/ipv6-address.js';
import { SD_NDISC_LIMITS, type RaPolicy } from '../wire/ndisc/validate.js';

export const RA_POLICY = {
  drops: ['hop-limit', 'too-short', 'not-ra', 'code', 'unexpected-interface', 'unsolicited', 'malformed-option'],
  report: 'first',
  strictOptions: ['prefix-info', 'route-info'],
  limits: SD_NDISC_LIMITS,
} as const satisfies RaPolicy;

export type RaDropReason = (typeof RA_POLICY.drops)[number];

export const RA_DROP_REASONS: readonly RaDropReason[] = RA_POLICY.drops;

/** The original's log line for a refusal, where it logged one. */
export function dropMessage(reason: RaDropReason, from: Ipv6Address): string | undefined {
  switch (reason) {
    case 'unexpected-interface':
      return `Ignoring Advertisement from ${from} (scope mismatch)`;
    case 'unsolicited':
      return `Ignoring Advertisement from ${from} (unsolicited)`;
    case 'malformed-option':
      return `Ignoring Advertisement from ${from} (parse error)`;
    default:
      return undefined;
  }
}
