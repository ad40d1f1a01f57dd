/**
 * The `config:` of a host (and of the kernel under a router or daemon node): static addresses,
 * sysctls, static neighbours, and the traffic the host makes (pings, an IPv4 talker). Topology
 * files give text; `parseHostConfig` turns it into typed values and names the field at fault.
 */
import { Ipv4Address } from '../../../../core/wire/ipv4-address.js';
import { Ipv6Address } from '../../../../core/wire/ipv6-address.js';
import { MacAddress } from '../../../../core/wire/mac-address.js';
import type { Micros } from '../../../../core/time.js';
import { seconds } from '../../../../core/time.js';

/**
 * Per-interface kernel settings. Addresses are not here: they belong to the topology's interface
 * (`interfaces: {eth0: {segment: lan, ipv4: [192.0.2.10/24]}}`), which the node gets in its context.
 */
export interface HostInterfaceConfigInput {
  /** IPv4 default gateway reached through this interface. */
  gateway4?: string;
  /** Interface identifier used instead of EUI-64 ("::5efe:c000:20a"), like `ip token`. */
  token?: string;
}

export interface PingConfigInput {
  /** Destination (IPv6). */
  to: string;
  /** Outgoing interface; needed for link-local and multicast destinations when there are several. */
  iface?: string;
  /** First request this many seconds after boot (default 0). */
  start?: number;
  /** Seconds between requests (default 1). */
  interval?: number;
  /** Requests to send; 0 or absent: until the run ends. */
  count?: number;
  /** Seconds to wait for a reply before counting a request lost (default 1). */
  timeout?: number;
  /** ICMPv6 payload bytes (default 56, as ping). */
  size?: number;
}

export interface TalkConfigInput {
  /** IPv4 peers the host sends a datagram to, each of them every interval. */
  to: string[];
  start?: number;
  interval?: number;
  /** Rounds to send; 0 or absent: until the run ends. */
  count?: number;
}

export interface NeighborConfigInput {
  iface: string;
  ip: string;
  mac: string;
  /** 'permanent' (default), 'noarp', 'reachable' or 'stale'. */
  state?: string;
}

export interface HostConfigInput {
  interfaces?: Record<string, HostInterfaceConfigInput>;
  /** Full sysctl keys ("net.ipv4.neigh.eth0.app_solicit": 3). */
  sysctl?: Record<string, string | number>;
  neighbors?: NeighborConfigInput[];
  ping?: PingConfigInput[];
  talk?: TalkConfigInput[];
  /** Exit codes of programs a daemon runs through the ScriptRunner, by path (default 0). */
  scripts?: Record<string, { exit?: number; delay?: number }>;
}

export interface PingConfig {
  to: Ipv6Address;
  iface: string | undefined;
  start: Micros;
  interval: Micros;
  count: number;
  timeout: Micros;
  size: number;
}

export interface TalkConfig {
  to: Ipv4Address[];
  start: Micros;
  interval: Micros;
  count: number;
}

export interface HostConfig {
  interfaces: Map<
    string,
    { gateway4?: Ipv4Address; token?: Ipv6Address }
  >;
  sysctl: Array<[string, string]>;
  neighbors: Array<{ iface: string; ip: Ipv4Address; mac: MacAddress; state: 'permanent' | 'noarp' | 'reachable' | 'stale' }>;
  ping: PingConfig[];
  talk: TalkConfig[];
  scripts: Map<string, { exit: number; delay: Micros }>;
}

/** A bad value in a node's config: the message names the field. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function fail(field: string, what: string): never {
  throw new ConfigError(`config.${field}: ${what}`);
}

export function parseIpv4Prefix(text: unknown, field: string): { address: Ipv4Address; prefixLength: number } {
  const m = typeof text === 'string' ? /^([^/]+)\/([0-9]{1,2})$/.exec(text) : null;
  const address = m ? Ipv4Address.tryParse(m[1]) : null;
  const prefixLength = m ? Number(m[2]) : NaN;
  if (!address || !(prefixLength <= 32)) fail(field, `${JSON.stringify(text)} is not an IPv4 address with a prefix length (192.0.2.10/24)`);
  return { address, prefixLength };
}

export function parseIpv6Prefix(text: unknown, field: string): { address: Ipv6Address; prefixLength: number } {
  const m = typeof text === 'string' ? /^([^/]+)\/([0-9]{1,3})$/.exec(text) : null;
  const address = m ? Ipv6Address.tryParse(m[1]) : null;
  const prefixLength = m ? Number(m[2]) : NaN;
  if (!address || !(prefixLength <= 128)) fail(field, `${JSON.stringify(text)} is not an IPv6 address with a prefix length (2001:db8::1/64)`);
  return { address, prefixLength };
}

export function parseIpv4(text: unknown, field: string): Ipv4Address {
  const a = typeof text === 'string' ? Ipv4Address.tryParse(text) : null;
  if (!a) fail(field, `${JSON.stringify(text)} is not an IPv4 address`);
  return a;
}

export function parseIpv6(text: unknown, field: string): Ipv6Address {
  const a = typeof text === 'string' ? Ipv6Address.tryParse(text) : null;
  if (!a) fail(field, `${JSON.stringify(text)} is not an IPv6 address`);
  return a;
}

export function parseSeconds(v: unknown, field: string, fallback: number, min = 0): Micros {
  if (v === undefined) return seconds(fallback);
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) fail(field, `${JSON.stringify(v)} is not a number of seconds >= ${min}`);
  return seconds(v);
}

export function parseCount(v: unknown, field: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(field, `${JSON.stringify(v)} is not a whole number >= 0`);
  return v;
}

function list<T>(v: unknown, field: string): T[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(field, 'expected a list');
  return v as T[];
}

export function parseHostConfig(input: HostConfigInput | undefined, ifnames: readonly string[]): HostConfig {
  const c: HostConfigInput = input ?? {};
  const interfaces: HostConfig['interfaces'] = new Map();
  for (const [name, ic] of Object.entries(c.interfaces ?? {})) {
    if (!ifnames.includes(name)) fail(`interfaces.${name}`, `the node has no interface "${name}" (it has ${ifnames.join(', ') || 'none'})`);
    interfaces.set(name, {
      gateway4: ic.gateway4 === undefined ? undefined : parseIpv4(ic.gateway4, `interfaces.${name}.gateway4`),
      token: ic.token === undefined ? undefined : parseIpv6(ic.token, `interfaces.${name}.token`),
    });
  }
  const sysctl: Array<[string, string]> = Object.entries(c.sysctl ?? {}).map(([k, v]) => {
    if (typeof v !== 'number' && typeof v !== 'string') fail(`sysctl.${k}`, `${JSON.stringify(v)} is not a value`);
    return [k, String(v)];
  });
  const neighbors = list<NeighborConfigInput>(c.neighbors, 'neighbors').map((n, i) => {
    const f = `neighbors[${i}]`;
    if (!ifnames.includes(n.iface)) fail(`${f}.iface`, `the node has no interface "${n.iface}"`);
    const mac = typeof n.mac === 'string' ? MacAddress.tryParse(n.mac) : null;
    if (!mac) fail(`${f}.mac`, `${JSON.stringify(n.mac)} is not a MAC address`);
    const state = n.state ?? 'permanent';
    if (state !== 'permanent' && state !== 'noarp' && state !== 'reachable' && state !== 'stale') {
      fail(`${f}.state`, `${JSON.stringify(state)} is not one of permanent, noarp, reachable, stale`);
    }
    return { iface: n.iface, ip: parseIpv4(n.ip, `${f}.ip`), mac, state: state as 'permanent' | 'noarp' | 'reachable' | 'stale' };
  });
  const ping = list<PingConfigInput>(c.ping, 'ping').map((p, i) => {
    const f = `ping[${i}]`;
    if (p.iface !== undefined && !ifnames.includes(p.iface)) fail(`${f}.iface`, `the node has no interface "${p.iface}"`);
    return {
      to: parseIpv6(p.to, `${f}.to`),
      iface: p.iface,
      start: parseSeconds(p.start, `${f}.start`, 0),
      interval: parseSeconds(p.interval, `${f}.interval`, 1, 0.001),
      count: parseCount(p.count, `${f}.count`, 0),
      timeout: parseSeconds(p.timeout, `${f}.timeout`, 1, 0.001),
      size: parseCount(p.size, `${f}.size`, 56),
    };
  });
  const talk = list<TalkConfigInput>(c.talk, 'talk').map((t, i) => {
    const f = `talk[${i}]`;
    const to = list<string>(t.to, `${f}.to`).map((a, j) => parseIpv4(a, `${f}.to[${j}]`));
    if (to.length === 0) fail(`${f}.to`, 'needs at least one peer');
    return {
      to,
      start: parseSeconds(t.start, `${f}.start`, 0),
      interval: parseSeconds(t.interval, `${f}.interval`, 1, 0.001),
      count: parseCount(t.count, `${f}.count`, 0),
    };
  });
  const scripts: HostConfig['scripts'] = new Map();
  for (const [path, s] of Object.entries(c.scripts ?? {})) {
    scripts.set(path, { exit: parseCount(s.exit, `scripts.${path}.exit`, 0), delay: parseSeconds(s.delay, `scripts.${path}.delay`, 0.01) });
  }
  return { interfaces, sysctl, neighbors, ping, talk, scripts };
}

/** JSON Schema of a host's config (draft 2020-12). */
export const hostConfigSchema: Record<string, unknown> = {
  type: 'object',
  additionalProperties: false,
  properties: {
    interfaces: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          gateway4: { type: 'string', description: 'IPv4 default gateway through this interface' },
          token: { type: 'string', description: 'interface identifier used instead of EUI-64 (ip token), e.g. ::5efe:c000:20a' },
        },
      },
    },
    sysctl: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
    neighbors: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['iface', 'ip', 'mac'],
        properties: {
          iface: { type: 'string' },
          ip: { type: 'string' },
          mac: { type: 'string' },
          state: { enum: ['permanent', 'noarp', 'reachable', 'stale'] },
        },
      },
    },
    ping: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['to'],
        properties: {
          to: { type: 'string' },
          iface: { type: 'string' },
          start: { type: 'number', minimum: 0 },
          interval: { type: 'number', exclusiveMinimum: 0 },
          count: { type: 'integer', minimum: 0 },
          timeout: { type: 'number', exclusiveMinimum: 0 },
          size: { type: 'integer', minimum: 0, maximum: 1452 },
        },
      },
    },
    talk: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['to'],
        properties: {
          to: { type: 'array', items: { type: 'string' }, minItems: 1 },
          start: { type: 'number', minimum: 0 },
          interval: { type: 'number', exclusiveMinimum: 0 },
          count: { type: 'integer', minimum: 0 },
        },
      },
    },
    scripts: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: { exit: { type: 'integer', minimum: 0, maximum: 255 }, delay: { type: 'number', minimum: 0 } },
      },
    },
  },
};

/** The timed events a kernel handles (`tell: {node, action, ...}`), for load-time checks. */
export const kernelEventSchemas: Record<string, Record<string, unknown>> = {
  ping: {
    type: 'object',
    required: ['to'],
    properties: {
      to: { type: 'string' },
      iface: { type: 'string' },
      count: { type: 'integer', minimum: 0 },
      interval: { type: 'number', exclusiveMinimum: 0 },
      timeout: { type: 'number', exclusiveMinimum: 0 },
      size: { type: 'integer', minimum: 0, maximum: 1452 },
    },
  },
  talk: {
    type: 'object',
    required: ['to'],
    properties: {
      to: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] },
      count: { type: 'integer', minimum: 0 },
      interval: { type: 'number', exclusiveMinimum: 0 },
    },
  },
  sysctl: { type: 'object', required: ['key', 'value'], properties: { key: { type: 'string' }, value: { type: ['string', 'number'] } } },
  'neigh-overrun': { type: 'object', properties: {} },
  garp: { type: 'object', properties: { iface: { type: 'string', description: 'the interface (default: every one with IPv4)' } } },
};
