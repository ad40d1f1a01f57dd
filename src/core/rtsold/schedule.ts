/**
 * When an interface's timer fires next (FreeBSD's rtsol_timer_update), for rtsold's classic
 * schedule and for RFC 7559's exponential back-off.
 */
import type { Random } from '../ports.js';
import type { Micros } from '../time.js';
import type { Backoff } from './config.js';
import type { IfState } from './interface-state.js';
import {
  DADRETRY,
  DOWN_RETRY,
  MAX_RTR_SOLICITATIONS,
  MAX_RTR_SOLICITATION_DELAY,
  MOBILITY_CHECK,
  PROBE_INTERVAL,
  RFC7559_JITTER,
  RFC7559_MAX_RT,
  RTR_SOLICITATION_INTERVAL,
} from './constants.js';

/** RFC 7559 2: RT = 2·RTprev + RAND·RTprev, capped at MRT + RAND·MRT, RAND uniform in ±10%. */
export function nextBackoff(prev: Micros | undefined, random: Random): Micros {
  const rand = (2 * random.next() - 1) * RFC7559_JITTER;
  if (prev === undefined) return Math.round(RTR_SOLICITATION_INTERVAL * (1 + rand));
  const rt = 2 * prev + rand * prev;
  return Math.round(rt > RFC7559_MAX_RT ? RFC7559_MAX_RT * (1 + rand) : rt);
}

/**
 * The interval until the interface's next timer, or undefined for none. Updates the interface's
 * retry and back-off counters as rtsold does.
 */
export function nextInterval(ifi: IfState, backoff: Backoff, mobility: boolean, random: Random): Micros | undefined {
  switch (ifi.status) {
    case 'DOWN':
    case 'TENTATIVE':
      if (++ifi.dadcount > DADRETRY) {
        ifi.dadcount = 0;
        return PROBE_INTERVAL;
      }
      return DOWN_RETRY;
    case 'IDLE':
      return mobility ? MOBILITY_CHECK : undefined;
    case 'DELAY':
      return random.int(0, MAX_RTR_SOLICITATION_DELAY - 1);
    case 'PROBE':
      if (backoff === 'rfc7559') {
        ifi.backoffRt = nextBackoff(ifi.backoffRt, random);
        return ifi.backoffRt;
      }
      // After the last RS, wait MAX_RTR_SOLICITATION_DELAY for a late answer (RFC 4861 6.3.7).
      return ifi.probes < MAX_RTR_SOLICITATIONS ? RTR_SOLICITATION_INTERVAL : MAX_RTR_SOLICITATION_DELAY;
  }
}
