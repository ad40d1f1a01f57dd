/**
 * What the unprivileged half may ask of the privileged one, and the checks the privileged half
 * makes before acting: every name, key, address and number is validated against the daemon's
 * policy (its interfaces, the sysctls it owns, its scripts, the TUN names it may create).
 */
import { Ipv4Address } from '../../../core/wire/ipv4-address.js';
import { Ipv6Address } from '../../../core/wire/ipv6-address.js';
import { MacAddress } from '../../../core/wire/mac-address.js';
import type { NeighborState } from '../../../core/ports.js';
import type { Json } from './channel.js';

export interface PrivsepPolicy {
  /** Interfaces the child may change (addresses, routes, link state, neighbours). */
  interfaces: string[];
  /** Sysctl keys the child may write: exact keys, or prefixes ending in '.' or '/'. */
  sysctl: string[];
  /** Programs the child may run (absolute paths, exactly). */
  scripts: string[];
  /** TUN names the child may create: exact, or a prefix ending in '*'. */
  tunNames: string[];
  /**
   * The child watches every interface (arpd with none named, as the original): it may install
   * neighbours on any interface, and open frame sockets of this kind on Ethernet interfaces that
   * appear later; nothing else there.
   */
  allInterfaces?: { frames: { protocol: number; receiveBuffer?: number; batchSlot?: number } };
}

export type Request =
  | { op: 'sysctl.write'; key: string; value: string }
  | { op: 'sysctl.restore' }
  | { op: 'neigh.install'; ifindex: number; ip: Ipv4Address; mac: MacAddress; state: NeighborState }
  | { op: 'neigh.remove'; ifindex: number; ip: Ipv4Address }
  | { op: 'link.set'; ifname: string; up?: boolean; mtu?: number }
  | { op: 'link.delete'; ifname: string }
  | { op: 'ipv6.set'; ifname: string; mtu?: number; hopLimit?: number }
  | { op: 'tun.create'; ifname: string; mtu: number }
  | { op: 'frames.open'; ifname: string }
  | { op: 'addr.add'; ifname: string; address: Ipv6Address; prefixLength: number; validLifetime?: number; preferredLifetime?: number }
  | { op: 'addr.remove'; ifname: string; address: Ipv6Address; prefixLength: number }
  | { op: 'route.add'; ifname: string; prefix: Ipv6Address; prefixLength: number; via?: Ipv6Address; lifetime?: number }
  | { op: 'route.remove'; ifname: string; prefix: Ipv6Address; prefixLength: number; via?: Ipv6Address }
  | { op: 'script.run'; path: string; args: string[]; stdin?: string };

export class Denied extends Error {
  override readonly name = 'Denied';
}

const STATES: NeighborState[] = ['incomplete', 'reachable', 'stale', 'delay', 'probe', 'failed', 'noarp', 'permanent', 'none'];
const IFNAME = /^[A-Za-z0-9_.:@-]{1,15}$/;

type Args = Record<string, Json | undefined>;

function str(a: Args, k: string): string {
  const v = a[k];
  if (typeof v !== 'string') throw new Denied(`bad request: ${k} must be text`);
  return v;
}

function int(a: Args, k: string, lo: number, hi: number, optional = false): number | undefined {
  const v = a[k];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) throw new Denied(`bad request: ${k} must be an integer ${lo}..${hi}`);
  return v;
}

function parsed<T>(a: Args, k: string, parse: (s: string) => T | null, what: string, optional = false): T | undefined {
  const v = a[k];
  if (v === undefined && optional) return undefined;
  const x = typeof v === 'string' ? parse(v) : null;
  if (x === null) throw new Denied(`bad request: ${k} must be ${what}`);
  return x;
}

/** Turns a message into a typed request, or throws Denied saying what was malformed. */
export function parseRequest(a: Args): Request {
  const op = str(a, 'op');
  const ifname = (): string => {
    const n = str(a, 'ifname');
    if (!IFNAME.test(n)) throw new Denied(`bad request: "${n}" is not an interface name`);
    return n;
  };
  const v6 = (k: string, optional = false) => parsed(a, k, Ipv6Address.tryParse, 'an IPv6 address', optional);
  switch (op) {
    case 'sysctl.write':
      return { op, key: str(a, 'key'), value: str(a, 'value') };
    case 'sysctl.restore':
      return { op };
    case 'neigh.install': {
      const state = str(a, 'state') as NeighborState;
      if (!STATES.includes(state)) throw new Denied(`bad request: unknown neighbour state "${state}"`);
      return { op, ifindex: int(a, 'ifindex', 1, 0x7fff_ffff)!, ip: parsed(a, 'ip', Ipv4Address.tryParse, 'an IPv4 address')!, mac: parsed(a, 'mac', MacAddress.tryParse, 'a MAC address')!, state };
    }
    case 'neigh.remove':
      return { op, ifindex: int(a, 'ifindex', 1, 0x7fff_ffff)!, ip: parsed(a, 'ip', Ipv4Address.tryParse, 'an IPv4 address')! };
    case 'link.set': {
      const up = a.up;
      if (up !== undefined && typeof up !== 'boolean') throw new Denied('bad request: up must be true or false');
      return { op, ifname: ifname(), ...(up !== undefined ? { up } : {}), ...(a.mtu !== undefined ? { mtu: int(a, 'mtu', 68, 65535) } : {}) };
    }
    case 'link.delete':
      return { op, ifname: ifname() };
    case 'ipv6.set': {
      const mtu = int(a, 'mtu', 1280, 65535, true);
      const hopLimit = int(a, 'hopLimit', 1, 255, true);
      return { op, ifname: ifname(), ...(mtu !== undefined ? { mtu } : {}), ...(hopLimit !== undefined ? { hopLimit } : {}) };
    }
    case 'tun.create':
      return { op, ifname: ifname(), mtu: int(a, 'mtu', 1280, 65535)! };
    case 'frames.open':
      return { op, ifname: ifname() };
    case 'addr.add':
      return { op, ifname: ifname(), address: v6('address')!, prefixLength: int(a, 'prefixLength', 0, 128)!, validLifetime: int(a, 'validLifetime', 0, 0xffff_ffff, true), preferredLifetime: int(a, 'preferredLifetime', 0, 0xffff_ffff, true) };
    case 'addr.remove':
      return { op, ifname: ifname(), address: v6('address')!, prefixLength: int(a, 'prefixLength', 0, 128)! };
    case 'route.add':
      return { op, ifname: ifname(), prefix: v6('prefix')!, prefixLength: int(a, 'prefixLength', 0, 128)!, via: v6('via', true), lifetime: int(a, 'lifetime', 0, 0xffff_ffff, true) };
    case 'route.remove':
      return { op, ifname: ifname(), prefix: v6('prefix')!, prefixLength: int(a, 'prefixLength', 0, 128)!, via: v6('via', true) };
    case 'script.run': {
      const args = a.args;
      if (!Array.isArray(args) || !args.every((x) => typeof x === 'string')) throw new Denied('bad request: args must be a list of text');
      const stdin = a.stdin;
      if (stdin !== undefined && typeof stdin !== 'string') throw new Denied('bad request: stdin must be text');
      return { op, path: str(a, 'path'), args: args as string[], ...(stdin !== undefined ? { stdin } : {}) };
    }
    default:
      throw new Denied(`bad request: unknown operation "${op}"`);
  }
}

function sysctlAllowed(policy: PrivsepPolicy, key: string): boolean {
  const k = key.replace(/\//g, '.');
  return policy.sysctl.some((p) => {
    const q = p.replace(/\//g, '.');
    return q.endsWith('.') ? k.startsWith(q) : k === q;
  });
}

function tunAllowed(policy: PrivsepPolicy, name: string): boolean {
  return policy.tunNames.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p));
}

/**
 * Throws Denied unless the policy allows the request. `ifnameOf` names an ifindex; `created` are
 * the TUN devices this child created (which it may then configure and delete).
 */
export function checkPolicy(r: Request, policy: PrivsepPolicy, ifnameOf: (ifindex: number) => string | null, created: ReadonlySet<string>): void {
  const mayChange = (ifname: string): void => {
    if (!policy.interfaces.includes(ifname) && !created.has(ifname)) throw new Denied(`denied: interface ${ifname} is not one this daemon manages`);
  };
  switch (r.op) {
    case 'sysctl.write':
      if (!sysctlAllowed(policy, r.key)) throw new Denied(`denied: sysctl ${r.key} is not one this daemon may change`);
      return;
    case 'sysctl.restore':
      return;
    case 'neigh.install':
    case 'neigh.remove': {
      const name = ifnameOf(r.ifindex);
      if (name === null) throw new Denied(`denied: no interface with index ${r.ifindex}`);
      return policy.allInterfaces ? undefined : mayChange(name);
    }
    case 'frames.open':
      if (!policy.allInterfaces) throw new Denied('denied: this daemon opens no frame sockets after start');
      return;
    case 'tun.create':
      if (!tunAllowed(policy, r.ifname)) throw new Denied(`denied: this daemon may not create a TUN device named ${r.ifname}`);
      return;
    case 'link.delete':
      if (!created.has(r.ifname)) throw new Denied(`denied: ${r.ifname} was not created by this daemon`);
      return;
    case 'script.run':
      if (!policy.scripts.includes(r.path)) throw new Denied(`denied: ${r.path} is not a script this daemon was given`);
      return;
    default:
      return mayChange(r.ifname);
  }
}
