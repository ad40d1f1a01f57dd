/**
 * Which Router Advertisements isatapd takes (rdisc.c recvfromLL, recvadv, parseadv), in the
 * original's order: hop limit 255, at least 16 bytes, type 134, code 0, received on the tunnel,
 * from the link-local address of an entry in the list, and parseable. Anything else changes
 * nothing; each refusal is counted under its reason and logged with the original's words.
 */
import type { Icmpv6Received } from '../ports.js';
import { DecodeError } from '../wire/errors.js';
import * as ra from '../wire/ndisc/router-advert.js';
import type { RouterAdvert } from '../wire/ndisc/router-advert.js';
import { ICMPV6_TYPE, ND_OPTION_TYPE } from '../wire/icmpv6-types.js';
import type { PrlEntry } from './prl.js';

export type RaDropReason = 'hop-limit' | 'too-short' | 'not-ra' | 'code' | 'scope' | 'unsolicited' | 'parse-error';

export const RA_DROP_REASONS: readonly RaDropReason[] = ['hop-limit', 'too-short', 'not-ra', 'code', 'scope', 'unsolicited', 'parse-error'];

export type RaCheck =
  | { ok: true; entry: PrlEntry; ra: RouterAdvert }
  | { ok: false; reason: RaDropReason; /** The original's log line, where it logged one. */ msg?: string };

/** The option kinds whose broken body made the original give up on the whole RA. */
const STRICT_OPTIONS = new Set<number>([ND_OPTION_TYPE['prefix-info'], ND_OPTION_TYPE['route-info']]);

export function checkRa(m: Icmpv6Received, tunnelIfindex: number, find: (ll: Icmpv6Received['src']) => PrlEntry | undefined): RaCheck {
  const b = m.message;
  if (m.hopLimit !== 255) return { ok: false, reason: 'hop-limit' };
  if (b.length < ra.FIXED_LENGTH) return { ok: false, reason: 'too-short' };
  if (b[0] !== ICMPV6_TYPE['router-advert']) return { ok: false, reason: 'not-ra' };
  if (b[1] !== 0) return { ok: false, reason: 'code' };
  if (m.ifindex !== tunnelIfindex) return { ok: false, reason: 'scope', msg: `Ignoring Advertisement from ${m.src} (scope mismatch)` };
  const entry = find(m.src);
  if (!entry) return { ok: false, reason: 'unsolicited', msg: `Ignoring Advertisement from ${m.src} (unsolicited)` };
  const parseError: RaCheck = { ok: false, reason: 'parse-error', msg: `Ignoring Advertisement from ${m.src} (parse error)` };
  let adv: RouterAdvert;
  try {
    adv = ra.decode(b);
  } catch (err) {
    if (err instanceof DecodeError) return parseError;
    throw err;
  }
  for (const o of adv.options) if (o.kind === 'malformed' && o.cause === 'contents' && STRICT_OPTIONS.has(o.bytes[0])) return parseError;
  return { ok: true, entry, ra: adv };
}
