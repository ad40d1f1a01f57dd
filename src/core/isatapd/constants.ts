/** isatapd's defaults and timing constants (isatapd 0.9.7, isatap.h; RFC 4861 10, RFC 5214 8.3). */
import { SECOND } from '../time.js';

export const DEFAULT_TUNNEL_NAME = 'is0';
export const DEFAULT_ROUTER_NAME = 'isatap';
export const DEFAULT_UNPRIV_USERNAME = 'nobody';
export const DEFAULT_TTL = 64;
/** --interval auto: in effect "as long as the RA allows". */
export const DEFAULT_RS_INTERVAL = 65536;
export const DEFAULT_PRLREFRESHINTERVAL = 3600;
/** The man page's limit on potential routers (names given). */
export const MAX_ROUTERS = 10;

export const MAX_RTR_SOLICITATION_DELAY = 1 * SECOND;
export const RTR_SOLICITATION_INTERVAL = 4 * SECOND;
export const MAX_RTR_SOLICITATIONS = 3;
/** Seconds: the floor of --interval and --check-dns, and of the next RS after an RA. */
export const DEFAULT_MINROUTERSOLICITINTERVAL = 120;
/** Seconds between checks while the link or the first router is unusable. */
export const WAIT_FOR_LINK = 60;
/** Seconds between lookups while no router name resolves. */
export const WAIT_FOR_PRL = 60;

/** IFNAMSIZ - 1: the longest interface name Linux takes. */
export const MAX_IFNAME = 15;
export const MIN_MTU = 1280;
/** The SIT driver's MTU when it cannot learn the link's: 1500 minus the IPv4 header. */
export const DEFAULT_TUNNEL_MTU = 1480;
