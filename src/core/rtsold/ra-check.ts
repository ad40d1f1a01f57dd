/**
 * rtsold's acceptance checks on a received Router Advertisement (FreeBSD rtsol_input), in its
 * order, each with the reason it is counted under and the message it logs.
 */
import type { Icmpv6Received } from '../ports.js';
import * as ra from '../wire/ndisc/router-advert.js';
import { ICMPV6_TYPE } from '../wire/icmpv6-types.js';

export type DropReason = 'too-short' | 'not-ra' | 'code' | 'hop-limit' | 'source-not-link-local' | 'unexpected-interface';

export const DROP_REASONS: readonly DropReason[] = ['too-short', 'not-ra', 'code', 'hop-limit', 'source-not-link-local', 'unexpected-interface'];

export interface Drop {
  reason: DropReason;
  msg: string;
}

/** Returns why the message must be dropped, or null when rtsold accepts it. */
export function checkRa(m: Icmpv6Received, ifname: string | undefined, ifnameOf: (ifindex: number) => string): Drop | null {
  const on = ifname ?? ifnameOf(m.ifindex);
  const b = m.message;
  if (b.length < ra.FIXED_LENGTH) return { reason: 'too-short', msg: `packet size(${b.length}) is too short` };
  if (b[0] !== ICMPV6_TYPE['router-advert']) return { reason: 'not-ra', msg: `invalid icmp type(${b[0]}) from ${m.src} on ${on}` };
  if (b[1] !== 0) return { reason: 'code', msg: `invalid icmp code(${b[1]}) from ${m.src} on ${on}` };
  if (m.hopLimit !== 255) return { reason: 'hop-limit', msg: `invalid RA with hop limit(${m.hopLimit}) from ${m.src} on ${on}` };
  if (!m.src.isLinkLocal) return { reason: 'source-not-link-local', msg: `invalid RA with non link-local source from ${m.src} on ${on}` };
  if (ifname === undefined) return { reason: 'unexpected-interface', msg: `received RA from ${m.src} on an unexpected IF(${on})` };
  return null;
}
