/** An ISATAP router's settings: its prefix, the RA it answers with, and the RFC 5214 source check. */
import type { Ipv6Address } from '../../../../core/wire/ipv6-address.js';
import { ConfigError, parseIpv6Prefix } from '../kernel/config.js';

export interface IsatapRouterConfig {
  /** The underlay interface (default: the first one). */
  iface: string | undefined;
  prefix: Ipv6Address;
  prefixLength: number;
  onLink: boolean;
  autonomous: boolean;
  validLifetime: number;
  preferredLifetime: number;
  routerLifetime: number;
  curHopLimit: number;
  /** 0: no MTU option. */
  mtu: number;
  /** RFC 5214 7.3: drop packets whose inner source does not embed the outer IPv4 source. */
  checkSource: boolean;
  /** TTL of the IPv4 packets it sends. */
  ttl: number;
}

type Input = Record<string, unknown>;

function fail(field: string, what: string): never {
  throw new ConfigError(`config.${field}: ${what}`);
}

function int(v: unknown, field: string, fallback: number, min: number, max: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(field, `${JSON.stringify(v)} is not a whole number from ${min} to ${max}`);
  return v;
}

function bool(v: unknown, field: string, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') fail(field, `${JSON.stringify(v)} is not true or false`);
  return v;
}

export function parseIsatapRouterConfig(c: Input | undefined, underlays: readonly string[]): IsatapRouterConfig {
  const v = c ?? {};
  if (underlays.length === 0) fail('iface', 'an ISATAP router needs an underlay interface (interfaces: {wan: {underlay: true, ipv4: [...]}})');
  let iface: string | undefined;
  if (v.iface !== undefined) {
    if (typeof v.iface !== 'string' || !underlays.includes(v.iface)) fail('iface', `${JSON.stringify(v.iface)} is not one of the node's underlay interfaces (${underlays.join(', ')})`);
    iface = v.iface;
  }
  if (v.prefix === undefined) fail('prefix', 'the ISATAP prefix is required (2001:db8:5::/64)');
  const { address, prefixLength } = parseIpv6Prefix(v.prefix, 'prefix');
  if (prefixLength !== 64) fail('prefix', `an ISATAP prefix is a /64 (the identifier takes the other 64 bits), not /${prefixLength}`);
  const validLifetime = int(v.validLifetime, 'validLifetime', 86400, 0, 0xffff_ffff);
  return {
    iface,
    prefix: address.mask(64),
    prefixLength,
    onLink: bool(v.onLink, 'onLink', true),
    autonomous: bool(v.autonomous, 'autonomous', true),
    validLifetime,
    preferredLifetime: int(v.preferredLifetime, 'preferredLifetime', Math.min(14400, validLifetime), 0, 0xffff_ffff),
    routerLifetime: int(v.routerLifetime, 'routerLifetime', 1800, 0, 9000),
    curHopLimit: int(v.curHopLimit, 'curHopLimit', 64, 0, 255),
    mtu: int(v.mtu, 'mtu', 1280, 0, 65535),
    checkSource: bool(v.checkSource, 'checkSource', true),
    ttl: int(v.ttl, 'ttl', 64, 1, 255),
  };
}

const settings: Record<string, unknown> = {
  prefix: { type: 'string', description: 'the ISATAP /64 the router advertises' },
  onLink: { type: 'boolean' },
  autonomous: { type: 'boolean' },
  validLifetime: { type: 'integer', minimum: 0 },
  preferredLifetime: { type: 'integer', minimum: 0 },
  routerLifetime: { type: 'integer', minimum: 0, maximum: 9000 },
  curHopLimit: { type: 'integer', minimum: 0, maximum: 255 },
  mtu: { type: 'integer', minimum: 0, description: 'MTU option (default 1280; 0: none)' },
  checkSource: { type: 'boolean', description: 'RFC 5214 7.3 source check (default true)' },
  ttl: { type: 'integer', minimum: 1, maximum: 255 },
};

export const isatapRouterConfigSchema: Record<string, unknown> = {
  type: 'object',
  additionalProperties: false,
  required: ['prefix'],
  properties: { iface: { type: 'string', description: 'the underlay interface (default: the first)' }, ...settings },
};

export const isatapConfigEventSchema: Record<string, unknown> = { type: 'object', properties: settings };
