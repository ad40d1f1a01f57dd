/**
 * The kernel data plane's privileged operations as privilege-separation services: the child
 * (running as --user) asks, the root parent checks the request against the one tunnel this
 * daemon owns and acts (sit.ts). The ICMPv6 socket on a new tunnel goes back with the reply.
 */
import type { PrivsepService } from '../privsep/parent.js';
import type { Json } from '../privsep/channel.js';
import { Ipv4Address } from '../../../core/wire/ipv4-address.js';
import type { LinuxSit } from './sit.js';

export const SIT_CREATE = 'isatap.sit.create';
export const SIT_REMOVE = 'isatap.sit.remove';
export const PRL_ADD = 'isatap.prl.add';
export const PRL_REMOVE = 'isatap.prl.remove';

type Args = Record<string, Json | undefined>;

function v4(a: Args, k: string): Ipv4Address {
  const x = typeof a[k] === 'string' ? Ipv4Address.tryParse(a[k] as string) : null;
  if (!x) throw new Error(`${k} must be an IPv4 address`);
  return x;
}

function int(a: Args, k: string, lo: number, hi: number): number {
  const x = a[k];
  if (typeof x !== 'number' || !Number.isInteger(x) || x < lo || x > hi) throw new Error(`${k} must be an integer ${lo}..${hi}`);
  return x;
}

/** The services for a daemon whose tunnel is `name` (and whose link, if any, is `link`). */
export function sitServices(sit: LinuxSit, name: string, link: string | undefined): Record<string, PrivsepService> {
  const mine = (a: Args): void => {
    if (a.name !== name) throw new Error(`denied: ${String(a.name)} is not this daemon's tunnel (${name})`);
  };
  return {
    [SIT_CREATE]: (a, reply) => {
      mine(a);
      if (a.link !== undefined && a.link !== link) throw new Error(`denied: link ${String(a.link)} is not this daemon's --link`);
      sit.create(
        { name, link, local: v4(a, 'local'), ttl: int(a, 'ttl', 0, 255), pmtudisc: a.pmtudisc === true, mtu: int(a, 'mtu', 0, 65535) },
        (t, error) => (t ? reply(undefined, { ifindex: t.ifindex }, [t.icmpFd]) : reply(error ?? 'failed')),
      );
    },
    [SIT_REMOVE]: (a, reply) => {
      mine(a);
      sit.remove(name, (error) => reply(error));
    },
    [PRL_ADD]: (a, reply) => {
      mine(a);
      sit.prl('add', name, v4(a, 'router'), (error) => reply(error));
    },
    [PRL_REMOVE]: (a, reply) => {
      mine(a);
      sit.prl('remove', name, v4(a, 'router'), (error) => reply(error));
    },
  };
}
