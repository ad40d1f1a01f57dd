/** Protocol constants of RFC 4861 10 and RFC 7559, and rtsold's own. */
import { SECOND } from '../time.js';

export const MAX_RTR_SOLICITATION_DELAY = 1 * SECOND;
export const RTR_SOLICITATION_INTERVAL = 4 * SECOND;
export const MAX_RTR_SOLICITATIONS = 3;
/** rtsold retries a down or tentative interface every second, and every PROBE_INTERVAL after DADRETRY tries. */
export const DOWN_RETRY = 1 * SECOND;
export const DADRETRY = 10;
export const PROBE_INTERVAL = 60 * SECOND;
/** With -m, the link is re-checked this often while idle. */
export const MOBILITY_CHECK = 3 * SECOND;
/** RFC 7559: the retransmission time never exceeds MRT. */
export const RFC7559_MAX_RT = 3600 * SECOND;
/** RFC 7559: each retransmission time is randomised by ±10%. */
export const RFC7559_JITTER = 0.1;
/** resolv.conf(5) limits that rtsold applies to the search line. */
export const MAX_SEARCH_DOMAINS = 6;
export const MAX_SEARCH_LINE = 256;
export const INFINITE_LIFETIME = 0xffff_ffff;
