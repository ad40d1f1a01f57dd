/**
 * A router's advertising settings, named after radvd.conf's (MaxRtrAdvInterval -> maxInterval,
 * AdvDefaultLifetime -> routerLifetime, ...). Top-level settings apply to every Ethernet
 * interface; `interfaces: {eth1: {...}}` overrides them for one. Every ND option the codecs know
 * can be advertised. `parseAdvertConfig` checks RFC 4861 6.2.1's limits and names the field.
 */
import type { Micros } from '../../../../core/time.js';
import { seconds } from '../../../../core/time.js';
import type { Ipv6Address } from '../../../../core/wire/ipv6-address.js';
import type { Preference } from '../../../../core/wire/ndisc/preference.js';
import { fromHex } from '../../../../core/wire/bytes.js';
import { ConfigError, parseIpv6, parseIpv6Prefix } from '../kernel/config.js';
import { hostConfigSchema } from '../kernel/config.js';

export interface PrefixConfig {
  prefix: Ipv6Address;
  prefixLength: number;
  onLink: boolean;
  autonomous: boolean;
  routerAddress: boolean;
  validLifetime: number;
  preferredLifetime: number;
}

export interface AdvertConfig {
  /** AdvSendAdvert: off means the interface only answers ND, never advertises. */
  advertise: boolean;
  minInterval: Micros;
  maxInterval: Micros;
  /** UnicastOnly: no periodic multicast RAs; RS answered by unicast. */
  unicastOnly: boolean;
  /** AdvRASolicitedUnicast: answer RS from a unicast source by unicast. */
  solicitedUnicast: boolean;
  managed: boolean;
  other: boolean;
  homeAgent: boolean;
  proxy: boolean;
  preference: Preference;
  /** Seconds. */
  routerLifetime: number;
  reachableTime: number;
  retransTimer: number;
  curHopLimit: number;
  /** 0: no MTU option. */
  mtu: number;
  sourceLla: boolean;
  prefixes: PrefixConfig[];
  routes: Array<{ prefix: Ipv6Address; prefixLength: number; preference: Preference; lifetime: number }>;
  rdnss: Array<{ servers: Ipv6Address[]; lifetime: number }>;
  dnssl: Array<{ domains: string[]; lifetime: number }>;
  pref64: Array<{ prefix: Ipv6Address; plc: number; scaledLifetime: number }>;
  captivePortal: string | undefined;
  /** Raw options for experiments: type and body bytes (hex) after the type and length. */
  extraOptions: Array<{ type: number; data: Uint8Array }>;
  /** Final RAs (router lifetime 0) at `stop`, MAX_FINAL_RTR_ADVERTISEMENTS at most. */
  finalAdvertisements: number;
  /** FlushRDNSS/FlushDNSSL: final RAs carry RDNSS and DNSSL with lifetime 0. */
  flushDns: boolean;
  /** DeprecatePrefix: final RAs carry prefixes with preferred lifetime 0. */
  deprecatePrefix: boolean;
}

type Input = Record<string, unknown>;

const PREFERENCES = ['low', 'medium', 'high'];
/** PREF64 prefix lengths by Prefix Length Code (RFC 8781 4). */
const PLC: Record<number, number> = { 96: 0, 64: 1, 56: 2, 48: 3, 40: 4, 32: 5 };

function fail(field: string, what: string): never {
  throw new ConfigError(`config.${field}: ${what}`);
}

function num(v: unknown, field: string, fallback: number, min: number, max: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) fail(field, `${JSON.stringify(v)} is not a number from ${min} to ${max}`);
  return v;
}

function int(v: unknown, field: string, fallback: number, min: number, max: number): number {
  const n = num(v, field, fallback, min, max);
  if (!Number.isInteger(n)) fail(field, `${n} is not a whole number`);
  return n;
}

function bool(v: unknown, field: string, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') fail(field, `${JSON.stringify(v)} is not true or false`);
  return v;
}

function pref(v: unknown, field: string): Preference {
  if (v === undefined) return 'medium';
  if (typeof v !== 'string' || !PREFERENCES.includes(v)) fail(field, `${JSON.stringify(v)} is not one of ${PREFERENCES.join(', ')}`);
  return v as Preference;
}

function list(v: unknown, field: string): Input[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(field, 'expected a list');
  return v as Input[];
}

/** A lifetime in seconds; "infinity" is all ones. */
function lifetime(v: unknown, field: string, fallback: number): number {
  if (v === 'infinity') return 0xffff_ffff;
  return int(v, field, fallback, 0, 0xffff_ffff);
}

/** The settings of one interface: `base` (the top level) with `over` (the interface's own) on top. */
export function parseAdvertConfig(base: Input, over: Input, at: string): AdvertConfig {
  const v: Input = { ...base, ...over };
  const f = (k: string): string => (k in over ? `${at}${k}` : k);
  const maxS = num(v.maxInterval, f('maxInterval'), 600, 0.07, 1800);
  const minS = num(v.minInterval, f('minInterval'), maxS >= 9 ? 0.33 * maxS : 0.75 * maxS, 0.03, 1800);
  if (minS > 0.75 * maxS + 1e-9) fail(f('minInterval'), `${minS} exceeds 0.75 x maxInterval (${0.75 * maxS}), RFC 4861 6.2.1`);
  const routerLifetime = int(v.routerLifetime, f('routerLifetime'), Math.ceil(3 * maxS), 0, 9000);
  if (routerLifetime !== 0 && routerLifetime < maxS) fail(f('routerLifetime'), `${routerLifetime} is neither 0 nor at least maxInterval (${maxS})`);
  const prefixes = list(v.prefixes, f('prefixes')).map((p, i) => {
    const pf = `${f('prefixes')}[${i}]`;
    const { address, prefixLength } = parseIpv6Prefix(p.prefix, `${pf}.prefix`);
    const validLifetime = lifetime(p.validLifetime, `${pf}.validLifetime`, 86400);
    const preferredLifetime = lifetime(p.preferredLifetime, `${pf}.preferredLifetime`, Math.min(14400, validLifetime));
    return {
      prefix: address.mask(prefixLength),
      prefixLength,
      onLink: bool(p.onLink, `${pf}.onLink`, true),
      autonomous: bool(p.autonomous, `${pf}.autonomous`, true),
      routerAddress: bool(p.routerAddress, `${pf}.routerAddress`, false),
      validLifetime,
      preferredLifetime,
    };
  });
  const routes = list(v.routes, f('routes')).map((r, i) => {
    const rf = `${f('routes')}[${i}]`;
    const { address, prefixLength } = parseIpv6Prefix(r.prefix, `${rf}.prefix`);
    return { prefix: address.mask(prefixLength), prefixLength, preference: pref(r.preference, `${rf}.preference`), lifetime: lifetime(r.lifetime, `${rf}.lifetime`, routerLifetime) };
  });
  const rdnss = list(v.rdnss, f('rdnss')).map((r, i) => {
    const rf = `${f('rdnss')}[${i}]`;
    const servers = (Array.isArray(r.servers) ? r.servers : fail(`${rf}.servers`, 'expected a list of IPv6 addresses')).map((s: unknown, j: number) => parseIpv6(s, `${rf}.servers[${j}]`));
    if (servers.length === 0 || servers.length > 127) fail(`${rf}.servers`, 'needs 1 to 127 servers');
    return { servers, lifetime: lifetime(r.lifetime, `${rf}.lifetime`, Math.ceil(3 * maxS)) };
  });
  const dnssl = list(v.dnssl, f('dnssl')).map((d, i) => {
    const df = `${f('dnssl')}[${i}]`;
    const domains = Array.isArray(d.domains) ? d.domains : fail(`${df}.domains`, 'expected a list of domain names');
    if (domains.length === 0 || !domains.every((x) => typeof x === 'string' && x.length > 0)) fail(`${df}.domains`, 'needs at least one domain name');
    return { domains: domains as string[], lifetime: lifetime(d.lifetime, `${df}.lifetime`, Math.ceil(3 * maxS)) };
  });
  const pref64 = list(v.pref64, f('pref64')).map((p, i) => {
    const pf = `${f('pref64')}[${i}]`;
    const { address, prefixLength } = parseIpv6Prefix(p.prefix, `${pf}.prefix`);
    const plc = PLC[prefixLength];
    if (plc === undefined) fail(`${pf}.prefix`, `/${prefixLength} is not a PREF64 length (96, 64, 56, 48, 40 or 32)`);
    const life = int(p.lifetime, `${pf}.lifetime`, Math.min(65528, Math.ceil(3 * maxS)), 0, 65528);
    return { prefix: address.mask(prefixLength), plc, scaledLifetime: Math.ceil(life / 8) };
  });
  const extraOptions = list(v.extraOptions, f('extraOptions')).map((o, i) => {
    const of = `${f('extraOptions')}[${i}]`;
    const type = int(o.type, `${of}.type`, -1, 0, 255);
    const data = typeof o.data === 'string' ? fromHex(o.data) : null;
    if (!data || (data.length + 2) % 8 !== 0) fail(`${of}.data`, 'expected hex bytes making the option a multiple of 8 bytes (6, 14, 22... bytes)');
    return { type, data };
  });
  let captivePortal: string | undefined;
  if (v.captivePortal !== undefined) {
    if (typeof v.captivePortal !== 'string' || v.captivePortal.length === 0) fail(f('captivePortal'), 'expected a URI');
    captivePortal = v.captivePortal;
  }
  return {
    advertise: bool(v.advertise, f('advertise'), true),
    minInterval: seconds(minS),
    maxInterval: seconds(maxS),
    unicastOnly: bool(v.unicastOnly, f('unicastOnly'), false),
    solicitedUnicast: bool(v.solicitedUnicast, f('solicitedUnicast'), false),
    managed: bool(v.managed, f('managed'), false),
    other: bool(v.other, f('other'), false),
    homeAgent: bool(v.homeAgent, f('homeAgent'), false),
    proxy: bool(v.proxy, f('proxy'), false),
    preference: pref(v.preference, f('preference')),
    routerLifetime,
    reachableTime: int(v.reachableTime, f('reachableTime'), 0, 0, 3_600_000),
    retransTimer: int(v.retransTimer, f('retransTimer'), 0, 0, 0xffff_ffff),
    curHopLimit: int(v.curHopLimit, f('curHopLimit'), 64, 0, 255),
    mtu: int(v.mtu, f('mtu'), 0, 0, 0xffff_ffff),
    sourceLla: bool(v.sourceLla, f('sourceLla'), true),
    prefixes,
    routes,
    rdnss,
    dnssl,
    pref64,
    captivePortal,
    extraOptions,
    finalAdvertisements: int(v.finalAdvertisements, f('finalAdvertisements'), 1, 0, 3),
    flushDns: bool(v.flushDns, f('flushDns'), true),
    deprecatePrefix: bool(v.deprecatePrefix, f('deprecatePrefix'), false),
  };
}

/** The keys that belong to the kernel under the router, not to advertising. */
export const KERNEL_KEYS = ['sysctl', 'neighbors', 'ping', 'talk', 'scripts'] as const;

const lifetimeSchema = { oneOf: [{ type: 'integer', minimum: 0, maximum: 0xffff_ffff }, { const: 'infinity' }] };

const advertProperties: Record<string, unknown> = {
  advertise: { type: 'boolean', description: 'AdvSendAdvert (default true)' },
  minInterval: { type: 'number', minimum: 0.03, description: 'MinRtrAdvInterval, seconds (default 0.33 x max, or 0.75 x max below 9 s)' },
  maxInterval: { type: 'number', minimum: 0.07, maximum: 1800, description: 'MaxRtrAdvInterval, seconds (default 600)' },
  unicastOnly: { type: 'boolean', description: 'UnicastOnly: no periodic multicast; RS answered by unicast' },
  solicitedUnicast: { type: 'boolean', description: 'AdvRASolicitedUnicast: answer RS from a unicast source by unicast' },
  managed: { type: 'boolean', description: 'M flag' },
  other: { type: 'boolean', description: 'O flag' },
  homeAgent: { type: 'boolean', description: 'H flag' },
  proxy: { type: 'boolean', description: 'P flag (RFC 4389)' },
  preference: { enum: PREFERENCES, description: 'default router preference (RFC 4191)' },
  routerLifetime: { type: 'integer', minimum: 0, maximum: 9000, description: 'AdvDefaultLifetime, seconds (default 3 x maxInterval)' },
  reachableTime: { type: 'integer', minimum: 0, description: 'milliseconds' },
  retransTimer: { type: 'integer', minimum: 0, description: 'milliseconds' },
  curHopLimit: { type: 'integer', minimum: 0, maximum: 255 },
  mtu: { type: 'integer', minimum: 0, description: 'MTU option (0: none)' },
  sourceLla: { type: 'boolean', description: 'AdvSourceLLAddress (default true)' },
  prefixes: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['prefix'],
      properties: {
        prefix: { type: 'string' },
        onLink: { type: 'boolean' },
        autonomous: { type: 'boolean' },
        routerAddress: { type: 'boolean' },
        validLifetime: lifetimeSchema,
        preferredLifetime: lifetimeSchema,
      },
    },
  },
  routes: {
    type: 'array',
    items: { type: 'object', additionalProperties: false, required: ['prefix'], properties: { prefix: { type: 'string' }, preference: { enum: PREFERENCES }, lifetime: lifetimeSchema } },
  },
  rdnss: {
    type: 'array',
    items: { type: 'object', additionalProperties: false, required: ['servers'], properties: { servers: { type: 'array', items: { type: 'string' } }, lifetime: lifetimeSchema } },
  },
  dnssl: {
    type: 'array',
    items: { type: 'object', additionalProperties: false, required: ['domains'], properties: { domains: { type: 'array', items: { type: 'string' } }, lifetime: lifetimeSchema } },
  },
  pref64: {
    type: 'array',
    items: { type: 'object', additionalProperties: false, required: ['prefix'], properties: { prefix: { type: 'string' }, lifetime: { type: 'integer', minimum: 0, maximum: 65528 } } },
  },
  captivePortal: { type: 'string', description: 'captive portal URI (RFC 8910)' },
  extraOptions: {
    type: 'array',
    items: { type: 'object', additionalProperties: false, required: ['type', 'data'], properties: { type: { type: 'integer', minimum: 0, maximum: 255 }, data: { type: 'string' } } },
  },
  finalAdvertisements: { type: 'integer', minimum: 0, maximum: 3, description: 'RAs with router lifetime 0 sent at stop (default 1, as radvd)' },
  flushDns: { type: 'boolean', description: 'FlushRDNSS/FlushDNSSL: final RAs withdraw RDNSS and DNSSL (default true)' },
  deprecatePrefix: { type: 'boolean', description: 'DeprecatePrefix: final RAs deprecate the prefixes (default false)' },
};

const hostProps = (hostConfigSchema as { properties: Record<string, unknown> }).properties;

export const routerConfigSchema: Record<string, unknown> = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...advertProperties,
    interfaces: { type: 'object', additionalProperties: { type: 'object', additionalProperties: false, properties: { ...advertProperties, token: { type: 'string' } } } },
    ...Object.fromEntries(KERNEL_KEYS.map((k) => [k, hostProps[k]])),
  },
};

/** The event fields a `config` event may change (the same as the config's, plus `iface`). */
export const configEventSchema: Record<string, unknown> = {
  type: 'object',
  properties: { iface: { type: 'string' }, ...advertProperties },
};
