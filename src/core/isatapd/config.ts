/**
 * isatapd's settings and the checks its options get (isatapd 0.9.7 parse_options), with the
 * original's messages. `usage: true` errors print the usage text after the message; all exit 1.
 */
import {
  DEFAULT_MINROUTERSOLICITINTERVAL,
  DEFAULT_PRLREFRESHINTERVAL,
  DEFAULT_ROUTER_NAME,
  DEFAULT_RS_INTERVAL,
  DEFAULT_TTL,
  DEFAULT_TUNNEL_NAME,
  MAX_IFNAME,
  MAX_ROUTERS,
  MIN_MTU,
} from './constants.js';

export type DataplaneMode = 'kernel' | 'userspace';

export interface IsatapdConfig {
  /** -n: the tunnel interface. */
  name: string;
  /** -l: the IPv4 link device; undefined is "auto" (the route towards the first router). */
  link: string | undefined;
  /** -m: tunnel MTU; 0 is auto (the link's MTU minus 20, or 1480). */
  mtu: number;
  /** -t: outer TTL; 0 is inherit (the inner hop limit). */
  ttl: number;
  /** Not -N: set DF on outer packets. */
  pmtudisc: boolean;
  /** -r and positional: names or IPv4 literals, in the order given. */
  routers: string[];
  /** -i: seconds, the longest wait between RSs to a router that answered. */
  interval: number;
  /** -D: seconds between DNS re-checks of the router names; 0 disables. */
  checkDns: number;
  /** --dataplane: the kernel's SIT ISATAP driver, or TUN plus protocol 41 in this process. */
  dataplane: DataplaneMode;
}

export class IsatapdConfigError extends Error {
  override readonly name = 'IsatapdConfigError';

  constructor(
    message: string,
    /** The original prints its usage text after this message. */
    readonly usage: boolean,
  ) {
    super(message);
  }
}

export function defaultConfig(partial: Partial<IsatapdConfig> = {}): IsatapdConfig {
  return {
    name: DEFAULT_TUNNEL_NAME,
    link: undefined,
    mtu: 0,
    ttl: DEFAULT_TTL,
    pmtudisc: true,
    routers: [DEFAULT_ROUTER_NAME],
    interval: DEFAULT_RS_INTERVAL,
    checkDns: DEFAULT_PRLREFRESHINTERVAL,
    dataplane: 'userspace',
    ...partial,
  };
}

/** A whole decimal number, or null (the original's sscanf/atoi took "12abc"; linklab does not). */
function cardinal(text: string): number | null {
  return /^\d{1,10}$/.test(text.trim()) ? Number(text.trim()) : null;
}

/** -t: auto|inherit is 0, else 1..255. */
export function parseTtl(text: string): number {
  if (text === 'auto' || text === 'inherit') return 0;
  const n = cardinal(text);
  if (n === null || n <= 0 || n > 255) throw new IsatapdConfigError(`invalid ttl -- ${text}`, true);
  return n;
}

/** -m: auto or 0 is 0, else at least 1280 (IPv6's minimum link MTU) and at most 65535. */
export function parseMtu(text: string): number {
  if (text === 'auto' || text === '0') return 0;
  const n = cardinal(text);
  if (n === null || n < MIN_MTU || n > 65535) throw new IsatapdConfigError(`invalid mtu -- ${text}`, true);
  return n;
}

/** -i: auto, else seconds >= 120. */
export function parseInterval(text: string): number {
  if (text === 'auto') return DEFAULT_RS_INTERVAL;
  const n = cardinal(text);
  if (n === null) throw new IsatapdConfigError(`invalid cardinal -- ${text}`, true);
  if (n < DEFAULT_MINROUTERSOLICITINTERVAL) throw new IsatapdConfigError(`interval must be greater than ${DEFAULT_MINROUTERSOLICITINTERVAL} sec`, true);
  return n;
}

/** -D: 0 disables, else seconds >= 120. */
export function parseCheckDns(text: string): number {
  const n = cardinal(text);
  if (n === null) throw new IsatapdConfigError(`invalid cardinal -- ${text}`, true);
  if (n !== 0 && n < DEFAULT_MINROUTERSOLICITINTERVAL) throw new IsatapdConfigError(`dns-check interval must be greater than ${DEFAULT_MINROUTERSOLICITINTERVAL} sec`, true);
  return n;
}

/** The checks made after all options were read; throws IsatapdConfigError. */
export function checkConfig(c: IsatapdConfig): IsatapdConfig {
  if (c.name.includes(':')) throw new IsatapdConfigError(`no ':' in tunnel name: ${c.name}!`, false);
  if (c.name.length === 0 || c.name.length > MAX_IFNAME || /[\s/]/.test(c.name)) {
    throw new IsatapdConfigError(`invalid tunnel name: ${c.name} (1 to ${MAX_IFNAME} characters, no '/' or spaces)`, false);
  }
  if (c.link !== undefined && (c.link.length === 0 || c.link.length > MAX_IFNAME)) throw new IsatapdConfigError(`invalid link device: ${c.link}`, false);
  if (!c.pmtudisc && c.ttl !== 0) throw new IsatapdConfigError('--nopmtudisc depends on --ttl inherit!', false);
  if (c.routers.length === 0) throw new IsatapdConfigError('no potential router given', true);
  if (c.routers.length > MAX_ROUTERS) throw new IsatapdConfigError(`too many potential routers (${c.routers.length}): at most ${MAX_ROUTERS}`, true);
  for (const r of c.routers) if (r.length === 0 || /\s/.test(r)) throw new IsatapdConfigError(`invalid router name -- "${r}"`, true);
  if (c.mtu !== 0 && (c.mtu < MIN_MTU || c.mtu > 65535)) throw new IsatapdConfigError(`invalid mtu -- ${c.mtu}`, true);
  if (c.ttl < 0 || c.ttl > 255) throw new IsatapdConfigError(`invalid ttl -- ${c.ttl}`, true);
  if (c.interval < DEFAULT_MINROUTERSOLICITINTERVAL) throw new IsatapdConfigError(`interval must be greater than ${DEFAULT_MINROUTERSOLICITINTERVAL} sec`, true);
  if (c.checkDns !== 0 && c.checkDns < DEFAULT_MINROUTERSOLICITINTERVAL) throw new IsatapdConfigError(`dns-check interval must be greater than ${DEFAULT_MINROUTERSOLICITINTERVAL} sec`, true);
  return c;
}
