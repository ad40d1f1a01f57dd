/** `linklab tunnel isatap`'s arguments, checked, with the flag at fault named. */
import { Ipv4Address } from '../../core/wire/ipv4-address.js';
import { MAX_IFNAME, MIN_MTU } from '../../core/isatapd/constants.js';

export interface TunnelOptions {
  name: string;
  local: Ipv4Address;
  mtu: number;
  /** 0: inherit. */
  ttl: number;
  json: boolean;
}

export function parseTunnelOptions(name: string, flags: { local: string; mtu: number; ttl: string; json: boolean }): TunnelOptions {
  if (name.includes(':')) throw new Error(`NAME: no ':' in tunnel name: ${name}`);
  if (name.length === 0 || name.length > MAX_IFNAME || /[\s/]/.test(name)) throw new Error(`NAME: "${name}" is not an interface name (1 to ${MAX_IFNAME} characters, no '/' or spaces)`);
  const local = Ipv4Address.tryParse(flags.local);
  if (!local || local.isUnspecified || local.isMulticast || local.isBroadcast) throw new Error(`--local: "${flags.local}" is not a unicast IPv4 address`);
  if (!Number.isInteger(flags.mtu) || flags.mtu < MIN_MTU || flags.mtu > 65535) throw new Error(`--mtu: ${flags.mtu} is not from ${MIN_MTU} to 65535`);
  let ttl: number;
  if (flags.ttl === 'inherit' || flags.ttl === 'auto') ttl = 0;
  else if (/^\d{1,3}$/.test(flags.ttl) && Number(flags.ttl) >= 1 && Number(flags.ttl) <= 255) ttl = Number(flags.ttl);
  else throw new Error(`--ttl: "${flags.ttl}" is not 1 to 255 or inherit`);
  return { name, local, mtu: flags.mtu, ttl, json: flags.json };
}
